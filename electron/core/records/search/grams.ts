import { codePointLength } from './normalize.ts'

/*
 * What the FTS5 index holds: for each document, the distinct character bigrams of its normalized
 * text, plus its single characters (so a one-character query has something to look up).
 *
 * Each code point is written as 4 base-36 digits (36^4 = 1,679,616 > U+10FFFF), so a unigram
 * token is 4 characters of [0-9a-z] and a bigram 8. Why encode at all: unicode61 would otherwise
 * treat a whole run of Chinese as one token, split Latin at punctuation, fold or strip diacritics,
 * and drop punctuation ("140/90" or "B超" could not be found as written). Plain lower-case ASCII
 * alphanumerics are tokens unicode61 keeps exactly as they are, one gram per token.
 *
 * A gram query only narrows the candidates (every substring match contains all of the term's grams;
 * the converse does not hold): each candidate is then confirmed by a real substring test.
 */

const bmpCodes: (string | undefined)[] = new Array(0x10000)
const astralCodes = new Map<number, string>()

function encode(codePoint: number): string {
  if (codePoint < 0x10000) {
    let code = bmpCodes[codePoint]
    if (code === undefined) {
      code = codePoint.toString(36).padStart(4, '0')
      bmpCodes[codePoint] = code
    }
    return code
  }
  let code = astralCodes.get(codePoint)
  if (code === undefined) {
    code = codePoint.toString(36).padStart(4, '0')
    astralCodes.set(codePoint, code)
  }
  return code
}

function codePoints(text: string): number[] {
  const points: number[] = []
  for (let i = 0; i < text.length; i++) {
    const point = text.codePointAt(i) as number
    points.push(point)
    if (point > 0xffff) i++
  }
  return points
}

const SPACE = 0x20

/** The space-separated tokens to index for a normalized text. */
export function documentGrams(normalized: string): string {
  const points = codePoints(normalized)
  const grams = new Set<string>()
  for (let i = 0; i < points.length; i++) {
    const point = points[i] as number
    const code = encode(point)
    // A lone space is never a term (terms are split at whitespace), but a space inside a phrase is.
    if (point !== SPACE) grams.add(code)
    const next = points[i + 1]
    if (next !== undefined) grams.add(code + encode(next))
  }
  return [...grams].join(' ')
}

/** At most this many grams per term: any subset still only narrows, and long phrases stay cheap. */
const maxGramsPerTerm = 12

/** The grams every text containing `term` (normalized, non-empty) must have. */
export function termGrams(term: string): string[] {
  const points = codePoints(term)
  if (codePointLength(term) === 1) return [encode(points[0] as number)]
  const grams = new Set<string>()
  for (let i = 0; i + 1 < points.length; i++) grams.add(encode(points[i] as number) + encode(points[i + 1] as number))
  const all = [...grams]
  if (all.length <= maxGramsPerTerm) return all
  // Spread the kept grams over the whole term, first and last included.
  return Array.from({ length: maxGramsPerTerm }, (_, k) => all[Math.round((k * (all.length - 1)) / (maxGramsPerTerm - 1))] as string)
}

/** An FTS5 MATCH expression requiring every gram of every term (implicit AND). */
export function matchExpression(terms: readonly string[]): string {
  const grams = new Set<string>()
  for (const term of terms) for (const gram of termGrams(term)) grams.add(gram)
  return [...grams].map((gram) => `"${gram}"`).join(' ')
}
