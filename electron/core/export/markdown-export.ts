import type { OutpatientRecordFile } from '../../contract/outpatient-record.ts'
import { signedRecordFile } from '../clinical/outpatient-record/record-file.ts'
import { cleanText } from './clean-text.ts'
import {
  aiFootnote,
  amendmentText,
  clinicTime,
  gap,
  patientAgeText,
  presentedSections,
  redFlagText,
  sexLabel,
  type PresentationOptions,
} from './record-presentation.ts'

/**
 * Record text as Markdown that renders as the same text: every character Markdown would read as
 * markup is backslash-escaped (so `<script>` stays text in any viewer), and line breaks are kept as
 * hard breaks.
 */
export function markdownText(text: string): string {
  return cleanText(text)
    .split('\n')
    .map((line) =>
      line
        .replace(/[\\`*_[\]<>#|~&!{}()]/g, (char) => `\\${char}`)
        // What makes a line a list item, a heading underline or a quote when it starts the line.
        .replace(/^(\s*)([-+=])/, '$1\\$2')
        .replace(/^(\s*\d+)([.)])/, '$1\\$2'),
    )
    .join('\\\n')
}

/** The signed record as Markdown: header, red flags, the nine sections, signature, AI footnote. */
export function recordMarkdown(file: OutpatientRecordFile, options: PresentationOptions = {}): string {
  const record = signedRecordFile(file)
  const { patient } = record
  const lines: string[] = [`# ${markdownText(record.clinic.name)} 门诊病历`, '']
  const amendment = amendmentText(record, options)
  if (amendment !== null) lines.push(`> **${markdownText(amendment)}**`, '')
  lines.push(
    `- **科室**：${markdownText(record.department)}`,
    `- **门诊号**：${markdownText(patient.id)}`,
    `- **姓名**：${markdownText(patient.name)}${gap}**性别**：${sexLabel(patient.sex)}${gap}**年龄**：${markdownText(patientAgeText(patient))}`,
    `- **就诊时间**：${clinicTime(record.visit.start, options)}`,
    '',
  )
  for (const flag of record.redFlags ?? []) {
    const text = redFlagText(flag)
    lines.push(`> **危急提示（${text.level}）**：${markdownText(text.category)}。病人原话：${markdownText(text.matched)}`, '')
  }
  for (const section of presentedSections(record)) {
    lines.push(`## ${section.title}${section.author === 'model' ? ' \\*' : ''}`, '', section.text === '' ? '—' : markdownText(section.text), '')
  }
  lines.push('---', '', `**医师签名**：${markdownText(record.doctor.name)}${gap}**签名时间**：${clinicTime(record.signedAt, options)}`, '')
  if (record.signatureStatement) lines.push(`*${markdownText(record.signatureStatement)}*`, '')
  const footnote = aiFootnote(record)
  if (footnote) lines.push(`*${markdownText(footnote['zh-CN'])}*`, '', `*${markdownText(footnote.en)}*`, '')
  return lines.join('\n')
}
