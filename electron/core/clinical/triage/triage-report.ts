// How the rules do on a labelled set of patient wordings, as a clinic judges them: per category and
// level, how many expected flags were raised (recall) and how many raised flags were expected
// (precision); emergencies judged strictly (an emergency raised only as URGENT is a miss). Used by
// `huatuo triage --report FILE` for a hospital's own wordings and by the tests for the held-out set.
import { z } from 'zod'
import { redFlagCategories, redFlagLevels, triageContextSchema, type RedFlag, type RedFlagLevel, type TriageContext } from '../../../contract/triage.ts'
import { WorkstationError } from '../../errors.ts'
import { triagePatientMessage } from './triage.ts'

/** One labelled wording: the flags a triage nurse would raise on it ({} when none). */
export interface LabelledWording {
  text: string
  context?: TriageContext
  expect: Partial<Record<string, RedFlagLevel>>
}

export const labelledWordingSchema = z
  .object({
    text: z.string().min(1).max(20_000),
    context: triageContextSchema.optional(),
    expect: z.partialRecord(z.enum(redFlagCategories), z.enum(redFlagLevels)),
  })
  .loose()

/** Expected flags of one category and level, and what the rules did with them. */
export interface CategoryFigures {
  category: string
  level: RedFlagLevel
  /** Wordings labelled with this category at this level. */
  expected: number
  /** Of those, raised: at EMERGENCY for an emergency; at any level for an urgent one. */
  found: number
  /** Flags of this category raised at this level, on any wording. */
  raised: number
  /** Of those, labelled with this category (at this level, for an emergency). */
  correct: number
}

export interface TriageReport {
  wordings: number
  rows: CategoryFigures[]
  /**
   * Emergencies as the targets judge them: recall over the emergencies expected; precision against
   * the non-urgent wordings (found ÷ found + emergency flags raised on wordings that needed none). A
   * second, clinically true flag on an emergency wording is in the rows, not here.
   */
  emergency: { expected: number; found: number; raisedOnNonUrgent: number }
  /** Wordings labelled with no flag, and how many of them got any flag. */
  nonUrgent: { wordings: number; flagged: number }
  misses: Array<{ text: string; category: string; expected: RedFlagLevel; raised: RedFlagLevel | null }>
  falseAlarms: Array<{ text: string; category: string; raised: RedFlagLevel }>
}

export const ratio = (part: number, whole: number): number => (whole === 0 ? 1 : part / whole)

export function triageReport(wordings: readonly LabelledWording[], triage: (text: string, context?: TriageContext) => RedFlag[] = triagePatientMessage): TriageReport {
  const rows = new Map<string, CategoryFigures>()
  const row = (category: string, level: RedFlagLevel) => {
    const key = `${category}|${level}`
    let figures = rows.get(key)
    if (figures === undefined) rows.set(key, (figures = { category, level, expected: 0, found: 0, raised: 0, correct: 0 }))
    return figures
  }
  const report: TriageReport = { wordings: wordings.length, rows: [], emergency: { expected: 0, found: 0, raisedOnNonUrgent: 0 }, nonUrgent: { wordings: 0, flagged: 0 }, misses: [], falseAlarms: [] }
  for (const wording of wordings) {
    const raised = new Map(triage(wording.text, wording.context).map((flag) => [flag.category, flag.level]))
    const expected = Object.entries(wording.expect).filter((entry): entry is [string, RedFlagLevel] => entry[1] !== undefined)
    if (expected.length === 0) {
      report.nonUrgent.wordings++
      if (raised.size > 0) report.nonUrgent.flagged++
      report.emergency.raisedOnNonUrgent += [...raised.values()].filter((level) => level === 'emergency').length
    }
    for (const [category, level] of expected) {
      const figures = row(category, level)
      figures.expected++
      const got = raised.get(category) ?? null
      const found = level === 'emergency' ? got === 'emergency' : got !== null
      if (found) figures.found++
      else report.misses.push({ text: wording.text, category, expected: level, raised: got })
    }
    for (const [category, level] of raised) {
      const figures = row(category, level)
      figures.raised++
      const want = wording.expect[category]
      const correct = level === 'emergency' ? want === 'emergency' : want !== undefined
      if (correct) figures.correct++
      else if (want === undefined) report.falseAlarms.push({ text: wording.text, category, raised: level })
    }
  }
  const order = (figures: CategoryFigures) => redFlagCategories.indexOf(figures.category as (typeof redFlagCategories)[number])
  report.rows = [...rows.values()].sort((a, b) => (a.level === b.level ? order(a) - order(b) : a.level === 'emergency' ? -1 : 1))
  for (const figures of report.rows.filter((r) => r.level === 'emergency')) {
    report.emergency.expected += figures.expected
    report.emergency.found += figures.found
  }
  return report
}

export const emergencyRecall = (report: TriageReport) => ratio(report.emergency.found, report.emergency.expected)
export const emergencyPrecision = (report: TriageReport) => ratio(report.emergency.found, report.emergency.found + report.emergency.raisedOnNonUrgent)

const percent = (value: number) => `${(value * 100).toFixed(1)}%`.padStart(6)

/** The report as a plain table a clinician reads in a terminal. */
export function reportTable(report: TriageReport): string {
  const lines = [`category               level      expected  found  recall   raised  correct  precision`]
  for (const r of report.rows) {
    lines.push(
      `${r.category.padEnd(22)} ${r.level.padEnd(10)} ${String(r.expected).padStart(8)} ${String(r.found).padStart(6)}  ${percent(ratio(r.found, r.expected))} ${String(r.raised).padStart(8)} ${String(r.correct).padStart(8)}  ${percent(ratio(r.correct, r.raised))}`,
    )
  }
  const e = report.emergency
  lines.push(
    '',
    `emergencies: recall ${percent(emergencyRecall(report)).trim()} (${e.found} of ${e.expected}); precision against the non-urgent wordings ${percent(emergencyPrecision(report)).trim()} (${e.raisedOnNonUrgent} emergency flags raised on them)`,
    `non-urgent wordings: ${report.nonUrgent.wordings}, of which flagged: ${report.nonUrgent.flagged}`,
    `${report.wordings} wordings`,
  )
  return `${lines.join('\n')}\n`
}

/** A labelled file: JSON lines, or one JSON array, of {text, expect, context?}; a bad line is refused with its number. */
export function parseLabelledWordings(content: string): LabelledWording[] {
  const trimmed = content.trim()
  const items: Array<{ line: number; value: unknown }> = []
  try {
    if (trimmed.startsWith('[')) (JSON.parse(trimmed) as unknown[]).forEach((value, index) => items.push({ line: index + 1, value }))
    else
      trimmed.split('\n').forEach((text, index) => {
        if (text.trim() !== '') items.push({ line: index + 1, value: JSON.parse(text) })
      })
  } catch (error) {
    throw new WorkstationError('TRIAGE_FILE_INVALID', error instanceof Error ? error.message : String(error))
  }
  return items.map(({ line, value }) => {
    const parsed = labelledWordingSchema.safeParse(value)
    if (!parsed.success) throw new WorkstationError('TRIAGE_FILE_INVALID', `item ${line}: ${parsed.error.issues[0]?.path.join('.') ?? ''} ${parsed.error.issues[0]?.message ?? ''}`.trim())
    return { text: parsed.data.text, expect: parsed.data.expect, ...(parsed.data.context ? { context: parsed.data.context } : {}) }
  })
}
