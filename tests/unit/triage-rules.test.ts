import { readdirSync } from 'node:fs'
import { describe, expect, it, vi } from 'vitest'
import { redFlagCategories, redFlagSchema, triageContextSchema } from '../../electron/contract/triage.ts'
import { ruleSetFingerprint, ruleSetVersion, triageRules } from '../../electron/core/clinical/triage/rule-set.ts'
import { explainTriage, triagePatientMessage } from '../../electron/core/clinical/triage/triage.ts'
import { triageCases } from '../fixtures/triage/patient-messages.ts'

// The rule tables as data a clinic signs off on, and the flags as the records store receives them.

/**
 * The fingerprint of the tables for each rule-set version. Flags are stored with their version, so
 * a changed rule must come with a new version: bump ruleSetVersion and record the new fingerprint.
 */
const recordedFingerprints: Record<string, string> = {
  '2026.1': '38c1371a',
  '2026.2': 'a643fae9',
}

const han = /\p{Script=Han}/u

describe('the rule tables', () => {
  it('have stable, unique ids named after their category', () => {
    const ids = triageRules.map((rule) => rule.id)
    expect(new Set(ids).size).toBe(ids.length)
    for (const rule of triageRules) expect(rule.id.startsWith(`${rule.category}.`), rule.id).toBe(true)
    for (const rule of triageRules) expect(rule.id).toMatch(/^[a-z0-9-]+\.[a-z0-9-]+$/)
  })

  it('cover every category, each with an action a clinician can follow in both languages', () => {
    for (const category of redFlagCategories) expect(triageRules.some((rule) => rule.category === category), category).toBe(true)
    for (const rule of triageRules) {
      expect(han.test(rule.action['zh-CN']), rule.id).toBe(true)
      expect(han.test(rule.action.en), rule.id).toBe(false)
      expect(rule.action.en.length, rule.id).toBeGreaterThan(30)
    }
  })

  it('list the more urgent rule of a category first, so it decides the level and action', () => {
    for (const category of redFlagCategories) {
      const levels = triageRules.filter((rule) => rule.category === category).map((rule) => rule.level)
      expect(levels.indexOf('urgent') === -1 || levels.lastIndexOf('emergency') < levels.indexOf('urgent'), category).toBe(true)
    }
  })

  it('each fire on at least one message of the case set', () => {
    const fired = new Set(triageCases.flatMap((item) => explainTriage(item.text, item.context).fired.map((f) => f.rule.id)))
    expect(triageRules.map((rule) => rule.id).filter((id) => !fired.has(id))).toEqual([])
  })

  it(`are the tables recorded for rule-set version ${ruleSetVersion} (change a rule, change the version)`, () => {
    expect(ruleSetFingerprint(), 'the rules changed: bump ruleSetVersion in rule-set.ts and record the new fingerprint here').toBe(
      recordedFingerprints[ruleSetVersion],
    )
  })
})

