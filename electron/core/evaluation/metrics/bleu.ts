import { fsum } from './fsum.ts'
import { MAX_ORDER } from './item-counts.ts'

// BLEU exactly as NLTK 3.8's corpus_bleu / sentence_bleu compute it, step for step, so the numbers
// agree to the last few bits: clipped precisions summed over the corpus, cumulative uniform weights,
// the brevity penalty from each item's closest reference length (the shorter one on a tie),
// log-precisions summed with math.fsum.

/** Python's sys.float_info.min: NLTK's method0 puts it in place of a zero precision (log ≈ −708.4). */
const FLOAT_MIN = 2.2250738585072014e-308
/** SmoothingFunction().method1's epsilon. */
const EPSILON = 0.1

/** BLEU's sufficient statistics, of one item or summed over a corpus. */
export interface BleuCounts {
  /** Per order (index 0 = unigrams): clipped matches. */
  matches: number[]
  /** Per order: hypothesis n-grams, at least 1 per item (NLTK's max(1, …) denominator). */
  totals: number[]
  hypLength: number
  refLength: number
}

export function emptyBleuCounts(): BleuCounts {
  return { matches: [0, 0, 0, 0], totals: [0, 0, 0, 0], hypLength: 0, refLength: 0 }
}

/** NLTK's closest_ref_length: the reference length nearest the hypothesis's, the shorter on a tie. */
export function closestRefLength(refLengths: readonly number[], hypLength: number): number {
  let best = Infinity
  for (const length of refLengths) {
    const distance = Math.abs(length - hypLength)
    const bestDistance = Math.abs(best - hypLength)
    if (distance < bestDistance || (distance === bestDistance && length < best)) best = length
  }
  return best
}

export function brevityPenalty(refLength: number, hypLength: number): number {
  if (hypLength > refLength) return 1
  if (hypLength === 0) return 0
  return Math.exp(1 - refLength / hypLength)
}

/**
 * Cumulative BLEU-`order` (weights 1/order each). Without smoothing a zero precision of a higher
 * order makes the score vanishingly small (NLTK's FLOAT_MIN), not exactly 0; no unigram match at all
 * makes it exactly 0 — both as NLTK does.
 */
export function bleu(counts: BleuCounts, order: number, smoothing: 'none' | 'method1'): number {
  if (counts.matches[0] === 0) return 0
  const weight = 1 / order
  const terms: number[] = []
  for (let n = 0; n < order && n < MAX_ORDER; n++) {
    const matches = counts.matches[n] as number
    const total = counts.totals[n] as number
    const precision = matches !== 0 ? matches / total : smoothing === 'method1' ? (matches + EPSILON) / total : FLOAT_MIN
    terms.push(weight * Math.log(precision))
  }
  return brevityPenalty(counts.refLength, counts.hypLength) * Math.exp(fsum(terms))
}
