// Blood pressure of 180/120 or more: with headache, chest pain, breathlessness, blurred vision,
// vomiting, confusion or stroke signs it is a hypertensive emergency; without symptoms it needs
// repeating and a doctor today. 160/90 without symptoms can wait for a clinic.
import { bloodPressureCrisis } from '../readings.ts'
import type { Sign, TriageRule } from '../types.ts'
import { breathlessness, severeBreathlessness } from './breathing-difficulty.ts'
import { chestPain } from './chest-pain.ts'
import { blurredVision } from './pregnancy-emergency.ts'
import { fitting } from './seizure.ts'
import { confusion, headache, nausea, severeHeadache, vomiting } from './shared-signs.ts'
import { faceDroop, oneSidedWeakness, slurredSpeech } from './stroke.ts'

/**
 * A reading with more words between the word and the numbers than readings.ts allows ("BP reading
 * 190/115", "blood pressure this morning was 200/125", "血压今天早上量的是190/120").
 */
export const bloodPressureCrisisInWords: Sign = {
  name: 'blood pressure ≥ 180/120 (in words)',
  patterns: [
    /(?:血压|\bbp\b|\bblood pressure\b)[^\d,。;!?\n]{0,24}?(\d{2,3})\s*(?:\/|\bover\b)\s*(\d{2,3})(?!\d)/u,
  ],
  accept: (groups) => {
    const systolic = Number(groups[1])
    const diastolic = Number(groups[2])
    return systolic > diastolic && systolic <= 300 && diastolic >= 30 && (systolic >= 180 || diastolic >= 120)
  },
}

export const hypertensiveCrisisRules: TriageRule[] = [
  {
    id: 'hypertensive-crisis.with-symptoms',
    category: 'hypertensive-crisis',
    level: 'emergency',
    needs: [
      [bloodPressureCrisis, bloodPressureCrisisInWords],
      [headache, severeHeadache, chestPain, severeBreathlessness, breathlessness, blurredVision, vomiting, nausea, confusion, fitting, faceDroop, oneSidedWeakness, slurredSpeech],
    ],
    action: {
      'zh-CN': '高血压急症：立即复测血压，查靶器官损害（心电图、神经系统、眼底、尿），转急诊在监护下逐步降压，不要骤降。',
      en: 'Hypertensive emergency: repeat the blood pressure now, look for organ damage (ECG, neurology, fundi, urine), send to the emergency department for monitored, gradual lowering — not a sudden drop.',
    },
  },
  {
    id: 'hypertensive-crisis.reading',
    category: 'hypertensive-crisis',
    level: 'urgent',
    needs: [[bloodPressureCrisis, bloodPressureCrisisInWords]],
    action: {
      'zh-CN': '静坐 5 分钟后复测血压；仍 ≥180/120 须今日由医生评估用药，出现头痛、胸痛、气促或视物模糊立即急诊。',
      en: 'Repeat after 5 minutes seated; if still ≥180/120 a doctor must review treatment today; headache, chest pain, breathlessness or blurred vision mean emergency department.',
    },
  },
]
