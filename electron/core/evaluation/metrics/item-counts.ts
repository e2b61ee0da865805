import { PairTable } from './pair-table.ts'

// Everything BLEU, GLEU and ROUGE need from one item, counted in one pass over integer arrays: the
// hypothesis's n-grams (orders 1–4) are interned into dense ids, each reference is looked up
// against them (an n-gram the hypothesis lacks can never match, so it is never stored), and the
// longest common subsequence is computed bit-parallel in linear space (Hyyrö 2004), never a table.

export const MAX_ORDER = 4

export interface ItemCounts {
  hypLength: number
  refLengths: number[]
  /** Per order (index 0 = unigrams): hypothesis n-grams clipped by the largest count in any reference (NLTK's modified_precision numerator). */
  clipped: number[]
  /** Per reference, per order: Σ min(count in the hypothesis, count in that reference). */
  overlaps: number[][]
  /** Per reference: length of the longest common subsequence with the hypothesis. */
  lcs: number[]
}

/** How many n-grams of order n a sequence of `length` tokens has. */
export function ngramCount(length: number, n: number): number {
  return length >= n ? length - n + 1 : 0
}

/** Reused across items, so scoring 10,000 items allocates almost nothing. */
export class ItemCounter {
  private readonly table = new PairTable(2048)
  private hypIds = new Int32Array(1024)
  private refUnigrams = new Int32Array(1024)
  private hypCount = new Int32Array(1024)
  private refCount = new Int32Array(1024)
  private bestRef = new Int32Array(1024)
  private touched = new Int32Array(1024)
  private masks = new Int32Array(1024)
  private inRef = new Uint8Array(1024)
  private row = new Int32Array(64)
  /** orderStart[n]: the first id of order n + 1 (so orderStart[1] is the number of distinct unigrams); each order's ids are contiguous. */
  private readonly orderStart = new Int32Array(MAX_ORDER + 1)

  count(hyp: Int32Array, refs: readonly Int32Array[]): ItemCounts {
    const length = hyp.length
    this.internHypothesis(hyp)
    const ids = this.table.size
    const unigrams = this.orderStart[1] as number
    this.hypCount = sized(this.hypCount, ids)
    this.refCount = sized(this.refCount, ids)
    this.bestRef = sized(this.bestRef, ids)
    this.touched = sized(this.touched, ids)
    this.inRef = sizedBytes(this.inRef, unigrams)
    const { hypIds, hypCount, refCount, bestRef, touched } = this
    hypCount.fill(0, 0, ids)
    bestRef.fill(0, 0, ids)
    for (let n = 0; n < MAX_ORDER; n++) {
      const layer = n * length
      for (let i = 0, end = length - n; i < end; i++) {
        const id = hypIds[layer + i] as number
        hypCount[id] = (hypCount[id] as number) + 1
      }
    }

    const overlaps: number[][] = []
    const lcs: number[] = []
    for (const ref of refs) {
      const overlap = [0, 0, 0, 0]
      let touchedCount = 0
      this.refUnigrams = sized(this.refUnigrams, ref.length)
      const refUnigrams = this.refUnigrams
      for (let j = 0; j < ref.length; j++) {
        refUnigrams[j] = -1
        let prefix = -1
        for (let n = 0; n < MAX_ORDER && j + n < ref.length; n++) {
          const id = this.table.find(prefix, ref[j + n] as number)
          if (id < 0) break
          if (n === 0) refUnigrams[j] = id
          const seen = refCount[id] as number
          // Counting stops at the hypothesis's own count: the overlap is clipped as it is counted.
          if (seen < (hypCount[id] as number)) {
            if (seen === 0) touched[touchedCount++] = id
            refCount[id] = seen + 1
            overlap[n] = (overlap[n] as number) + 1
          }
          prefix = id
        }
      }
      for (let t = 0; t < touchedCount; t++) {
        const id = touched[t] as number
        if ((refCount[id] as number) > (bestRef[id] as number)) bestRef[id] = refCount[id] as number
        refCount[id] = 0
      }
      overlaps.push(overlap)
      lcs.push(this.longestCommonSubsequence(length, ref.length, unigrams))
    }

    // One reference: the clipped counts are its overlap. Several: each n-gram clipped by its best reference.
    let clipped: number[]
    if (refs.length === 1) clipped = [...(overlaps[0] as number[])]
    else {
      clipped = [0, 0, 0, 0]
      for (let n = 0; n < MAX_ORDER; n++) {
        let sum = 0
        for (let id = this.orderStart[n] as number, end = this.orderStart[n + 1] as number; id < end; id++) sum += bestRef[id] as number
        clipped[n] = sum
      }
    }
    return { hypLength: length, refLengths: refs.map((ref) => ref.length), clipped, overlaps, lcs }
  }

