// Pure helpers of the engine benchmark (tests/bench/engine.bench.ts), kept apart so a unit test can
// check them without running the benchmark.

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of no values')
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? (sorted[middle] ?? NaN) : ((sorted[middle - 1] ?? NaN) + (sorted[middle] ?? NaN)) / 2
}

/** One piece of streamed text as it reached the caller. */
export interface StreamedChunk {
  /** performance.now() when it arrived. */
  at: number
  text: string
}

/**
 * Tokens per second of a stream as its receiver saw it, measured the same way on both sides of
 * the benchmark: from the first piece of text to the last. The tokens in the first piece arrived
 * before the clock started, so only the share of the text after it counts (a coalesced stream
 * delivers several tokens per piece, a raw one about one). Null when there is no interval.
 */
export function streamedTokensPerSecond(chunks: readonly StreamedChunk[], generatedTokens: number): number | null {
  const texts = chunks.filter((chunk) => chunk.text !== '')
  const first = texts[0]
  const last = texts.at(-1)
  if (first === undefined || last === undefined || last.at <= first.at) return null
  const totalChars = texts.reduce((sum, chunk) => sum + chunk.text.length, 0)
  const tokensAfterFirst = (generatedTokens * (totalChars - first.text.length)) / totalChars
  return (tokensAfterFirst * 1000) / (last.at - first.at)
}

export function ratio(numerator: number, denominator: number): number {
  return denominator === 0 ? NaN : numerator / denominator
}

/** Two decimals for people; the JSON line keeps three. */
export function formatRatio(value: number): string {
  return Number.isFinite(value) ? value.toFixed(2) : 'n/a'
}

export function roundForJson(value: number): number | null {
  return Number.isFinite(value) ? Math.round(value * 1000) / 1000 : null
}

/**
 * Runs every side `runs` times, one run of each per round, the first side rotating from round to
 * round so that drift (a warming cache, another process) hits every side alike. Results by side.
 */
export async function interleaved<T>(runs: number, sides: ReadonlyArray<() => Promise<T>>): Promise<T[][]> {
  const results = sides.map((): T[] => [])
  for (let round = 0; round < runs; round++) {
    for (let step = 0; step < sides.length; step++) {
      const side = (round + step) % sides.length
      const run = sides[side]
      if (run) results[side]?.push(await run())
    }
  }
  return results
}
