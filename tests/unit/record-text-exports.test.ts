import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { recordSections, type OutpatientRecordFile } from '../../electron/contract/outpatient-record.ts'
import { parseRecordFile, readRecordFile } from '../../electron/core/clinical/outpatient-record/record-file.ts'
import { WorkstationError } from '../../electron/core/errors.ts'
import { recordHisText } from '../../electron/core/export/his-text-export.ts'
import { recordMarkdown } from '../../electron/core/export/markdown-export.ts'
import { ageLabel, clinicTime } from '../../electron/core/export/record-presentation.ts'
import { amendedRecord, clinicTimeZone, nastyRecord, nastyText, signedRecord } from './outpatient-record-support.ts'

// The record JSON file, and the two text exports a clinician pastes or reads: Markdown and the
// plain text for a hospital information system.

const options = { timeZone: clinicTimeZone }
// eslint-disable-next-line no-control-regex -- what the exports must never contain
const controlCharacters = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/
const titles = recordSections.map((s) => s.title['zh-CN'])

function codeOf(work: () => unknown): { code: string; detail: string } {
  try {
    work()
  } catch (error) {
    if (error instanceof WorkstationError) return { code: error.code, detail: error.detail ?? '' }
    throw error
  }
  throw new Error('nothing was thrown')
}

describe('the record JSON file', () => {
  let folder: string
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'huatuo-record-file-'))
  })
  afterAll(() => rm(folder, { recursive: true, force: true }))

  it('reads a record file as written (a UTF-8 BOM too)', async () => {
    const path = join(folder, 'record.json')
    await writeFile(path, `\uFEFF${JSON.stringify(signedRecord(), null, 2)}`)
    expect(await readRecordFile(path)).toEqual(signedRecord())
  })

  it('names every wrong field, never its value', () => {
    const record = {
      ...signedRecord(),
      patient: { id: 'MZ1', name: '欧阳娜娜', sex: '女士' },
      visit: { start: '上周三上午' },
      sections: { ...signedRecord().sections, diagnosisCode: '感冒', symptoms: '咳嗽不止' },
      model: { ...signedRecord().model!, sha256: 'not-a-hash' },
    }
    const { code, detail } = codeOf(() => parseRecordFile(JSON.stringify(record)))
    expect(code).toBe('RECORD_FILE_INVALID')
    for (const field of ['patient.sex', 'visit.start', 'sections.diagnosisCode', 'sections: Unrecognized key: "symptoms"', 'model.sha256']) expect(detail).toContain(field)
    for (const value of ['欧阳娜娜', '女士', '上周三上午', '感冒', '咳嗽不止', 'not-a-hash']) expect(detail).not.toContain(value)
  })

  it('a signed record needs signedAt; an amendment its reason and the version it replaces', () => {
    const { signedAt: _signedAt, ...unsigned } = signedRecord()
    expect(codeOf(() => parseRecordFile(JSON.stringify(unsigned))).detail).toContain('signedAt')
    const { amendmentReason: _reason, amends: _amends, ...amendment } = amendedRecord()
    const { detail } = codeOf(() => parseRecordFile(JSON.stringify(amendment)))
    expect(detail).toContain('amendmentReason')
    expect(detail).toContain('amends')
  })

  it('text that is not JSON is reported by position, without quoting it', () => {
    const { code, detail } = codeOf(() => parseRecordFile('{"patient": 张伟的病历'))
    expect(code).toBe('RECORD_FILE_INVALID')
    expect(detail).toMatch(/^not JSON/)
    expect(detail).not.toContain('张伟')
  })

  it('a missing file is INPUT_UNREADABLE', async () => {
    await expect(readRecordFile(join(folder, 'absent.json'))).rejects.toMatchObject({ code: 'INPUT_UNREADABLE' })
  })
})

describe('how ages and times read', () => {
  it.each([
    [52, '52岁'],
    [0.25, '3个月'],
    [1.5, '1岁6个月'],
    [2, '2岁'],
    [7.9, '7岁'],
  ])('age %s reads %s', (age, label) => expect(ageLabel(age)).toBe(label))

  it('times show in the clinic time zone, or as the record file wrote them', () => {
    expect(clinicTime('2024-03-01T01:30:00Z', { timeZone: 'Asia/Shanghai' })).toBe('2024-03-01 09:30')
    expect(clinicTime('2024-03-01T09:30:00+08:00')).toBe('2024-03-01 09:30')
    expect(clinicTime('2024-02-29T23:30:00-05:00')).toBe('2024-02-29 23:30')
  })
})

