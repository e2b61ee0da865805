// A seizure now or just now: 抽搐, 抽风, 惊厥, 口吐白沫, a febrile convulsion (colloquially 发烧抽筋).
// 腿抽筋 is a cramp, 抽动症 a tic, 抽血 a blood test, and an epilepsy history without a fit is not a flag.
import { G, N, rx } from '../patterns.ts'
import type { Sign, TriageRule } from '../types.ts'

export const fitting: Sign = {
  name: 'seizure',
  patterns: [
    rx`抽搐|抽风|惊厥|(?<!腿|脚|手|指|胃|肚|腿肚子|脚趾|肚子)抽筋(?!了?,?(?:小腿|大腿|腿|脚|手|腿肚子))|抽了(?:${N}|几|好几)(?:次|下|分钟)|抽了好几次|连着抽|全身抽|四肢抽|一抽一抽|牙关紧闭|(?:全身|四肢)(?:发)?(?:硬|僵)(?!化)|眼睛?(?:往上|向上)翻|翻白眼|(?:手脚|四肢|全身)${G}{0,3}(?:抖动|僵直)|癫痫(?:又|大)?发作|羊(?:角|癫)疯(?:又)?(?:发作|犯了)|犯(?:了)?癫痫|口吐(?:白)?(?:沫|泡沫)|(?:手脚|四肢|全身)乱(?:抖|抽|动)`,
    rx`\bseizure|\bseizing\b|\bfitting\b|\bhaving a fit\b|\bconvuls|\bhad a fit\b`,
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
