// Fever in an infant under 3 months: any fever (38 °C or more, or the parent says 发烧 with no
// lower reading) means sepsis until shown otherwise. Age from the text (宝宝两个月, 出生20天,
// 6 week old, 新生儿) or the patient header. A range of readings whose top is 38 °C or more
// (体温在37.9到38.4之间) is a fever too.
import { youngInfant } from '../patient-facts.ts'
import type { PatientCondition, Sign, TriageRule } from '../types.ts'
import { fever } from './shared-signs.ts'

const temperature = '(\\d{2}(?:\\.\\d)?)\\s*(?:度|°c|°)?'

/** A range of temperatures, the top of it 38 °C or more: 37.9到38.4, 37.8-38.5, between 37.5 and 38.2. */
export const feverRange: Sign = {
  name: 'temperature range reaching 38 °C',
  patterns: [
    new RegExp(
      `(?:体温|温度|发烧|发热|烧|\\btemp(?:erature)?s?\\b)[^\\d,。;!?\\n]{0,10}?(?:在|between )?${temperature}\\s*(?:到|至|-|~|～|\\bto\\b|\\band\\b)\\s*${temperature}`,
      'u',
    ),
  ],
  accept: (groups) => {
    const low = Number(groups[1])
    const high = Number(groups[2])
    return low >= 35 && low <= high && high >= 38 && high <= 43
  },
}

/** Under 3 months by age alone (the range sign carries the temperature). */
const underThreeMonths: PatientCondition = {
  name: 'infant under 3 months',
  evidence: (facts) => {
    const young = facts.ages.filter((age) => age.years < 0.25)
    return young.length === 0 ? null : young.flatMap((age) => (age.words === null ? [] : [age.words]))
  },
}

const action = {
  'zh-CN': '3 个月以下婴儿发热须立即就诊（儿科急诊），按脓毒症评估：血常规、血培养、尿检，必要时腰穿；不要只给退烧药在家观察。',
  en: 'An infant under 3 months with fever must be seen now (paediatric emergency) and assessed for sepsis: blood count, blood culture, urine, lumbar puncture if needed. Do not just give antipyretics and wait.',
}

export const infantFeverRules: TriageRule[] = [
  { id: 'infant-fever.under-3-months', category: 'infant-fever', level: 'emergency', needs: [fever], patient: youngInfant, action },
  { id: 'infant-fever.reading-range', category: 'infant-fever', level: 'emergency', needs: [feverRange], patient: underThreeMonths, action },
]
