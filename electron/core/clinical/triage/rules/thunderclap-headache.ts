// A sudden, severe ("like being hit", "worst ever") headache: subarachnoid haemorrhage until shown
// otherwise. A headache that built up over days, or the patient's usual migraine, can wait.
import { G, rx } from '../patterns.ts'
import type { Sign, TriageRule } from '../types.ts'
import { severeHeadache } from './shared-signs.ts'
import {
  enOnset,
  enSeverity,
  enStruckSimile,
  enWorstEver,
  zhHeadPain,
  zhHeadSites,
  zhNeverThisBad,
  zhOnset,
  zhSeverity,
  zhStruckSimile,
} from './thunderclap-headache-vocabulary.ts'

/** A few characters of the clause, but not a denial (头不是突然痛的). */
const NG = `(?:(?![不没])${G})`
/** The rest of the sentence (commas allowed). */
const S = '[^。.;!?\\n]'

export const suddenHeadache: Sign = {
  name: 'sudden headache',
  patterns: [
    rx`(?:突然|突发|一下子|猛地|猛然)${G}{0,6}(?:头痛|头疼|头部剧痛|头(?:很|特别)?(?:痛|疼))|(?:突然|突发|一下子|猛地|猛然)${G}{0,4}(?:后脑勺?|脑袋|头)${G}{0,12}(?:剧痛|痛|疼)|(?:头痛|头疼)${G}{0,3}(?:突然|一下子)|(?:头|脑袋)${G}{0,10}(?:疼|痛)[^。;!?\n]{0,12}(?:一下子|突然)(?:就)?(?:来的|开始的|来了)`,
    rx`\bsudden(?:ly)?\b${G}{0,20}\bheadache|\bheadache\b${G}{0,30}\b(?:sudden(?:ly)?|came on all at once)\b|\bthunderclap\b`,
    // The vocabulary's slots: the head in lay words, then the onset, then the pain (脑壳突然痛得遭不住).
    new RegExp(`${zhHeadSites}${NG}{0,3}${zhOnset}${NG}{0,10}${zhHeadPain}|${zhOnset}${NG}{0,4}${zhHeadSites}${NG}{0,12}${zhHeadPain}`, 'u'),
    new RegExp(`${enOnset}${G}{0,30}\\b(?:headache|head (?:pain|hurts|ache))|\\bheadache\\b${G}{0,30}${enOnset}`, 'u'),
    // "grabbed his head … like he'd been hit with a bat": the blow simile is the onset itself.
    new RegExp(`\\bhead\\b${S}{0,60}${enStruckSimile}|${zhHeadSites}${G}{0,12}${zhStruckSimile}`, 'u'),
  ],
}

export const worstHeadacheEver: Sign = {
  name: 'worst headache ever',
  patterns: [
    rx`(?:这辈子|有生以来|从来没有过)的?最?(?:厉害|剧烈|严重|痛)的?(?:头痛|头疼)|\bworst headache\b|\bworst (?:pain|headache) of (?:my|his|her) life\b|\bthunderclap\b`,
    new RegExp(`\\bheadache\\b${S}{0,60}${enWorstEver}`, 'u'),
  ],
}

/** How bad it is, in the vocabulary's words (炸裂, 遭不住, explosive, splitting). */
const thunderclapSeverity: Sign = {
  name: 'severe headache (lay words)',
  patterns: [
    new RegExp(`${zhHeadSites}${NG}{0,8}${zhSeverity}|${zhSeverity}${G}{0,4}(?:头痛|头疼)`, 'u'),
    new RegExp(`${enSeverity}${G}{0,20}\\bheadache|\\bheadache\\b${G}{0,20}${enSeverity}`, 'u'),
  ],
}

/** "像被人用棍子打了一下": how patients describe a thunderclap. */
const struckOnTheHead: Sign = {
  name: 'as if struck on the head',
  patterns: [rx`(?:后脑勺?|脑袋|头)${G}{0,12}剧痛|像被(?:人)?${G}{0,3}(?:打|敲|砸|击)了?一(?:棍子?|锤子?|棒子?|拳|下)|\blike (?:being|I was) (?:hit|struck|kicked)\b`, new RegExp(`${zhStruckSimile}|${enStruckSimile}`, 'u')],
}

const neverThisBad: Sign = {
  name: 'never this bad',
  patterns: [rx`这辈子(?:都)?没(?:有)?(?:这么|这样)(?:痛|疼)过|从来没(?:有)?(?:这么|这样)(?:痛|疼)过`, new RegExp(zhNeverThisBad, 'u')],
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
    needs: [suddenHeadache, [severeHeadache, thunderclapSeverity, worstHeadacheEver, neverThisBad, struckOnTheHead]],
    action,
  },
  { id: 'thunderclap-headache.worst-ever', category: 'thunderclap-headache', level: 'emergency', needs: [worstHeadacheEver], action },
]
