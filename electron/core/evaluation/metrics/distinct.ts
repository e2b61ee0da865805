import { PairTable } from './pair-table.ts'

// Distinct-1/2: over all predictions together, distinct n-grams ÷ n-grams (an n-gram never spans
// two predictions). A flag per code point for unigrams, an interning table for bigrams.

export class DistinctCounter {
  private readonly seenUnigram = new Uint8Array(0x110000)
  private readonly bigrams = new PairTable(1 << 16)
  private distinctUnigrams = 0
  private unigrams = 0
  private bigramTotal = 0

  add(tokens: Int32Array): void {
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i] as number
      if (this.seenUnigram[token] === 0) {
        this.seenUnigram[token] = 1
        this.distinctUnigrams++
      }
      if (i > 0) this.bigrams.intern(tokens[i - 1] as number, token)
    }
    this.unigrams += tokens.length
    this.bigramTotal += Math.max(0, tokens.length - 1)
  }

  /** 0–1; 0 when there is no n-gram at all. */
  distinct(n: 1 | 2): number {
    if (n === 1) return this.unigrams === 0 ? 0 : this.distinctUnigrams / this.unigrams
    return this.bigramTotal === 0 ? 0 : this.bigrams.size / this.bigramTotal
  }
}