/** The body of each `## title` section, with Markdown's escapes and hard breaks undone. */
function markdownSections(markdown: string): Map<string, string> {
  const sections = new Map<string, string>()
  const parts = markdown.split(/^## /m).slice(1)
  for (const part of parts) {
    const [heading, ...rest] = part.split('\n')
    const body = rest.join('\n').split(/\n---\n/)[0]!.trim()
    sections.set(heading!.replace(' \\*', ''), body.replace(/\\\n/g, '\n').replace(/\\(.)/g, '$1'))
  }
  return sections
}

describe('Markdown', () => {
  it('header, red flags, the nine sections in order, signature and the AI footnote', () => {
    const markdown = recordMarkdown(signedRecord(), options)
    expect(markdown.startsWith('# 华佗社区卫生服务中心 门诊病历\n')).toBe(true)
    expect(markdown).toContain('**门诊号**：MZ20240301-0042')
    expect(markdown).toContain('**就诊时间**：2024-03-01 09:30')
    expect(markdown).toContain('**危急提示（紧急）**：突发剧烈头痛')
    expect([...markdown.matchAll(/^## (\S+)/gm)].map((m) => m[1])).toEqual(titles)
    expect(markdown).toContain('## 主诉 \\*')
    expect(markdown).toContain('## 体格检查\n')
    expect(markdown).toContain('**医师签名**：李明　**签名时间**：2024-03-01 10:05')
    expect(markdown).toContain('AI-drafted, doctor-verified')
    const sections = markdownSections(markdown)
    expect(sections.get('医嘱')).toBe(signedRecord().sections.orders)
    expect(sections.get('初步诊断')).toBe('急性上呼吸道感染（ICD-10：J06.9）')
  })

  it('markup in the record stays text: every section reads back exactly', () => {
    const record = nastyRecord()
    const markdown = recordMarkdown(record, options)
    expect(markdown).not.toMatch(/(?<!\\)<script/)
    expect(markdown).toContain('\\<script\\>')
    // No section line can start a list, heading or quote.
    const sections = markdownSections(markdown)
    expect(sections.get('主诉')).toBe(record.sections.chiefComplaint)
    expect(sections.get('处理意见')).toBe(record.sections.plan)
    expect(sections.get('既往史')).toBe(nastyText.ampersand)
    expect(sections.get('现病史')).toBe(record.sections.presentIllness)
    expect(sections.get('初步诊断')).toBe(`${nastyText.quotes} abcd`)
    expect(sections.get('体格检查')).toBe('—')
    expect(sections.get('医嘱')).toBe('—')
    expect(markdown).toContain('**年龄**：3个月')
    expect(markdown).not.toMatch(controlCharacters)
  })

  it('an amendment says so first, with its reason and what it replaces', () => {
    const markdown = recordMarkdown(amendedRecord(), options)
    expect(markdown.split('\n')[2]).toBe('> **修订版本，替代 2024-03-01 10:05 签署的版本。修订原因：补充辅助检查结果：CRP 升高。**')
  })
})

describe('plain text for the hospital information system', () => {
  it('【heading】 per section, in order, text exactly as recorded', () => {
    const record = signedRecord()
    const text = recordHisText(record, options)
    const lines = text.split('\n')
    expect(lines.slice(0, 3)).toEqual([
      '华佗社区卫生服务中心 门诊病历',
      '科室：全科门诊　就诊时间：2024-03-01 09:30',
      '门诊号：MZ20240301-0042　姓名：张伟　性别：男　年龄：52岁',
    ])
    expect(lines[3]).toBe('【危急提示】紧急：突发剧烈头痛（病人原话：“头痛得像要炸开”）')
    expect([...text.matchAll(/^【([^】]+)】/gm)].map((m) => m[1]).filter((t) => titles.includes(t!))).toEqual(titles)
    expect(text).toContain(`【主诉】${record.sections.chiefComplaint}\n`)
    expect(text).toContain(`【医嘱】${record.sections.orders}\n`)
    expect(text).toContain('【初步诊断】急性上呼吸道感染（ICD-10：J06.9）\n')
    expect(text).toContain('医师：李明　签名时间：2024-03-01 10:05\n')
    expect(text).toMatch(/注：本病历由 AI 模型（HuatuoGPT-o1-7B，Q4_K_M）/)
  })

  it('hostile text is kept as text, control characters dropped, empty sections left empty', () => {
    const record = nastyRecord()
    const text = recordHisText(record, options)
    expect(text).toContain(`【主诉】${record.sections.chiefComplaint}\n`)
    expect(text).toContain(`【既往史】${nastyText.ampersand}\n`)
    expect(text).toContain('【体格检查】\n')
    expect(text).toContain('【辅助检查】\n')
    expect(text).toContain('【过敏史】无\n')
    expect(text).toContain(`【初步诊断】${nastyText.quotes} abcd\n`)
    expect(text).not.toMatch(controlCharacters)
    expect(text.length).toBeGreaterThan(record.sections.presentIllness!.length)
  })

  it('an amendment carries a 【修订】 line', () => {
    expect(recordHisText(amendedRecord(), options)).toContain('【修订】修订版本，替代 2024-03-01 10:05 签署的版本。修订原因：补充辅助检查结果：CRP 升高。\n')
  })
})

describe('drafts', () => {
  it.each([
    ['Markdown', (record: OutpatientRecordFile) => recordMarkdown(record, options)],
    ['HIS text', (record: OutpatientRecordFile) => recordHisText(record, options)],
  ])('%s refuses a draft with RECORD_NOT_SIGNED', (_format, exporter) => {
    const { signedAt: _signedAt, ...draft } = signedRecord({ status: 'draft' })
    expect(codeOf(() => exporter(draft)).code).toBe('RECORD_NOT_SIGNED')
  })
})
