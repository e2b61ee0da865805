import { recordSections, type OutpatientRecordFile, type RecordRedFlag, type RecordSectionDefinition, type SectionAuthor } from '../../contract/outpatient-record.ts'
import { isRedFlagCategory, redFlagCategoryLabels, redFlagLevelLabels } from '../../contract/triage.ts'
import { cleanText } from './clean-text.ts'

// How every human-readable export (printable HTML, Markdown, HIS text) words the same record: one
// place for labels, ages, times and the AI footnote, so the formats cannot drift apart.

export interface PresentationOptions {
  /** IANA time zone the clinic's times are shown in; default: this machine's. */
  timeZone?: string
}

/** The ideographic space (U+3000) that separates fields on one line, as Chinese forms do. */
export const gap = '\u3000'

const sexLabels: Record<OutpatientRecordFile['patient']['sex'], string> = { male: '男', female: '女', other: '其他', unknown: '未知' }

export function sexLabel(sex: OutpatientRecordFile['patient']['sex']): string {
  return sexLabels[sex]
}

/** 52岁; 1岁6个月 under three; 3个月 under one. An age stays an age: it is never made a birth date. */
export function ageLabel(age: number): string {
  const months = Math.round(age * 12)
  if (age < 1) return `${months}个月`
  if (age < 3 && months % 12 !== 0) return `${Math.floor(months / 12)}岁${months % 12}个月`
  return `${Math.floor(age)}岁`
}

/** The patient's age as the header shows it: the recorded age, else the birth date. */
export function patientAgeText(patient: OutpatientRecordFile['patient']): string {
  if (patient.age !== undefined) return ageLabel(patient.age)
  if (patient.birthDate !== undefined) return `出生日期 ${patient.birthDate}`
  return '—'
}

/**
 * "2024-03-01 09:30" in the clinic's time zone: the configured one, else the offset the time was
 * written with (a record file says +08:00), else this machine's (the store keeps UTC).
 */
export function clinicTime(iso: string, options: PresentationOptions = {}): string {
  const offset = /([+-])(\d{2}):?(\d{2})$/.exec(iso)
  if (options.timeZone === undefined && offset) {
    const minutes = (offset[1] === '-' ? -1 : 1) * (Number(offset[2]) * 60 + Number(offset[3]))
    return new Date(Date.parse(iso) + minutes * 60_000).toISOString().slice(0, 16).replace('T', ' ')
  }
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: options.timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(iso))
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? ''
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}`
}

export function clinicDate(iso: string, options: PresentationOptions = {}): string {
  return clinicTime(iso, options).slice(0, 10)
}

export interface PresentedSection {
  definition: RecordSectionDefinition
  title: string
  /** The text as recorded, '' when the section was left empty. */
  text: string
  author: SectionAuthor | null
}

/** The nine sections in print order; the diagnosis carries its ICD-10 code. */
export function presentedSections(record: OutpatientRecordFile): PresentedSection[] {
  return recordSections.map((definition) => {
    let text = cleanText(record.sections[definition.key] ?? '').trim()
    const code = record.sections.diagnosisCode
    if (definition.key === 'diagnosis' && code !== undefined && text !== '') text = `${text}（ICD-10：${code}）`
    return { definition, title: definition.title['zh-CN'], text, author: text === '' ? null : (record.sectionAuthors?.[definition.key] ?? 'doctor') }
  })
}

/** Whether any section is still exactly as the model drafted it (those are marked with *). */
export function hasModelWrittenSections(record: OutpatientRecordFile): boolean {
  return presentedSections(record).some((section) => section.author === 'model')
}

export function redFlagText(flag: RecordRedFlag): { level: string; category: string; matched: string } {
  return {
    level: redFlagLevelLabels[flag.level]['zh-CN'],
    category: isRedFlagCategory(flag.category) ? redFlagCategoryLabels[flag.category]['zh-CN'] : flag.category,
    matched: flag.matched.map((words) => `“${words}”`).join('、'),
  }
}

/** The record's status line: the version it is, and for an amendment what it replaces and why. */
export function amendmentText(record: OutpatientRecordFile, options: PresentationOptions = {}): string | null {
  if (record.status !== 'amended') return null
  const replaces = record.amends ? `，替代 ${clinicTime(record.amends.signedAt, options)} 签署的版本` : ''
  return `修订版本${replaces}。修订原因：${record.amendmentReason ?? '—'}`
}

/**
 * The host (and port) of the hospital inference server a remote drafting model ran on, as exports
 * name it; null for a model that ran on this workstation.
 */
export function inferenceServerHost(model: NonNullable<OutpatientRecordFile['model']>): string | null {
  if (model.engine !== 'remote' || model.server == null) return null
  try {
    return new URL(model.server).host
  } catch {
    return model.server
  }
}

/** The footnote every export carries when a model drafted any part of the record. */
export function aiFootnote(record: OutpatientRecordFile): { 'zh-CN': string; en: string } | null {
  if (!record.model) return null
  const { name, quantization } = record.model
  // A local model by its quantization; a remote one by the hospital inference server it ran on.
  const host = inferenceServerHost(record.model)
  const model = host === null ? `${name}，${quantization}` : `${name}，医院推理服务器 ${host}`
  const modelEn = host === null ? `${name} (${quantization})` : `${name} (hospital inference server ${host})`
  const marked = hasModelWrittenSections(record)
  return {
    'zh-CN': `本病历由 AI 模型（${model}）根据问诊对话起草，经医生核对并签名。${marked ? '标 * 的项目为未经医生改动的 AI 起草内容。' : ''}体格检查、辅助检查及医嘱由医生本人书写。`,
    en: `AI-drafted, doctor-verified: drafted from the consultation by ${modelEn}, checked and signed by the doctor.${marked ? ' Items marked * are AI-drafted text the doctor left unchanged.' : ''}`,
  }
}
