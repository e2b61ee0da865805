// Not breathing, no pulse, CPR under way.
import { rx } from '../patterns.ts'
import type { Sign, TriageRule } from '../types.ts'

export const notBreathingOrNoPulse: Sign = {
  name: 'not breathing or no pulse',
  patterns: [
    // 没有呼吸了 but not 没有呼吸困难: the sign ends at the clause or with 了.
    rx`(?:没有?|停止了?)呼吸了?(?=$|[,。;!?\s]|了)|呼吸(?:停了|停止了?|没了)|没气了|没(?:有)?了?心跳|心跳(?:停了|停止了?|没了)|心(?:脏|跳)骤停|摸不(?:到|着)(?:脉搏|脉|心跳)|没(?:有)?脉搏`,
    rx`\b(?:not|isn't|is not|stopped|no longer) breathing\b|\bno pulse\b|\bcan't (?:feel|find) (?:a|his|her|any) pulse\b|\bheart (?:has )?stopped\b|\bcardiac arrest\b`,
  ],
}

export const resuscitation: Sign = {
  name: 'CPR under way',
  patterns: [rx`心肺复苏|胸外按压|人工呼吸|\bcpr\b|\bdefibrillat|\baed\b`],
}

export const cardiacArrestRules: TriageRule[] = [
  {
    id: 'cardiac-arrest.no-breathing-or-pulse',
    category: 'cardiac-arrest',
    level: 'emergency',
    needs: [[notBreathingOrNoPulse, resuscitation]],
    action: {
      'zh-CN': '立即呼叫 120 并开始心肺复苏（胸外按压），尽快取来 AED；病人在院内则启动院内急救。',
      en: 'Call 120 and start CPR (chest compressions) now; get an AED. If the patient is on site, call the resuscitation team.',
    },
  },
]
