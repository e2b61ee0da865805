import { createInterface } from 'node:readline'
import type { UiLocale } from '../../contract/errors.ts'
import type { TriageContext } from '../../contract/triage.ts'
import { readFile } from 'node:fs/promises'
import { ruleSetVersion } from '../../core/clinical/triage/rule-set.ts'
import { emergencyPrecision, emergencyRecall, parseLabelledWordings, reportTable, triageReport } from '../../core/clinical/triage/triage-report.ts'
import { triagePatientMessage } from '../../core/clinical/triage/triage.ts'
import { WorkstationError } from '../../core/errors.ts'
import { parseCommandArgs } from '../args.ts'
import { reportFailure, type CliIO } from '../output.ts'
import { formatFlags } from '../red-flag-text.ts'

const usage = `usage: huatuo triage [--json] [--age N] [--pregnant] [TEXT]
       huatuo triage --report FILE [--json]

Checks a patient message for red flags (emergencies and what needs care today) with the
workstation's deterministic rules — no model is involved. With TEXT, answers it in one line;
without, reads standard input and answers each line with one line, as it arrives.
  --age N       the patient's age in years (0.2 for about ten weeks), or with a unit: 10d, 6w, 2m, 70y
  --pregnant    the patient is pregnant
  --json        answer each line with {"flags": [{"category", "level", "matched", "action"}]}
                ("flags": [] when nothing is flagged)
  --report FILE how the rules do on your own labelled wordings, before deployment: FILE has one
                JSON object a line, {"text": "…", "expect": {"chest-pain": "emergency"}} ({} when
                nothing should be flagged; "context": {"ageYears": 0.1, "pregnant": true} optional);
                prints recall and precision per category and level, and every miss and false alarm

Rule set ${ruleSetVersion}. Answers are in the terminal's language (LANG=zh_CN.UTF-8 for Chinese).
`

const daysPerUnit: Record<string, number> = { d: 1, w: 7, m: 365.25 / 12, y: 365.25 }

/** "70", "0.2" (years) or "10d", "6w", "2m", "70y". */
export function parseAge(value: string): number {
  const match = /^(\d+(?:\.\d+)?)([dwmy])?$/.exec(value.trim().toLowerCase())
  const years = match === null ? Number.NaN : match[2] === undefined ? Number(match[1]) : (Number(match[1]) * daysPerUnit[match[2]]!) / 365.25
  if (!Number.isFinite(years) || years > 130) {
    throw new WorkstationError('USAGE', '--age must be a number of years (0–130) or a number with d, w, m or y')
  }
  return years
}

function answer(text: string, context: TriageContext, json: boolean, locale: UiLocale): string {
  const flags = triagePatientMessage(text, context)
  if (!json) return formatFlags(flags, locale)
  return JSON.stringify({ flags: flags.map(({ category, level, matched, action }) => ({ category, level, matched, action })) })
}

/** The per-category table for a labelled file; clinical text appears only in the misses, on this terminal. */
async function report(file: string, json: boolean, io: CliIO): Promise<number> {
  let content: string
  try {
    content = await readFile(file, 'utf8')
  } catch (error) {
    throw new WorkstationError('TRIAGE_FILE_INVALID', `${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`)
  }
  const result = triageReport(parseLabelledWordings(content))
  if (json) {
    io.out(`${JSON.stringify({ ruleSetVersion, ...result, emergencyRecall: emergencyRecall(result), emergencyPrecision: emergencyPrecision(result) })}\n`)
    return 0
  }
  io.out(`rule set ${ruleSetVersion}\n${reportTable(result)}`)
  for (const miss of result.misses) io.out(`MISSED  ${miss.category} (${miss.expected}${miss.raised ? `, raised ${miss.raised}` : ''}) — ${miss.text}\n`)
  for (const alarm of result.falseAlarms) io.out(`NOT EXPECTED  ${alarm.category} (${alarm.raised}) — ${alarm.text}\n`)
  return 0
}

export async function run(args: string[], io: CliIO): Promise<number> {
  let json = args.includes('--json')
  try {
    const { values, positionals } = parseCommandArgs(
      args,
      {
        json: { type: 'boolean' },
        age: { type: 'string' },
        pregnant: { type: 'boolean' },
        report: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      true,
    )
    json = values.json ?? false
    if (values.help) {
      io.out(usage)
      return 0
    }
    if (values.report !== undefined) return await report(values.report, json, io)
    const context: TriageContext = {}
    if (values.age !== undefined) context.ageYears = parseAge(values.age)
    if (values.pregnant) context.pregnant = true

    if (positionals.length > 0) {
      // Unquoted words (huatuo triage 胸口 闷) are one message, as the shell split it.
      io.out(`${answer(positionals.join(' '), context, json, io.locale)}\n`)
      return 0
    }
    const lines = createInterface({ input: io.stdin, crlfDelay: Infinity, terminal: false })
    for await (const line of lines) io.out(`${answer(line, context, json, io.locale)}\n`)
    return 0
  } catch (error) {
    if (error instanceof WorkstationError && error.code === 'USAGE') io.err(usage)
    return reportFailure(io, error, json)
  }
}
