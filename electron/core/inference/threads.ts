import { availableParallelism } from 'node:os'

/**
 * llama.cpp's worker threads spin: more threads than free cores made decoding ~100x slower on a
 * 2-core machine (REFERENCE.md §5). Leave one core for the window on small machines.
 */
export function defaultInferenceThreads(cores = availableParallelism()): number {
  if (cores <= 2) return 1
  if (cores <= 4) return cores - 1
  return cores - 2
}

/** Reads HUATUO_THREADS when set (CLI, tests, CI), else the default for this machine. */
export function configuredInferenceThreads(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env['HUATUO_THREADS']
  if (raw !== undefined && /^[1-9][0-9]*$/.test(raw)) return Number(raw)
  return defaultInferenceThreads()
}
