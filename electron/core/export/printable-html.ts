import type { OutpatientRecordFile, PaperSize } from '../../contract/outpatient-record.ts'
import { signedRecordFile } from '../clinical/outpatient-record/record-file.ts'
import { cleanText } from './clean-text.ts'
import { printStylesheet } from './print-stylesheet.ts'
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

export interface PrintOptions extends PresentationOptions {
  paper?: PaperSize
  /** Printed small under the footnote, so a paper copy can be matched to its file. */
  documentId?: string
}

/** Text into HTML: every character that means something to HTML is an entity. */
export function escapeHtml(text: string): string {
  return cleanText(text).replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`)
}

// Static page: no script may run, nothing may load (the PDF is made offline, from this text alone).
const contentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

function cell(label: string, value: string, wide = false): string {
  return `<td${wide ? ' class="wide" colspan="3"' : ''}><span class="label">${label}：</span>${escapeHtml(value)}</td>`
}

/**
 * The signed record as a printable page, as a hospital prints a 门诊病历: the clinic and title on top,
 * the patient block, red flags, the nine sections, the signature line with signer and time, page
 * numbers, and the "AI-drafted, doctor-verified" footnote. Electron's printToPDF (the app) and
 * Chromium's page.pdf (tests, CLI) both print this same HTML.
 */
export function printableRecordHtml(file: OutpatientRecordFile, options: PrintOptions = {}): string {
  const record = signedRecordFile(file)
  const { patient } = record
  const paper = options.paper ?? 'a4'
  const amendment = amendmentText(record, options)
  const flags = record.redFlags ?? []
  const footnote = aiFootnote(record)

  const header = `<header class="clinic"><div class="name">${escapeHtml(record.clinic.name)}</div><div class="title">门诊病历</div></header>`
  const patientBlock = `<table class="patient"><tbody>
<tr>${cell('门诊号', patient.id)}${cell('姓名', patient.name)}${cell('性别', sexLabel(patient.sex))}${cell('年龄', patientAgeText(patient))}</tr>
<tr>${cell('科室', record.department)}${cell('就诊时间', clinicTime(record.visit.start, options), true)}</tr>
</tbody></table>`
  const amendmentBlock = amendment === null ? '' : `<div class="amendment">${escapeHtml(amendment)}</div>`
  const flagBlock =
    flags.length === 0
      ? ''
      : `<div class="red-flags"><div class="heading">危急提示</div>${flags
          .map((flag) => {
            const text = redFlagText(flag)
            return `<p>【${escapeHtml(text.level)}】${escapeHtml(text.category)}${gap}病人原话：${escapeHtml(text.matched)}</p>`
          })
          .join('')}</div>`
  const sections = presentedSections(record)
    .map((section) => {
      const mark = section.author === 'model' ? '<span class="mark" title="AI 起草">*</span>' : ''
      const text = section.text === '' ? '<div class="text empty">—</div>' : `<div class="text">${escapeHtml(section.text)}</div>`
      return `<section class="record-section" data-section="${section.definition.key}"><h2>${escapeHtml(section.title)}${mark}</h2>${text}</section>`
    })
    .join('\n')
  const signature = `<div class="signature-block"><div class="signature"><table><tbody>
<tr><td class="label">医师签名：</td><td class="signer">${escapeHtml(record.doctor.name)}</td></tr>
<tr><td class="label">签名时间：</td><td>${clinicTime(record.signedAt, options)}</td></tr>
</tbody></table></div>${record.signatureStatement ? `<p class="signature-statement">${escapeHtml(record.signatureStatement)}</p>` : ''}</div>`
  const notes = [
    ...(footnote ? [`<p>* ${escapeHtml(footnote['zh-CN'])}</p>`, `<p>${escapeHtml(footnote.en)}</p>`] : []),
    ...(options.documentId ? [`<p class="document-id">病历编号 / Record ID：${escapeHtml(options.documentId)}</p>`] : []),
  ]
  const footer = notes.length === 0 ? '' : `<footer class="note">${notes.join('')}</footer>`
  const runningHeader = `${cleanText(record.clinic.name)} 门诊病历${gap}${cleanText(patient.name)}${gap}门诊号 ${cleanText(patient.id)}`

  return `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy}">
<title>${escapeHtml(`门诊病历 ${patient.id}`)}</title>
<style>${printStylesheet(paper, runningHeader)}</style>
</head>
<body>
${header}
${amendmentBlock}
${patientBlock}
${flagBlock}
<main>
${sections}
</main>
${signature}
${footer}
</body>
</html>
`
}
