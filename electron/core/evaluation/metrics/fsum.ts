// Python's math.fsum (CPython's msum with its half-even correction): NLTK sums BLEU's weighted log
// precisions with it, and a plain left-to-right sum can differ from it in the last bits.

/** The correctly rounded sum of finite values, as math.fsum returns it. */
export function fsum(values: readonly number[]): number {
  const partials: number[] = []
  for (const value of values) {
    let x = value
    let used = 0
    for (const partial of partials) {
      let y = partial
      if (Math.abs(x) < Math.abs(y)) [x, y] = [y, x]
      const hi = x + y
      const lo = y - (hi - x)
      if (lo !== 0) partials[used++] = lo
      x = hi
    }
    partials.length = used
    partials.push(x)
  }
  let n = partials.length
  if (n === 0) return 0
  let hi = partials[--n] as number
  let lo = 0
  while (n > 0) {
    const x = hi
    const y = partials[--n] as number
    hi = x + y
    lo = y - (hi - x)
    if (lo !== 0) break
  }
  // Round half to even across the partials left below the break, as CPython does.
  const below = n > 0 ? (partials[n - 1] as number) : 0
  if (n > 0 && ((lo < 0 && below < 0) || (lo > 0 && below > 0))) {
    const y = lo * 2
    const x = hi + y
    if (y === x - hi) hi = x
  }
  return hi
}