describe('the flags', () => {
  const flagged = triageCases.map((item) => ({ item, flags: triagePatientMessage(item.text, item.context) }))

  it('match the RedFlag contract the records store validates', () => {
    for (const { flags } of flagged) {
      for (const flag of flags) {
        expect(redFlagSchema.parse(flag)).toEqual(flag)
        expect(flag.ruleSetVersion).toBe(ruleSetVersion)
        expect(flag.matched.length).toBeGreaterThan(0)
      }
    }
  })

  it("quote the patient's own words, exactly as written", () => {
    for (const { item, flags } of flagged) {
      for (const word of flags.flatMap((flag) => flag.matched)) expect(item.text, word).toContain(word)
    }
    expect(triagePatientMessage('凶口闷，出了一身冷汗')[0]!.matched).toEqual(['凶口闷', '出了一身冷汗'])
    expect(triagePatientMessage('寶寶兩個月，發燒38度')[0]!.matched).toEqual(['發燒38度', '寶寶兩個月'])
  })

  it('come one per category, emergencies first', () => {
    for (const { flags } of flagged) {
      expect(new Set(flags.map((flag) => flag.category)).size).toBe(flags.length)
      const levels = flags.map((flag) => flag.level)
      expect(levels).toEqual([...levels].sort((a, b) => (a === b ? 0 : a === 'emergency' ? -1 : 1)))
    }
  })

  it('carry the decisive rule: the most urgent that fired', () => {
    const [flag] = triagePatientMessage('胸口有点闷，出冷汗')
    expect(flag).toMatchObject({ ruleId: 'chest-pain.cardiac-features', category: 'chest-pain', level: 'emergency' })
    const [mild] = triagePatientMessage('胸口有点闷', { ageYears: 25 })
    expect(mild).toMatchObject({ ruleId: 'chest-pain.any', level: 'urgent' })
  })

  it('are the same every time (no model, no randomness, no state between messages)', () => {
    const text = '我爸今年68，胸口像压了块大石头，满头大汗；前年中过风'
    const first = triagePatientMessage(text)
    triagePatientMessage('宝宝两个月，发烧38.5')
    expect(triagePatientMessage(text)).toEqual(first)
  })

  it('never write the clinical text anywhere', () => {
    const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((method) => vi.spyOn(console, method))
    const write = vi.spyOn(process.stderr, 'write')
    try {
      for (const item of triageCases.slice(0, 40)) triagePatientMessage(item.text, item.context)
      for (const spy of [...spies, write]) expect(spy).not.toHaveBeenCalled()
    } finally {
      for (const spy of [...spies, write]) spy.mockRestore()
    }
  })

  it('take any text without failing: empty, punctuation, emoji, control characters, a megabyte', () => {
    for (const text of ['', '   ', '？？？！！！', '😷🤒🚑', '\u0000\u0007\ufeff胸痛', '。'.repeat(10_000), 'a'.repeat(100_000)]) {
      expect(() => triagePatientMessage(text)).not.toThrow()
    }
    const started = performance.now()
    triagePatientMessage('胸口闷，'.repeat(150_000))
    expect(performance.now() - started).toBeLessThan(10_000)
  })

  it('find the emergency at the end of a long rambling message, quickly', () => {
    const rambling =
      '医生您好，我想咨询一下我家老人的情况，他平时身体还可以，有高血压十几年了，一直吃药，血压控制得还行，' +
      '饮食方面比较清淡，偶尔喝点酒，睡眠一般，晚上起夜两三次。'.repeat(40) +
      '刚才吃晚饭的时候突然说话不清楚，右手拿不住筷子。'
    const started = performance.now()
    const flags = triagePatientMessage(rambling)
    const elapsed = performance.now() - started
    expect(flags.map((flag) => flag.category)).toEqual(['stroke'])
    expect(elapsed).toBeLessThan(1000)
  })
})

describe('the patient header', () => {
  it('is validated at the boundary', () => {
    expect(triageContextSchema.parse({ ageYears: 0.15, pregnant: true, sex: 'female' })).toEqual({ ageYears: 0.15, pregnant: true, sex: 'female' })
    expect(() => triageContextSchema.parse({ ageYears: -1 })).toThrow()
    expect(() => triageContextSchema.parse({ age: 3 })).toThrow()
  })

  it('adds what the text does not say', () => {
    expect(triagePatientMessage('发烧38.5', { ageYears: 0.1 }).map((flag) => flag.category)).toEqual(['infant-fever'])
    expect(triagePatientMessage('发烧38.5', { ageYears: 8 })).toEqual([])
    expect(triagePatientMessage('下面出血了', { pregnant: true }).map((flag) => flag.category)).toEqual(['pregnancy-emergency'])
    expect(triagePatientMessage('下面出血了')).toEqual([])
  })
})

describe('the vocabularies', () => {
  // A slot composes into other patterns (`${site}${G}{0,6}${pain}`): an alternation left at its top
  // level would split the pattern around it, so every exported slot must be one group.
  it('export every slot as one group, so composing them never splits a pattern', async () => {
    const folder = new URL('../../electron/core/clinical/triage/rules/', import.meta.url)
    const files = readdirSync(folder).filter((file) => file.endsWith('-vocabulary.ts'))
    expect(files.length).toBeGreaterThan(5)
    const split: string[] = []
    for (const file of files) {
      const slots = (await import(new URL(file, folder).href)) as Record<string, unknown>
      for (const [name, value] of Object.entries(slots)) if (typeof value === 'string' && hasTopLevelAlternation(value)) split.push(`${file} ${name}`)
    }
    expect(split).toEqual([])
  })
})

function hasTopLevelAlternation(source: string): boolean {
  let depth = 0
  let inClass = false
  for (let i = 0; i < source.length; i++) {
    const character = source[i]
    if (character === '\\') i++
    else if (inClass) inClass = character !== ']'
    else if (character === '[') inClass = true
    else if (character === '(') depth++
    else if (character === ')') depth--
    else if (character === '|' && depth === 0) return true
  }
  return false
}
