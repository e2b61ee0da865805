import { metricsScorer } from '../../core/evaluation/report/metrics-scorer.ts'
import { writeEvaluationReport } from '../../core/evaluation/report/write-report.ts'
import { WorkstationError } from '../../core/errors.ts'
import { parseCommandArgs } from '../args.ts'
import { reportFailure, type CliIO } from '../output.ts'

const usage = `usage: huatuo eval report --predictions FILE [--out DIR] [--json]

Writes a run's report: report.json and report.html, one self-contained page (it loads nothing and
runs no script) to read on screen or print on A4. It shows the run's header (from run.json beside
the predictions), BLEU-1..4, GLEU, ROUGE-1/2/L and Distinct-1/2 (or exam accuracy) beside the
published HuatuoGPT and T5 figures when the dataset is cMedQA2, WebMedQA or Huatuo-26M, charts,
answer lengths, speed, the ten lowest-scoring items, and the exact metric definitions.
  --predictions FILE  the run's predictions.jsonl (malformed lines are skipped and listed)
  --out DIR           where to write the report (default: the predictions file's folder); an
                      earlier report there is replaced
  --json              print where the report went and its counts as JSON
`

const options = {
  predictions: { type: 'string' },
  out: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const

export async function run(args: string[], io: CliIO): Promise<number> {
  let json = args.includes('--json')
  try {
    let values
    try {
      values = parseCommandArgs(args, options).values
    } catch (error) {
      io.err(usage)
      throw error
    }
    json = values.json === true
    if (values.help) {
      io.out(usage)
      return 0
    }
    if (values.predictions === undefined) {
      io.err(usage)
      throw new WorkstationError('USAGE', '--predictions FILE is required')
    }
    const written = await writeEvaluationReport({
      predictionsPath: values.predictions,
      scorer: metricsScorer,
      ...(values.out === undefined ? {} : { outDir: values.out }),
    })
    const { counts } = written.report
    if (json) {
      io.out(`${JSON.stringify({ json: written.jsonPath, html: written.htmlPath, answered: counts.answered, scored: counts.scored, unscored: counts.unscored, skippedLines: counts.skippedLines.length })}\n`)
    } else {
      io.out(`wrote ${written.htmlPath}\n  and ${written.jsonPath}\n`)
      io.out(`${counts.answered} answered, ${counts.scored} scored, ${counts.unscored} unscored`)
      io.out(counts.skippedLines.length === 0 ? '\n' : `, ${counts.skippedLines.length} malformed lines skipped (lines ${counts.skippedLines.map((line) => line.line).join(', ')})\n`)
    }
    return 0
  } catch (error) {
    return reportFailure(io, error, json)
  }
}