  /** Ids for every hypothesis n-gram, order by order, so each order's ids form one range. */
  private internHypothesis(hyp: Int32Array): void {
    const length = hyp.length
    const table = this.table
    table.clear()
    this.hypIds = sized(this.hypIds, MAX_ORDER * length)
    const hypIds = this.hypIds
    for (let n = 0; n < MAX_ORDER; n++) {
      this.orderStart[n] = table.size
      const layer = n * length
      const below = layer - length
      for (let i = 0, end = length - n; i < end; i++) {
        hypIds[layer + i] = table.intern(n === 0 ? -1 : (hypIds[below + i] as number), hyp[i + n] as number)
      }
    }
    this.orderStart[MAX_ORDER] = table.size
  }

  /**
   * LCS length, bit-parallel: one bit per reference token, one machine word per 32 of them, one
   * pass per hypothesis token. V starts all ones; per token with match mask M,
   * V ← (V + (V & M)) | (V & ~M); the LCS is the number of zero bits left.
   */
  private longestCommonSubsequence(hypLength: number, refLength: number, unigrams: number): number {
    if (hypLength === 0 || refLength === 0) return 0
    const words = (refLength + 31) >>> 5
    this.masks = sized(this.masks, unigrams * words)
    this.row = sized(this.row, words)
    const { masks, row, inRef, refUnigrams, hypIds } = this
    masks.fill(0, 0, unigrams * words)
    inRef.fill(0, 0, unigrams)
    for (let j = 0; j < refLength; j++) {
      const unigram = refUnigrams[j] as number
      if (unigram < 0) continue
      const word = unigram * words + (j >>> 5)
      masks[word] = (masks[word] as number) | (1 << (j & 31))
      inRef[unigram] = 1
    }
    row.fill(-1, 0, words)
    for (let i = 0; i < hypLength; i++) {
      const unigram = hypIds[i] as number
      if (inRef[unigram] === 0) continue
      const base = unigram * words
      let carry = 0
      for (let w = 0; w < words; w++) {
        const v = (row[w] as number) >>> 0
        const m = masks[base + w] as number
        const sum = v + ((v & m) >>> 0) + carry
        carry = sum > 0xffffffff ? 1 : 0
        row[w] = sum | (v & ~m)
      }
    }
    let zeros = 0
    for (let w = 0; w < words; w++) zeros += 32 - popcount(row[w] as number)
    return zeros
  }
}

function popcount(word: number): number {
  let x = word - ((word >>> 1) & 0x55555555)
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333)
  x = (x + (x >>> 4)) & 0x0f0f0f0f
  return Math.imul(x, 0x01010101) >>> 24
}

function sized(array: Int32Array<ArrayBuffer>, length: number): Int32Array<ArrayBuffer> {
  if (array.length >= length) return array
  let grown = array.length
  while (grown < length) grown *= 2
  return new Int32Array(grown)
}

function sizedBytes(array: Uint8Array<ArrayBuffer>, length: number): Uint8Array<ArrayBuffer> {
  if (array.length >= length) return array
  let grown = array.length
  while (grown < length) grown *= 2
  return new Uint8Array(grown)
}
