import type { OutpatientRecordFile } from '../../contract/outpatient-record.ts'
import { signedRecordFile } from '../clinical/outpatient-record/record-file.ts'
import { cleanText } from './clean-text.ts'
import { aiFootnote, amendmentText, clinicTime, gap, patientAgeText, presentedSections, redFlagText, sexLabel, type PresentationOptions } from './record-presentation.ts'

/**
 * The signed record as plain text for pasting into a hospital information system: 【主诉】-style
 * headings, one section a paragraph, the text exactly as recorded (an empty section stays empty).
 */
export function recordHisText(file: OutpatientRecordFile, options: PresentationOptions = {}): string {
  const record = signedRecordFile(file)
  const { patient } = record
  const lines = [
    `${cleanText(record.clinic.name)} 门诊病历`,
    `科室：${cleanText(record.department)}${gap}就诊时间：${clinicTime(record.visit.start, options)}`,
    `门诊号：${cleanText(patient.id)}${gap}姓名：${cleanText(patient.name)}${gap}性别：${sexLabel(patient.sex)}${gap}年龄：${patientAgeText(patient)}`,
  ]
  const amendment = amendmentText(record, options)
  if (amendment !== null) lines.push(`【修订】${cleanText(amendment)}`)
  for (const flag of record.redFlags ?? []) {
    const text = redFlagText(flag)
    lines.push(`【危急提示】${text.level}：${cleanText(text.category)}（病人原话：${cleanText(text.matched)}）`)
  }
  for (const section of presentedSections(record)) lines.push(`【${section.title}】${section.text}`)
  lines.push(`医师：${cleanText(record.doctor.name)}${gap}签名时间：${clinicTime(record.signedAt, options)}`)
  if (record.signatureStatement) lines.push(`签名说明：${cleanText(record.signatureStatement)}`)
  const footnote = aiFootnote(record)
  if (footnote) lines.push(`注：${footnote['zh-CN']}`)
  return `${lines.join('\n')}\n`
}
