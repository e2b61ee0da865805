import { readFile, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { EvaluationRunHeader } from '../../contract/evaluation.ts'
import { WorkstationError } from '../errors.ts'
import { writeFailure } from './write-failure.ts'

// run.json: what the run's predictions came from. A resumed run must be the same run — same model
// file (or the same server and served model), dataset, prompt format, sampling and seed — or its
// lines would mix two experiments.

export const RUN_HEADER_FILE = 'run.json'

/**
 * The facts a resumed run must share with the run it continues; the rest (threads, limit, paths,
 * a server's concurrency) may change.
 */
export function runDifferences(recorded: EvaluationRunHeader, planned: EvaluationRunHeader): string[] {
  const differences: string[] = []
  const compare = (name: string, a: unknown, b: unknown) => {
    if (a !== b) differences.push(`${name} ${String(a)} → ${String(b)}`)
  }
  compare('engine.kind', recorded.engine.kind, planned.engine.kind)
  compare('model.sha256', recorded.model.sha256, planned.model.sha256)
  if (recorded.engine.kind === 'remote' && planned.engine.kind === 'remote') {
    compare('engine.url', recorded.engine.url, planned.engine.url)
    compare('engine.model', recorded.engine.model, planned.engine.model)
  }
  compare('model.promptFormat', recorded.model.promptFormat, planned.model.promptFormat)
  compare('dataset.sha256', recorded.dataset.sha256, planned.dataset.sha256)
  compare('dataset.format', recorded.dataset.format, planned.dataset.format)
  for (const key of ['temperature', 'topP', 'topK', 'repeatPenalty', 'maxTokens'] as const) {
    compare(`sampling.${key}`, recorded.sampling[key], planned.sampling[key])
  }
  compare('seed', recorded.seed, planned.seed)
  return differences
}

export function refuseMismatch(recorded: EvaluationRunHeader, planned: EvaluationRunHeader): void {
  const differences = runDifferences(recorded, planned)
  if (differences.length > 0) throw new WorkstationError('EVALUATION_RUN_MISMATCH', differences.join('; '))
}

/** The folder's run.json, or undefined when the folder holds no run yet. */
export async function readRunHeader(folder: string): Promise<EvaluationRunHeader | undefined> {
  let text: string
  try {
    text = await readFile(join(folder, RUN_HEADER_FILE), 'utf8')
  } catch (error) {
    // No folder yet (or a path through a file, which creating the folder then reports): no run.
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined
    throw new WorkstationError('EVALUATION_RUN_DAMAGED', `${RUN_HEADER_FILE}: ${(error as Error).message}`)
  }
  try {
    const header = JSON.parse(text) as EvaluationRunHeader
    if ((typeof header?.model?.sha256 !== 'string' && header?.model?.sha256 !== null) || typeof header?.dataset?.sha256 !== 'string' || typeof header?.sampling !== 'object')
      throw new Error('model, dataset or sampling missing')
    return header
  } catch (error) {
    throw new WorkstationError('EVALUATION_RUN_DAMAGED', `${RUN_HEADER_FILE}: ${(error as Error).message}`)
  }
}

/** Written whole or not at all (a temporary file renamed over it). */
export async function writeRunHeader(folder: string, header: EvaluationRunHeader): Promise<void> {
  const path = join(folder, RUN_HEADER_FILE)
  try {
    await writeFile(`${path}.tmp`, `${JSON.stringify(header, null, 2)}\n`, { mode: 0o600, flush: true })
    await rename(`${path}.tmp`, path)
  } catch (error) {
    throw writeFailure(path, error)
  }
}
