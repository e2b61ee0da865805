/**
 * The one definition of "the same text" for search: NFKC (full-width ＡＢＣ１２３ and half-width
 * forms become ordinary ones, ligatures split), then lower case, then every run of whitespace
 * (newlines included) becomes one space. The index, the candidate check and any baseline scan all
 * use this function, so search results are exact under it.
 */
export function normalizeForSearch(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/gu, ' ')
}

/** Number of code points (a term of one code point is searched through single-character grams). */
export function codePointLength(text: string): number {
  let length = 0
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i)
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) i++
    length++
  }
  return length
}

/**
 * Normalized text aligned with the original: for each UTF-16 unit of `normalized`, the [start, end)
 * of the original text it came from. Built code point by code point, or cluster by cluster (a base
 * character with its combining marks) where marks are present; either agrees with normalizeForSearch
 * for all but exotic text. Null when neither does, and callers then show normalized text instead.
 */
export interface AlignedText {
  normalized: string
  starts: Int32Array
  ends: Int32Array
}

const cluster = /\P{M}\p{M}*|\p{M}+/gsu
const mark = /\p{M}/u
const whitespace = /^\s+$/u
/** A combining mark: its normalization depends on its neighbours. */
const MARK = '\u0000mark'
const bmpPieces: (string | undefined)[] = new Array(0x10000)
const astralPieces = new Map<number, string>()

/** The normalization of one code point alone; ' ' for any whitespace, MARK for combining marks. */
function pieceOf(codePoint: number): string {
  let piece = codePoint < 0x10000 ? bmpPieces[codePoint] : astralPieces.get(codePoint)
  if (piece === undefined) {
    const character = String.fromCodePoint(codePoint)
    piece = mark.test(character) ? MARK : character.normalize('NFKC').toLowerCase()
    if (whitespace.test(piece)) piece = ' '
    if (codePoint < 0x10000) bmpPieces[codePoint] = piece
    else astralPieces.set(codePoint, piece)
  }
  return piece
}

export function alignNormalized(text: string): AlignedText | null {
  const expected = normalizeForSearch(text)
  return alignByCodePoints(text, expected) ?? alignByClusters(text, expected)
}

/**
 * The common case, code point by code point (cached): right whenever no code point's normalization
 * depends on its neighbours, which the final comparison confirms.
 */
function alignByCodePoints(text: string, expected: string): AlignedText | null {
  const starts = new Int32Array(expected.length)
  const ends = new Int32Array(expected.length)
  let at = 0
  let afterSpace = false
  for (let i = 0; i < text.length; ) {
    const codePoint = text.codePointAt(i) as number
    const end = i + (codePoint > 0xffff ? 2 : 1)
    const piece = pieceOf(codePoint)
    if (piece === MARK) return null
    if (piece === ' ') {
      if (afterSpace) ends[at - 1] = end
      else {
        if (expected.charCodeAt(at) !== 0x20) return null
        starts[at] = i
        ends[at] = end
        at++
        afterSpace = true
      }
    } else {
      if (!expected.startsWith(piece, at)) return null
      for (let k = 0; k < piece.length; k++) {
        starts[at + k] = i
        ends[at + k] = end
      }
      at += piece.length
      afterSpace = false
    }
    i = end
  }
  return at === expected.length ? { normalized: expected, starts, ends } : null
}

/** Cluster by cluster (a base character with its combining marks). */
function alignByClusters(text: string, expected: string): AlignedText | null {
  const starts = new Int32Array(expected.length)
  const ends = new Int32Array(expected.length)
  let out = ''
  for (const match of text.matchAll(cluster)) {
    const start = match.index
    const end = start + match[0].length
    const piece = match[0].normalize('NFKC').toLowerCase()
    if (whitespace.test(piece)) {
      // A whitespace run is one space: widen the space already written instead of adding another.
      if (out.endsWith(' ')) {
        ends[out.length - 1] = end
        continue
      }
      if (out.length >= expected.length) return null
      starts[out.length] = start
      ends[out.length] = end
      out += ' '
      continue
    }
    if (out.length + piece.length > expected.length) return null
    for (let i = 0; i < piece.length; i++) {
      starts[out.length + i] = start
      ends[out.length + i] = end
    }
    out += piece
  }
  return out === expected ? { normalized: out, starts, ends } : null
}
