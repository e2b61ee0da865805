// A seizure now or just now: 抽搐, 抽风, 惊厥, 口吐白沫, a febrile convulsion (colloquially 发烧抽筋).
// 腿抽筋 is a cramp, 抽动症 a tic, 抽血 a blood test, and an epilepsy history without a fit is not a flag.
import { G, N, rx } from '../patterns.ts'
import type { Sign, TriageRule } from '../types.ts'

export const fitting: Sign = {
  name: 'seizure',
  patterns: [
    // 抽筋 is a cramp when a limb or the stomach is named just before it (小腿半夜抽筋了一下).
    rx`抽搐|抽风|惊厥|(?<!(?:腿|脚|手|指|胃|肚|腿肚子|脚趾|肚子)${G}{0,4})抽筋(?!了?,?(?:小腿|大腿|腿|脚|手|腿肚子))|抽了(?!一下)(?:${N}|几|好几|十几|十来|十多|几十|二十来)多?(?:个)?(?:次|下|分钟|小时)(?!${G}{0,2}(?:疼|痛))|抽了好几次|(?:发烧|发高烧|高烧|发热|烧)${G}{0,2}抽(?:起来|过去)|(?<!(?:烟|血|水|腿|脚|手|筋|肚子)${G}{0,2})抽起来了|牙(?:齿|关)?咬(?:得)?(?:紧紧|死死|很紧)|连着抽|全身抽|四肢抽|一抽一抽|牙关紧闭|(?:全身|四肢)(?:发)?(?:硬|僵)(?!化)|眼睛?(?:往上|向上)翻|翻白眼|(?:手脚|四肢|全身)${G}{0,3}(?:抖动|僵直)|癫痫(?:又|大)?发作|羊(?:角|癫)(?:疯|风)(?:又)?(?:发作|犯了)|犯(?:了)?癫痫|口吐(?:白)?(?:沫|泡沫)|(?:手脚|四肢|全身)乱(?:抖|抽|动)`,
    // Not one "at 18 months" or "last week": that is the history of a child now well, or a fit already seen.
    rx`(?:\bseizure|\bseizing\b|\bfitting\b|\bhaving a fit\b|\bconvuls|\bhad a fit\b)(?![^,.;!?]{0,16}\b(?:at (?:the age of )?\d+ (?:months?|years?)|aged \d+|last (?:week|month)|(?:a|one|two|three|\d+) weeks? ago)\b)`,
  ],
}

export const seizureRules: TriageRule[] = [
  {
    id: 'seizure.fitting',
    category: 'seizure',
    level: 'emergency',
    needs: [fitting],
    action: {
      'zh-CN': '保护病人免受伤害、侧卧、勿往口中塞物；发作超过 5 分钟或反复发作给予止惊药并呼叫 120。首次发作、婴幼儿或孕妇须当面评估。',
      en: 'Protect from injury, recovery position, nothing in the mouth; a fit over 5 minutes or repeated fits need anticonvulsant treatment and 120. A first fit, a young child or a pregnant woman must be seen.',
    },
  },
]
