import { describe, expect, it } from 'vitest'
import { redFlagCategories } from '../../electron/contract/triage.ts'
import { triageRules } from '../../electron/core/clinical/triage/rule-set.ts'
import { triagePatientMessage } from '../../electron/core/clinical/triage/triage.ts'
import { heldOutCases } from '../fixtures/triage/held-out-messages.ts'
import { triageCases, type TriageCase } from '../fixtures/triage/patient-messages.ts'

// The case sets as a clinic would judge the rules: recall (no missed red flag) and precision (no
// needless alarm) per category and overall, and whether each flag has the expected level. The main
// set was written before the rules; the later rounds were first run blind (their blind figures are
// in held-out-messages.ts) and now guard against regressions.

interface Tally {
  truePositives: number
  falsePositives: number
  falseNegatives: number
}

interface Evaluation {
  cases: readonly TriageCase[]
  elapsedMs: number
  tallies: Map<string, Tally>
  overall: Tally
  misses: string[]
  falseAlarms: string[]
  levelMismatches: string[]
  levelsAgreeing: number
  levelsCompared: number
}

function evaluate(cases: readonly TriageCase[]): Evaluation {
  const started = performance.now()
  const outcomes = cases.map((item) => ({
    item,
    flagged: new Map(triagePatientMessage(item.text, item.context).map((flag) => [flag.category, flag.level])),
  }))
  const elapsedMs = performance.now() - started
  const tallies = new Map<string, Tally>(redFlagCategories.map((category) => [category, { truePositives: 0, falsePositives: 0, falseNegatives: 0 }]))
  const result: Evaluation = {
    cases,
    elapsedMs,
    tallies,
    overall: { truePositives: 0, falsePositives: 0, falseNegatives: 0 },
    misses: [],
    falseAlarms: [],
    levelMismatches: [],
    levelsAgreeing: 0,
    levelsCompared: 0,
  }
  for (const { item, flagged } of outcomes) {
    const expected = new Map(Object.entries(item.expect))
    for (const category of new Set([...expected.keys(), ...flagged.keys()])) {
      const tally = tallies.get(category)!
      const want = expected.get(category)
      const got = flagged.get(category)
      if (want !== undefined && got !== undefined) {
        tally.truePositives++
        result.levelsCompared++
        if (want === got) result.levelsAgreeing++
        else result.levelMismatches.push(`${category}: expected ${want}, got ${got} — ${item.text}`)
      } else if (want !== undefined) {
        tally.falseNegatives++
        result.misses.push(`${category} (${want}) — ${item.text}`)
      } else {
        tally.falsePositives++
        result.falseAlarms.push(`${category} (${got}) — ${item.text}`)
      }
    }
  }
  for (const t of tallies.values()) {
    result.overall.truePositives += t.truePositives
    result.overall.falsePositives += t.falsePositives
    result.overall.falseNegatives += t.falseNegatives
  }
  return result
}

const ratio = (numerator: number, denominator: number) => (denominator === 0 ? 1 : numerator / denominator)
const percent = (value: number) => `${(value * 100).toFixed(1)}%`
const recall = (t: Tally) => ratio(t.truePositives, t.truePositives + t.falseNegatives)
const precision = (t: Tally) => ratio(t.truePositives, t.truePositives + t.falsePositives)
const positives = (cases: readonly TriageCase[], category: string) => cases.filter((item) => category in item.expect).length
const negatives = (cases: readonly TriageCase[]) => cases.filter((item) => Object.keys(item.expect).length === 0).length

/** Categories that can raise an emergency: the ones that must never be missed. */
const emergencyCategories = new Set(triageRules.filter((rule) => rule.level === 'emergency').map((rule) => rule.category))

function report(title: string, e: Evaluation): string {
  const rows = redFlagCategories.map((category) => {
    const t = e.tallies.get(category)!
    const kind = emergencyCategories.has(category) ? 'E' : 'U'
    return `  ${category.padEnd(22)} ${kind}  cases ${String(positives(e.cases, category)).padStart(3)}  recall ${percent(recall(t)).padStart(6)}  precision ${percent(precision(t)).padStart(6)}`
  })
  return [
    `${title}: ${e.cases.length} messages (${e.cases.length - negatives(e.cases)} with red flags, ${negatives(e.cases)} with none), ${e.elapsedMs.toFixed(0)} ms`,
    ...rows,
    `  overall recall ${percent(recall(e.overall))}, precision ${percent(precision(e.overall))}, levels agreeing ${percent(ratio(e.levelsAgreeing, e.levelsCompared))}`,
    ...e.misses.map((line) => `  MISSED ${line}`),
    ...e.falseAlarms.map((line) => `  FALSE ALARM ${line}`),
    ...e.levelMismatches.map((line) => `  LEVEL ${line}`),
  ].join('\n')
}

function assertQuality(e: Evaluation): void {
  for (const category of emergencyCategories) expect(recall(e.tallies.get(category)!), `${category}\n${e.misses.join('\n')}`).toBe(1)
  expect(recall(e.overall), e.misses.join('\n')).toBeGreaterThanOrEqual(0.98)
  expect(precision(e.overall), e.falseAlarms.join('\n')).toBeGreaterThanOrEqual(0.95)
  expect(ratio(e.levelsAgreeing, e.levelsCompared), e.levelMismatches.join('\n')).toBeGreaterThanOrEqual(0.95)
}

const main = evaluate(triageCases)
const later = evaluate(heldOutCases)

describe('triage: the main case set (written before the rules)', () => {
  it('has at least 150 realistic messages, positives for every category and plenty of hard negatives', () => {
    console.log(report('main case set', main))
    expect(triageCases.length).toBeGreaterThanOrEqual(150)
    for (const category of redFlagCategories) expect(positives(triageCases, category), category).toBeGreaterThanOrEqual(3)
    expect(negatives(triageCases)).toBeGreaterThanOrEqual(80)
  })

  it('misses no emergency category (recall 100%), with overall precision ≥ 95% and the right level for ≥ 95% of flags', () => {
    assertQuality(main)
    for (const category of redFlagCategories) {
      expect(precision(main.tallies.get(category)!), `${category}\n${main.falseAlarms.join('\n')}`).toBeGreaterThanOrEqual(0.8)
    }
  })

  it("never flags the issue's own no-flag examples", () => {
    for (const text of [
      '孩子8岁，发烧38度一天了，精神很好，能吃能玩',
      '血压160/90，没有任何不舒服',
      '刚才心慌了几秒钟，现在没事了',
      '早上流鼻血了，按了几分钟就止住了',
      '没有胸痛',
      '否认胸痛',
      '无呼吸困难',
      'denies chest pain',
      '三年前中过风',
      '以前心梗放过支架',
    ]) {
      expect(triagePatientMessage(text), text).toEqual([])
    }
  })

  it('scans the whole set in well under a second', () => {
    expect(main.elapsedMs).toBeLessThan(2000)
  })
})

describe('triage: the later rounds (first run blind, now regression cases)', () => {
  it('still find every emergency, with precision ≥ 95%', () => {
    console.log(report('later rounds', later))
    expect(heldOutCases.length).toBeGreaterThanOrEqual(150)
    assertQuality(later)
  })
})
