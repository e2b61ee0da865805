import { describe, expect, it } from 'vitest'
import { main } from '../../electron/cli/huatuo.ts'
import type { CliIO } from '../../electron/cli/output.ts'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { runHuatuo } from '../support/cli.ts'

// `huatuo triage` as a nurse or a script runs it: one answer per message, in the terminal's language.

function memoryIO(locale: CliIO['locale'] = 'en'): CliIO & { stdout: () => string; stderr: () => string } {
  let out = ''
  let err = ''
  return {
    out: (text) => (out += text),
    err: (text) => (err += text),
    stdin: Readable.from([]),
    isTTY: false,
    locale,
    stdout: () => out,
    stderr: () => err,
  }
}

describe('huatuo triage', () => {
  it('answers TEXT in one readable English line: level, category, the patient’s words, the action', async () => {
    const result = await runHuatuo(['triage', '我爸62岁，胸口闷得厉害，一直出冷汗'])
    expect(result.stderr).toBe('')
    expect(result.status).toBe(0)
    const lines = result.stdout.trimEnd().split('\n')
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(/^\[EMERGENCY\] Chest pain \(possible heart attack\): "胸口闷", "厉害", "出冷汗", "62岁" → .*ECG/)
  })

  it('reads standard input and answers each line with one JSON line, [] when nothing is flagged', async () => {
    const input = ['没有胸痛，也没有呼吸困难', '宝宝两个月，发烧38.5', '', 'my dad is not breathing', '三年前中过风\r', '孩子8岁，发烧38度一天了，精神很好'].join('\n')
    const result = await runHuatuo(['triage', '--json'], { input: `${input}\n` })
    expect(result.stderr).toBe('')
    expect(result.status).toBe(0)
    const answers = result.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as { flags: Array<Record<string, unknown>> })
    expect(answers).toHaveLength(6)
    expect(answers[0]).toEqual({ flags: [] })
    expect(answers[1]!.flags).toEqual([
      {
        category: 'infant-fever',
        level: 'emergency',
        matched: ['发烧38.5', '宝宝两个月'],
        action: { 'zh-CN': expect.stringContaining('3 个月以下婴儿发热'), en: expect.stringContaining('under 3 months') },
      },
    ])
    expect(Object.keys(answers[1]!.flags[0]!)).toEqual(['category', 'level', 'matched', 'action'])
    expect(answers[2]).toEqual({ flags: [] })
    expect(answers[3]!.flags.map((flag) => flag['category'])).toEqual(['cardiac-arrest'])
    expect(answers[4]).toEqual({ flags: [] })
    expect(answers[5]).toEqual({ flags: [] })
  })

  it('answers in Chinese when LANG is zh_*, and takes the age and pregnancy from the options', async () => {
    const result = await runHuatuo(['triage', '--age', '6w', '--pregnant'], {
      input: '发烧38.2\n头痛，血压150/100\n有点咳嗽\n',
      env: { LANG: 'zh_CN.UTF-8' },
    })
    expect(result.stderr).toBe('')
    expect(result.status).toBe(0)
    const lines = result.stdout.trimEnd().split('\n')
    expect(lines).toHaveLength(3)
    expect(lines[0]).toMatch(/^\[危急\] 3 个月以下婴儿发热：“发烧38.2” → /)
    expect(lines[1]).toMatch(/^\[危急\] 孕期危急情况：“头痛”“血压150\/100” → 警惕子痫前期/)
    expect(lines[2]).toBe('无危急征象')
  })

  it('rejects a bad option with the usage and exit status 2; with --json the error is JSON on stdout', async () => {
    const result = await runHuatuo(['triage', '--json', '--age', 'old', '胸痛'])
    expect(result.status).toBe(2)
    expect(JSON.parse(result.stdout)).toMatchObject({ error: { code: 'USAGE' } })
    expect(result.stderr).toContain('usage: huatuo triage')
  })

  it('is listed in `huatuo --help`, and its own --help names the rule-set version', async () => {
    const io = memoryIO()
    expect(await main(['--help'], io)).toBe(0)
    expect(io.stdout()).toMatch(/\n {2}triage {12}check patient messages for red flags/)
    const help = memoryIO()
    expect(await main(['triage', '--help'], help)).toBe(0)
    expect(help.stdout()).toMatch(/usage: huatuo triage \[--json\] \[--age N\] \[--pregnant\] \[TEXT\]/)
    expect(help.stdout()).toMatch(/Rule set \d{4}\.\d+/)
  })

  it('joins unquoted words into one message', async () => {
    const io = memoryIO('zh-CN')
    expect(await main(['triage', '没有', '胸痛'], io)).toBe(0)
    expect(io.stdout()).toBe('无危急征象\n')
  })

  it('answers nothing for empty input', async () => {
    const io = memoryIO()
    expect(await main(['triage'], io)).toBe(0)
    expect(io.stdout()).toBe('')
  })

  it('reports recall and precision per category on a labelled file, with each miss and false alarm', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'huatuo-triage-report-'))
    try {
      const file = join(dir, 'ward-wordings.jsonl')
      const lines = [
        { text: '左胸剧痛，出冷汗', expect: { 'chest-pain': 'emergency' } },
        { text: '三年前心梗过，现在没事', expect: {} },
        { text: '头有点晕', expect: { stroke: 'emergency' } },
        { text: '宝宝发烧38.5', context: { ageYears: 0.1 }, expect: { 'infant-fever': 'emergency' } },
      ]
      await writeFile(file, lines.map((line) => JSON.stringify(line)).join('\n'))
      const io = memoryIO()
      expect(await main(['triage', '--report', file], io)).toBe(0)
      const out = io.stdout()
      expect(out).toMatch(/^chest-pain +emergency +1 +1 +100\.0%/m)
      expect(out).toMatch(/^stroke +emergency +1 +0 +0\.0%/m)
      expect(out).toMatch(/emergencies: recall 66\.7% \(2 of 3\)/)
      expect(out).toContain('MISSED  stroke (emergency) — 头有点晕')
      const json = memoryIO()
      expect(await main(['triage', '--report', file, '--json'], json)).toBe(0)
      const parsed = JSON.parse(json.stdout()) as { emergencyRecall: number; nonUrgent: { wordings: number; flagged: number } }
      expect(parsed.emergencyRecall).toBeCloseTo(2 / 3)
      expect(parsed.nonUrgent).toEqual({ wordings: 1, flagged: 0 })

      // A file that is not labelled wordings is refused with its code and the line, not half-read.
      await writeFile(file, `${JSON.stringify(lines[0])}\n{"text": "x", "expect": {"heart-attack": "emergency"}}\n`)
      const bad = memoryIO()
      expect(await main(['triage', '--report', file], bad)).not.toBe(0)
      expect(bad.stderr()).toMatch(/TRIAGE_FILE_INVALID.*item 2/)
      expect(bad.stdout()).toBe('')
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
