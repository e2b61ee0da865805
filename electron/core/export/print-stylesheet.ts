import type { PaperSize } from '../../contract/outpatient-record.ts'

// The print layout of a 门诊病历: a serif body (宋体 on Windows, 宋体-SC on macOS, Noto Serif CJK on
// Linux), black-face labels, the clinic's name and the record title centred on top, page numbers and
// the patient's name on every page (in the page margins, so any Chromium print path draws them).

const serif = `"Noto Serif CJK SC", "Source Han Serif SC", "Songti SC", "SimSun", "NSimSun", serif`
const sans = `"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "SimHei", sans-serif`

interface PaperLayout {
  size: string
  /** The sheet's width, for the on-screen preview. */
  widthMm: number
  margin: string
  bodyPt: number
  clinicPt: number
  titlePt: number
  marginPt: number
  lineHeight: number
  /** Space after each section, before the signature, before the footnote. */
  gapsMm: [number, number, number]
}

const layouts: Record<PaperSize, PaperLayout> = {
  a4: { size: 'A4', widthMm: 210, margin: '20mm 18mm 20mm 18mm', bodyPt: 11, clinicPt: 18, titlePt: 15, marginPt: 8, lineHeight: 1.65, gapsMm: [2.2, 7, 5] },
  a5: { size: 'A5', widthMm: 148, margin: '12mm 11mm 13mm 11mm', bodyPt: 9, clinicPt: 13.5, titlePt: 11.5, marginPt: 6.5, lineHeight: 1.5, gapsMm: [1.2, 4, 3] },
}

/**
 * A CSS string literal for the running header (it holds the patient's name). Everything but letters,
 * digits and a few marks is a CSS escape, so nothing in a name can end the string or the <style>.
 */
export function cssString(text: string): string {
  return `"${text.replace(/[^\p{L}\p{N} ·._-]/gu, (char) => `\\${char.codePointAt(0)!.toString(16)} `)}"`
}

export function printStylesheet(paper: PaperSize, runningHeader: string): string {
  const l = layouts[paper]
  return `
@page {
  size: ${l.size};
  margin: ${l.margin};
  @top-left { content: ${cssString(runningHeader)}; font: ${l.marginPt}pt ${sans}; color: #444; vertical-align: bottom; padding-bottom: 3mm; }
  @bottom-center { content: "第 " counter(page) " 页 / 共 " counter(pages) " 页"; font: ${l.marginPt}pt ${serif}; color: #333; }
}
@page :first { @top-left { content: none; } }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; font-family: ${serif}; font-size: ${l.bodyPt}pt; line-height: ${l.lineHeight}; color: #000; }
header.clinic { text-align: center; margin-bottom: 2mm; }
header.clinic .name { font-size: ${l.clinicPt}pt; font-weight: 700; letter-spacing: 0.12em; }
header.clinic .title { font-size: ${l.titlePt}pt; font-weight: 700; letter-spacing: 0.5em; margin-top: 1mm; }
.amendment { border: 1px solid #000; padding: 1.5mm 3mm; margin: 2mm 0; font-family: ${sans}; font-size: 0.9em; }
table.patient { width: 100%; border-collapse: collapse; border-top: 1.5pt solid #000; border-bottom: 0.75pt solid #000; margin: 2mm 0 3mm; }
table.patient td { padding: 1mm 1.5mm 1mm 0; vertical-align: top; white-space: nowrap; }
table.patient td.wide { white-space: normal; }
table.patient .label { font-family: ${sans}; font-weight: 500; }
.red-flags { border: 1.5pt solid #b00000; color: #b00000; padding: 1.5mm 3mm; margin: 0 0 3mm; break-inside: avoid; }
.red-flags .heading { font-family: ${sans}; font-weight: 700; }
.red-flags p { margin: 0.5mm 0; }
/* Label column and text column: continuation lines stay under the text, as EMR printouts align them. */
section.record-section { display: grid; grid-template-columns: 5.6em 1fr; margin: 0 0 ${l.gapsMm[0]}mm; }
section.record-section h2 { font-family: ${sans}; font-size: 1em; font-weight: 700; margin: 0; white-space: nowrap; }
section.record-section h2::after { content: "："; }
section.record-section .text { white-space: pre-wrap; overflow-wrap: anywhere; min-width: 0; }
section.record-section .text.empty { color: #555; }
section.record-section .mark { font-family: ${sans}; font-weight: 400; font-size: 0.8em; vertical-align: super; }
/* The signature line and what kind of signature it is stay together; so does the footnote. */
.signature-block { break-inside: avoid; }
.signature { margin-top: ${l.gapsMm[1]}mm; display: flex; justify-content: flex-end; }
.signature table { border-collapse: collapse; }
.signature td { padding: 1mm 0 1mm 2mm; }
.signature .label { font-family: ${sans}; }
.signature-statement { margin: 1.5mm 0 0; text-align: right; font-size: 0.72em; color: #444; }
.signature .signer { min-width: 35mm; border-bottom: 0.75pt solid #000; font-weight: 700; }
footer.note { margin-top: ${l.gapsMm[2]}mm; padding-top: 1.5mm; border-top: 0.5pt solid #666; font-size: 0.78em; color: #333; line-height: 1.5; break-inside: avoid; }
footer.note p { margin: 0.5mm 0; }
footer.note .document-id { color: #666; }
/* On screen (the window's print preview) the page is a sheet of its paper, margins and all; print ignores this. */
@media screen {
  html { background: #e7eaee; }
  body { width: ${l.widthMm}mm; min-height: 60mm; margin: 6mm auto; padding: ${l.margin}; background: #fff; box-shadow: 0 1px 4px rgba(0, 0, 0, 0.25); }
}
`
}
