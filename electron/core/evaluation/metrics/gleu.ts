import { MAX_ORDER, ngramCount, type ItemCounts } from './item-counts.ts'

// GLEU as NLTK 3.8's corpus_gleu (n-grams of orders 1–4): per item, the reference whose
// matches ÷ max(hypothesis n-grams, reference n-grams) is highest (the first on a tie), those two
// counts summed over the corpus, then divided once.

export interface GleuCounts {
  matches: number
  total: number
}

/** The item's contribution, or null when neither side has an n-gram (NLTK skips it). */
export function gleuItem(counts: ItemCounts): GleuCounts | null {
  const hypGrams = allGrams(counts.hypLength)
  let best: GleuCounts | null = null
  counts.refLengths.forEach((refLength, r) => {
    const total = Math.max(hypGrams, allGrams(refLength))
    if (total === 0) return
    const matches = (counts.overlaps[r] as number[]).reduce((sum, overlap) => sum + overlap, 0)
    if (best === null || matches / total > best.matches / best.total) best = { matches, total }
  })
  return best
}

export function gleu(corpus: GleuCounts): number {
  return corpus.total === 0 ? 0 : corpus.matches / corpus.total
}

function allGrams(length: number): number {
  let sum = 0
  for (let n = 1; n <= MAX_ORDER; n++) sum += ngramCount(length, n)
  return sum
}
