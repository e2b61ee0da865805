// Fever in an infant under 3 months: any fever (38 °C or more, or the parent says 发烧 with no
// lower reading) means sepsis until shown otherwise. Age from the text (宝宝两个月, 出生20天,
// 6 week old, 新生儿) or the patient header.
import { youngInfant } from '../patient-facts.ts'
import type { TriageRule } from '../types.ts'
import { fever } from './shared-signs.ts'

export const infantFeverRules: TriageRule[] = [
  {
    id: 'infant-fever.under-3-months',
    category: 'infant-fever',
    level: 'emergency',
    needs: [fever],
    patient: youngInfant,
    action: {
      'zh-CN': '3 个月以下婴儿发热须立即就诊（儿科急诊），按脓毒症评估：血常规、血培养、尿检，必要时腰穿；不要只给退烧药在家观察。',
      en: 'An infant under 3 months with fever must be seen now (paediatric emergency) and assessed for sepsis: blood count, blood culture, urine, lumbar puncture if needed. Do not just give antipyretics and wait.',
    },
  },
]
