import { execFile } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { recordSections, type OutpatientRecordFile, type PaperSize } from '../../electron/contract/outpatient-record.ts'
import { ChromiumPdfRenderer } from '../../electron/core/export/chromium-pdf-renderer.ts'
import type { PdfRenderer } from '../../electron/core/export/pdf-renderer.ts'
import { printableRecordHtml } from '../../electron/core/export/printable-html.ts'
import { renderRecord } from '../../electron/core/export/record-rendering.ts'
import { amendedRecord, clinicTimeZone, identifierSystems, nastyRecord, signedRecord } from './outpatient-record-support.ts'

// The printed record: printable HTML → PDF with Chromium (as the CLI does; the app uses Electron's
// printToPDF on the same HTML), read back with poppler's pdftotext and pdfinfo.

const run = promisify(execFile)
let folder: string
let renderer: PdfRenderer

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'huatuo-record-pdf-'))
  renderer = new ChromiumPdfRenderer()
})
afterAll(async () => {
  await renderer.close()
  await rm(folder, { recursive: true, force: true })
})

interface PrintedRecord {
  pages: number
  /** Width × height in points. */
  size: [number, number]
  text: string
  pageText(page: number): Promise<string>
}

async function printed(record: OutpatientRecordFile, paper: PaperSize, name: string): Promise<PrintedRecord> {
  const rendered = await renderRecord(record, 'pdf', { identifierSystems, paper, timeZone: clinicTimeZone, pdfRenderer: renderer })
  expect(rendered.mediaType).toBe('application/pdf')
  expect(Buffer.from(rendered.bytes.subarray(0, 5)).toString('latin1')).toBe('%PDF-')
  const path = join(folder, `${name}.pdf`)
  await writeFile(path, rendered.bytes)
  const info = (await run('pdfinfo', [path])).stdout
  const size = /Page size:\s+([\d.]+) x ([\d.]+) pts/.exec(info)!
  return {
    pages: Number(/Pages:\s+(\d+)/.exec(info)![1]),
    size: [Number(size[1]), Number(size[2])],
    text: (await run('pdftotext', ['-enc', 'UTF-8', path, '-'], { maxBuffer: 16 * 1024 * 1024 })).stdout,
    pageText: async (page) => (await run('pdftotext', ['-enc', 'UTF-8', '-f', String(page), '-l', String(page), path, '-'])).stdout,
  }
}

const titles = recordSections.map((s) => s.title['zh-CN'])

function expectRecordText(text: string, record: OutpatientRecordFile): void {
  expect(text).toContain(record.clinic.name)
  expect(text).toMatch(/门\s*诊\s*病\s*历/)
  for (const label of ['门诊号', '姓名', '性别', '年龄', '科室', '就诊时间']) expect(text).toContain(label)
  for (const title of titles) expect(text).toContain(title)
  expect(text).toContain('医师签名')
  expect(text).toContain('签名时间')
  expect(text).toContain(record.doctor.name)
}

describe('the printed record (PDF)', () => {
  it('A4: clinic header, patient block, red flags, the nine sections, signature with time, page number, AI footnote', async () => {
    const record = signedRecord()
    const pdf = await printed(record, 'a4', 'signed-a4')
    expect(pdf.size[0]).toBeCloseTo(595.3, 0)
    expect(pdf.size[1]).toBeCloseTo(841.9, 0)
    expect(pdf.pages).toBe(1)
    expectRecordText(pdf.text, record)
    const flat = pdf.text.replace(/\s+/g, '')
    expect(flat).toContain('MZ20240301-0042')
    expect(flat).toContain('张伟')
    expect(flat).toContain('52岁')
    expect(flat).toContain('2024-03-0109:30')
    expect(flat).toContain('2024-03-0110:05')
    expect(flat).toContain('危急提示')
    expect(flat).toContain('突发剧烈头痛')
    expect(flat).toContain('急性上呼吸道感染（ICD-10：J06.9）')
    expect(flat).toContain('布洛芬缓释胶囊0.3g口服必要时')
    expect(flat).toContain('第1页/共1页')
    expect(pdf.text).toContain('AI-drafted, doctor-verified')
    expect(flat).toContain('本病历由AI模型（HuatuoGPT-o1-7B，Q4_K_M）根据问诊对话起草')
  })

  it('A5: the same record on A5 paper, every section found', async () => {
    const record = signedRecord()
    const pdf = await printed(record, 'a5', 'signed-a5')
    expect(pdf.size[0]).toBeCloseTo(419.5, -1)
    expect(pdf.size[1]).toBeCloseTo(595.3, -1)
    expectRecordText(pdf.text, record)
    expect(pdf.text.replace(/\s+/g, '')).toContain(`第1页/共${pdf.pages}页`)
  })

  it('an amendment shows what it replaces and why', async () => {
    const pdf = await printed(amendedRecord(), 'a4', 'amended-a4')
    const flat = pdf.text.replace(/\s+/g, '')
    expect(flat).toContain('修订版本，替代2024-03-0110:05签署的版本。修订原因：补充辅助检查结果：CRP升高。')
    expect(flat).toContain('CRP24mg/L')
    expect(flat).toContain('2024-03-0111:20')
  })

  it('a long record runs over pages: each numbered, the patient named on each after the first; hostile text printed as text', async () => {
    const record = nastyRecord()
    const pdf = await printed(record, 'a4', 'nasty-a4')
    expect(pdf.pages).toBeGreaterThan(3)
    for (let page = 1; page <= pdf.pages; page++) {
      const text = (await pdf.pageText(page)).replace(/\s+/g, '')
      expect(text).toContain(`第${page}页/共${pdf.pages}页`)
      if (page > 1) expect(text).toContain('王小明"</title>"门诊号MZ-<0001>')
    }
    expectRecordText(pdf.text, record)
    const flat = pdf.text.replace(/\s+/g, '')
    expect(flat).toContain('<script>alert("x")</script>发热2天')
    expect(flat).toContain('AT&T&布洛芬&amp;&lt;')
    expect(flat).toContain('3个月')
    // The 8,400-character section is all there (a page break may split one repetition).
    expect(flat.split('反复咳嗽咳痰，夜间加重。').length - 1).toBeGreaterThanOrEqual(700 - pdf.pages)
  })

  it('the printable HTML runs nothing and loads nothing: markup in the record is text', () => {
    const html = printableRecordHtml(nastyRecord(), { timeZone: clinicTimeZone })
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`)
    const tags = new Set([...html.matchAll(/<\/?([a-zA-Z0-9]+)/g)].map((m) => m[1]!.toLowerCase()))
    expect([...tags].sort()).toEqual(['body', 'div', 'footer', 'h2', 'head', 'header', 'html', 'main', 'meta', 'p', 'section', 'span', 'style', 'table', 'tbody', 'td', 'title', 'tr'])
    // Only the stylesheet's own closing tag: the clinic's "</style>" is escaped, also in the running header.
    expect(html.match(/<\/style>/g)).toHaveLength(1)
  })

  it('a draft is refused before anything is printed', async () => {
    const { signedAt: _signedAt, ...draft } = signedRecord({ status: 'draft' })
    const refusing: PdfRenderer = {
      render: () => Promise.reject(new Error('must not print a draft')),
      close: () => Promise.resolve(),
    }
    await expect(renderRecord(draft, 'pdf', { identifierSystems, pdfRenderer: refusing })).rejects.toMatchObject({ code: 'RECORD_NOT_SIGNED' })
  })
})
