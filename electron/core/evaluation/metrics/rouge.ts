import { ngramCount, type ItemCounts } from './item-counts.ts'

// ROUGE as REFERENCE.md §3 defines it, per item: P = overlap ÷ hypothesis n-grams, R = overlap ÷
// reference n-grams, F = 2PR ÷ (P + R), 0 when P or R is 0 (an empty side included). With several
// references the item keeps its best F. The corpus figure is the mean over items.

export function fMeasure(overlap: number, hypCount: number, refCount: number): number {
  const precision = hypCount > 0 ? overlap / hypCount : 0
  const recall = refCount > 0 ? overlap / refCount : 0
  return precision > 0 && recall > 0 ? (2 * precision * recall) / (precision + recall) : 0
}

/** ROUGE-n F (n = 1 or 2): clipped n-gram overlap, best over references. */
export function rougeN(counts: ItemCounts, n: number): number {
  let best = 0
  counts.refLengths.forEach((refLength, r) => {
    const f = fMeasure(counts.overlaps[r]?.[n - 1] ?? 0, ngramCount(counts.hypLength, n), ngramCount(refLength, n))
    if (f > best) best = f
  })
  return best
}

/** ROUGE-L F: longest common subsequence over tokens, best over references. */
export function rougeL(counts: ItemCounts): number {
  let best = 0
  counts.refLengths.forEach((refLength, r) => {
    const f = fMeasure(counts.lcs[r] ?? 0, counts.hypLength, refLength)
    if (f > best) best = f
  })
  return best
}
