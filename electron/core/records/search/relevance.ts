import { codePointLength } from './normalize.ts'

const k1 = 1.2
const b = 0.75
/** Typical length of a consultation message in characters: the length normalization's pivot. */
const typicalLength = 120

function occurrences(text: string, term: string): number {
  let count = 0
  for (let at = text.indexOf(term); at !== -1; at = text.indexOf(term, at + term.length)) count++
  return count
}

/**
 * BM25-style score without document frequencies (every term is required anyway): repeated matches
 * count with diminishing returns, short texts beat long ones, longer terms weigh more.
 */
export function relevanceScore(normalized: string, terms: readonly string[]): number {
  const lengthFactor = 1 - b + (b * codePointLength(normalized)) / typicalLength
  let score = 0
  for (const term of terms) {
    const tf = occurrences(normalized, term)
    score += ((tf * (k1 + 1)) / (tf + k1 * lengthFactor)) * Math.log(1 + codePointLength(term))
  }
  return Math.round(score * 10_000) / 10_000
}
