// Red-flag triage as it crosses a process boundary and is stored with the patient message: what was
// flagged, how urgently, which words of the patient's text raised it, what the clinician should do,
// and which version of the rule set decided it. Plain data only (structured-clone and JSON safe).
import { z } from 'zod'

/** emergency: act now (call 120 / resuscitation room). urgent: a clinician must see the patient today. */
export type RedFlagLevel = 'emergency' | 'urgent'
export const redFlagLevels = ['emergency', 'urgent'] as const satisfies readonly RedFlagLevel[]

export interface RedFlagAction {
  'zh-CN': string
  en: string
}

export interface RedFlag {
  /** Stable id of the rule that decided the flag's level and action, e.g. "chest-pain.cardiac-features". */
  ruleId: string
  /** One of redFlagCategories for the current rule set; kept as a string so flags raised by older rule sets stay readable. */
  category: string
  level: RedFlagLevel
  /** The patient's own words that raised the flag, exactly as written (typos and all), in text order. */
  matched: string[]
  action: RedFlagAction
  ruleSetVersion: string
}

/** What the patient header knows. Anything the text says is used as well. */
export interface TriageContext {
  ageYears?: number
  pregnant?: boolean
  sex?: 'male' | 'female' | 'other' | 'unknown'
}

/** The categories of the current rule set, most time-critical first (the order flags are listed in). */
export const redFlagCategories = [
  'cardiac-arrest',
  'chest-pain',
  'stroke',
  'breathing-difficulty',
  'anaphylaxis',
  'heavy-bleeding',
  'unconsciousness',
  'seizure',
  'sepsis-meningitis',
  'infant-fever',
  'pregnancy-emergency',
  'poisoning',
  'serious-injury',
  'thunderclap-headache',
  'hypoglycaemia',
  'child-dehydration',
  'gi-bleeding',
  'coughing-blood',
  'suicide-self-harm',
  'hypertensive-crisis',
  'abnormal-heart-rate',
  'sudden-vision-loss',
  'testicular-torsion',
  'hyperglycaemia',
  'acute-abdomen',
  'no-urine',
  'animal-bite',
] as const

export type RedFlagCategory = (typeof redFlagCategories)[number]

/** What a nurse calls each category, for alerts, records and exports. */
export const redFlagCategoryLabels: Record<RedFlagCategory, RedFlagAction> = {
  'cardiac-arrest': { 'zh-CN': '心跳呼吸骤停', en: 'Cardiac arrest' },
  'chest-pain': { 'zh-CN': '胸痛（警惕心梗）', en: 'Chest pain (possible heart attack)' },
  stroke: { 'zh-CN': '卒中征象', en: 'Stroke signs' },
  'breathing-difficulty': { 'zh-CN': '呼吸困难', en: 'Breathing difficulty' },
  anaphylaxis: { 'zh-CN': '严重过敏反应', en: 'Anaphylaxis' },
  'heavy-bleeding': { 'zh-CN': '大出血', en: 'Heavy bleeding' },
  unconsciousness: { 'zh-CN': '意识丧失', en: 'Loss of consciousness' },
  seizure: { 'zh-CN': '抽搐', en: 'Seizure' },
  'sepsis-meningitis': { 'zh-CN': '脓毒症或脑膜炎征象', en: 'Sepsis or meningitis signs' },
  'infant-fever': { 'zh-CN': '3 个月以下婴儿发热', en: 'Fever in an infant under 3 months' },
  'pregnancy-emergency': { 'zh-CN': '孕期危急情况', en: 'Pregnancy emergency' },
  poisoning: { 'zh-CN': '中毒、过量服药或毒蛇咬伤', en: 'Poisoning, overdose or venomous bite' },
  'serious-injury': { 'zh-CN': '严重外伤', en: 'Serious head or other injury' },
  'thunderclap-headache': { 'zh-CN': '突发剧烈头痛', en: 'Sudden severe headache' },
  hypoglycaemia: { 'zh-CN': '低血糖', en: 'Hypoglycaemia' },
  'child-dehydration': { 'zh-CN': '儿童重度脱水', en: 'Severe dehydration in a child' },
  'gi-bleeding': { 'zh-CN': '呕血或便血', en: 'Vomiting or passing blood' },
  'coughing-blood': { 'zh-CN': '咯血', en: 'Coughing up blood' },
  'suicide-self-harm': { 'zh-CN': '自杀念头或自伤', en: 'Suicidal thoughts or self-harm' },
  'hypertensive-crisis': { 'zh-CN': '血压极高', en: 'Very high blood pressure' },
  'abnormal-heart-rate': { 'zh-CN': '心率过快或过慢', en: 'Very fast or very slow heart rate' },
  'sudden-vision-loss': { 'zh-CN': '突发视力丧失或眼部急症', en: 'Sudden loss of vision or eye emergency' },
  'testicular-torsion': { 'zh-CN': '睾丸突发疼痛（警惕扭转）', en: 'Sudden testicular pain (possible torsion)' },
  hyperglycaemia: { 'zh-CN': '血糖极高', en: 'Very high blood sugar' },
  'acute-abdomen': { 'zh-CN': '剧烈腹痛', en: 'Severe abdominal pain' },
  'no-urine': { 'zh-CN': '无尿或排尿不能', en: 'Not passing urine' },
  'animal-bite': { 'zh-CN': '动物咬伤抓伤（狂犬病暴露）', en: 'Animal bite or scratch (rabies exposure)' },
}

export const redFlagLevelLabels: Record<RedFlagLevel, RedFlagAction> = {
  emergency: { 'zh-CN': '危急', en: 'EMERGENCY' },
  urgent: { 'zh-CN': '紧急', en: 'URGENT' },
}

export function isRedFlagCategory(value: unknown): value is RedFlagCategory {
  return typeof value === 'string' && (redFlagCategories as readonly string[]).includes(value)
}

/** The patient header as a request may carry it; ages run from newborn (fractions of a year) to 130. */
export const triageContextSchema = z
  .object({
    ageYears: z.number().min(0).max(130).optional(),
    pregnant: z.boolean().optional(),
    sex: z.enum(['male', 'female', 'other', 'unknown']).optional(),
  })
  .strict()

/** A stored or transmitted flag, checked before it is trusted (e.g. on import into the records store). */
export const redFlagSchema = z
  .object({
    ruleId: z.string().min(1).max(100),
    category: z.string().min(1).max(100),
    level: z.enum(redFlagLevels),
    matched: z.array(z.string().min(1).max(200)).max(50),
    action: z.object({ 'zh-CN': z.string().min(1).max(500), en: z.string().min(1).max(500) }).strict(),
    ruleSetVersion: z.string().min(1).max(50),
  })
  .strict()
