import { metricsScorer } from '../../core/evaluation/report/metrics-scorer.ts'
import { writeEvaluationReport } from '../../core/evaluation/report/write-report.ts'
import { WorkstationError } from '../../core/errors.ts'
import { parseCommandArgs } from '../args.ts'
import { reportFailure, type CliIO } from '../output.ts'

const usage = `usage: huatuo eval report --predictions FILE [--review DIR] [--out DIR] [--json]

Writes a run's report: report.json and report.html, one self-contained page (it loads nothing and
runs no script) to read on screen or print on A4. It shows the run's header (from run.json beside
the predictions), BLEU-1..4, GLEU, ROUGE-1/2/L and Distinct-1/2 (or exam accuracy) beside the
published HuatuoGPT and T5 figures when the dataset is cMedQA2, WebMedQA or Huatuo-26M, charts,
answer lengths, speed, the ten lowest-scoring items, and the exact metric definitions.
  --predictions FILE  the run's predictions.jsonl (malformed lines are skipped and listed)
  --review DIR        a blind review of this run against another (huatuo eval compare): adds
                      the doctors' verdict — this model better / tie / the other better, with
                      Wilson 95 % intervals, reviewers and their agreement; the run is A or B of
                      the review by its predictions file's SHA-256
  --out DIR           where to write the report (default: the predictions file's folder); an
                      earlier report there is replaced
  --json              print where the report went and its counts as JSON
`

const options = {
  predictions: { type: 'string' },
  out: { type: 'string' },
  review: { type: 'string' },
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
      ...(values.review === undefined ? {} : { reviewDir: values.review }),
    })
    const { counts } = written.report
    if (json) {
      const review = written.report.blindReview
      io.out(
        `${JSON.stringify({
          json: written.jsonPath,
          html: written.htmlPath,
          answered: counts.answered,
          scored: counts.scored,
          unscored: counts.unscored,
          skippedLines: counts.skippedLines.length,
          ...(review === undefined ? {} : { review: { id: review.reviewId, thisRun: review.thisRun, judgements: review.judgements, wins: review.wins.count, ties: review.ties.count, losses: review.losses.count } }),
        })}\n`,
      )
    } else {
      io.out(`wrote ${written.htmlPath}\n  and ${written.jsonPath}\n`)
      io.out(`${counts.answered} answered, ${counts.scored} scored, ${counts.unscored} unscored`)
      io.out(counts.skippedLines.length === 0 ? '\n' : `, ${counts.skippedLines.length} malformed lines skipped (lines ${counts.skippedLines.map((line) => line.line).join(', ')})\n`)
      const review = written.report.blindReview
      if (review !== undefined)
        io.out(`blind review ${review.reviewId} (this run is ${review.thisRun.toUpperCase()}): ${review.wins.count} judged this model better, ${review.ties.count} ties, ${review.losses.count} the other better — ${review.judgements} judgements by ${review.reviewers} reviewers\n`)
    }
    return 0
  } catch (error) {
    return reportFailure(io, error, json)
  }
}
