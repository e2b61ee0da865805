// A sudden, severe ("like being hit", "worst ever") headache: subarachnoid haemorrhage until shown
// otherwise. A headache that built up over days, or the patient's usual migraine, can wait.
import { G, rx } from '../patterns.ts'
import type { Sign, TriageRule } from '../types.ts'
import { severeHeadache } from './shared-signs.ts'

export const suddenHeadache: Sign = {
  name: 'sudden headache',
  patterns: [
    rx`(?:突然|突发|一下子|猛地|猛然)${G}{0,6}(?:头痛|头疼|头部剧痛|头(?:很|特别)?(?:痛|疼))|(?:突然|突发|一下子|猛地|猛然)${G}{0,4}(?:后脑勺?|脑袋|头)${G}{0,12}(?:剧痛|痛|疼)|(?:头痛|头疼)${G}{0,3}(?:突然|一下子)|(?:头|脑袋)${G}{0,10}(?:疼|痛)[^。;!?\n]{0,12}(?:一下子|突然)(?:就)?(?:来的|开始的|来了)`,
    rx`\bsudden(?:ly)?\b${G}{0,20}\bheadache|\bheadache\b${G}{0,30}\b(?:sudden(?:ly)?|came on all at once)\b|\bthunderclap\b`,
  ],
}

export const worstHeadacheEver: Sign = {
  name: 'worst headache ever',
  patterns: [
    rx`(?:这辈子|有生以来|从来没有过)的?最?(?:厉害|剧烈|严重|痛)的?(?:头痛|头疼)|\bworst headache\b|\bworst (?:pain|headache) of (?:my|his|her) life\b|\bthunderclap\b`,
  ],
}

/** "像被人用棍子打了一下": how patients describe a thunderclap. */
const struckOnTheHead: Sign = {
  name: 'as if struck on the head',
  patterns: [rx`(?:后脑勺?|脑袋|头)${G}{0,12}剧痛|像被(?:人)?${G}{0,3}(?:打|敲|砸|击)了?一(?:棍子?|锤子?|棒子?|拳|下)|\blike (?:being|I was) (?:hit|struck|kicked)\b`],
}

const neverThisBad: Sign = {
  name: 'never this bad',
  patterns: [rx`这辈子(?:都)?没(?:有)?(?:这么|这样)(?:痛|疼)过|从来没(?:有)?(?:这么|这样)(?:痛|疼)过`],
}

const action = {
  'zh-CN': '突发剧烈头痛警惕蛛网膜下腔出血：立即送急诊做头颅 CT，测血压和神经系统检查；病人不在院内则拨打 120。',
  en: 'A sudden severe headache may be a subarachnoid haemorrhage: emergency department now for a head CT, blood pressure and neurological examination. If the patient is not on site, call 120.',
}

export const thunderclapRules: TriageRule[] = [
  {
    id: 'thunderclap-headache.sudden-and-severe',
    category: 'thunderclap-headache',
    level: 'emergency',
    needs: [suddenHeadache, [severeHeadache, worstHeadacheEver, neverThisBad, struckOnTheHead]],
    action,
  },
  { id: 'thunderclap-headache.worst-ever', category: 'thunderclap-headache', level: 'emergency', needs: [worstHeadacheEver], action },
]
