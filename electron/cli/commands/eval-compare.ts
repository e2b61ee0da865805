import { userInfo } from 'node:os'
import { basename, join, resolve } from 'node:path'
import { newReviewId, prepareReview } from '../../core/evaluation/review/blind-review.ts'
import { WorkstationError } from '../../core/errors.ts'
import { parseCommandArgs } from '../args.ts'
import { reportFailure, type CliIO } from '../output.ts'

const usage = `usage: huatuo eval compare --a RUN_A --b RUN_B [--out DIR] [--json]

Prepares doctors' blind pairwise review of two runs over the same dataset (the dataset files'
SHA-256 must match): the questions both runs answered with the same id and the same question text,
each with its two answers in an order drawn per item from a random seed (each run first on half of
the items), so a reviewer cannot tell which model wrote which answer. Reviewers judge in the
workstation's review screen; "huatuo eval report --review DIR" adds the result to a run's report.
  --a RUN_A, --b RUN_B  the two run folders (each with run.json and predictions.jsonl)
  --out DIR             the review's folder (default: a new folder review-<time>-<random> here); it
                        holds review.json (what reviewers read), key.json (which run is first on
                        each item: never give it to a reviewer) and, later, judgements.jsonl
  --json                print {"review", "id", "items", "runs": {"a", "b"}} as JSON
`

const options = {
  a: { type: 'string' },
  b: { type: 'string' },
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
    if (values.a === undefined || values.b === undefined) {
      io.err(usage)
      throw new WorkstationError('USAGE', '--a RUN_A and --b RUN_B are required')
    }
    const now = new Date()
    const id = newReviewId(now)
    const outDir = resolve(values.out ?? join(process.cwd(), id))
    const runA = resolve(values.a)
    const runB = resolve(values.b)
    const { document } = await prepareReview({
      runA: { folder: runA, name: basename(runA) },
      runB: { folder: runB, name: basename(runB) },
      outDir,
      createdBy: `os:${safeUserName()}`,
      id,
      now,
    })
    const runs = {
      a: { run: document.runs.a.run, model: document.runs.a.model.name },
      b: { run: document.runs.b.run, model: document.runs.b.model.name },
    }
    if (json) {
      io.out(`${JSON.stringify({ review: outDir, id, items: document.items.length, runs })}\n`)
    } else {
      io.out(`wrote the review ${id} to ${outDir}\n`)
      io.out(`  ${document.items.length} items both runs answered alike; A: ${runs.a.model} (${runs.a.run}), B: ${runs.b.model} (${runs.b.run})\n`)
      io.out(`  key.json says which run is first on each item: keep it from the reviewers\n`)
    }
    return 0
  } catch (error) {
    return reportFailure(io, error, json)
  }
}

function safeUserName(): string {
  try {
    return userInfo().username
  } catch {
    return 'unknown'
  }
}
