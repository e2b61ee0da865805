import { WorkstationError } from '../../core/errors.ts'
import { reportFailure, type CliIO } from '../output.ts'

const usage = `usage: huatuo eval <command> [options]

Evaluate a model file before it advises anyone, as HuatuoGPT's authors evaluate theirs.
  run       answer a dataset's questions with a model, one fresh context each (resumable)
  score     BLEU-1..4, GLEU, ROUGE-1/2/L, Distinct-1/2 (or exam accuracy) of a run's predictions
  report    a self-contained HTML page and JSON for a run, beside the published figures
  compare   prepare doctors' blind pairwise review of two runs over the same questions

Run "huatuo eval <command> --help" for its options.
`

const subcommands: Record<string, () => Promise<{ run(args: string[], io: CliIO): Promise<number> }>> = {
  run: () => import('./eval-run.ts'),
  score: () => import('./eval-score.ts'),
  report: () => import('./eval-report.ts'),
  compare: () => import('./eval-compare.ts'),
}

export async function run(args: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = args
  if (name === undefined || name === '--help' || name === '-h') {
    io.out(usage)
    return name === undefined ? 2 : 0
  }
  const load = subcommands[name]
  if (load === undefined) {
    io.err(usage)
    return reportFailure(io, new WorkstationError('USAGE', `unknown eval command: ${name}`), args.includes('--json'))
  }
  return (await load()).run(rest, io)
}
