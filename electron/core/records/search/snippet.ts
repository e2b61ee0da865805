import { alignNormalized, normalizeForSearch } from './normalize.ts'

export interface Snippet {
  snippet: string
  highlights: Array<[number, number]>
}

const before = 24
const width = 96
const ellipsis = '…'

function isLowSurrogate(text: string, index: number): boolean {
  const unit = text.charCodeAt(index)
  return unit >= 0xdc00 && unit <= 0xdfff
}

/** Every occurrence of every term in the normalized text, as [start, end) offsets into it. */
function occurrences(normalized: string, terms: readonly string[]): Array<[number, number]> {
  const ranges: Array<[number, number]> = []
  for (const term of terms) {
    for (let at = normalized.indexOf(term); at !== -1; at = normalized.indexOf(term, at + term.length)) ranges.push([at, at + term.length])
  }
  return ranges
}

/**
 * Where the matches are in the original text. Most text keeps its length under normalization
 * (Chinese, ASCII, full-width forms), and then offsets carry over one for one, which is checked
 * match by match; anything else is aligned character by character.
 */
function matchesInOriginal(text: string, normalized: string, terms: readonly string[]): { source: string; ranges: Array<[number, number]> } {
  const found = occurrences(normalized, terms)
  if (normalized.length === text.length && found.every(([from, to]) => normalizeForSearch(text.slice(from, to)) === normalized.slice(from, to))) {
    return { source: text, ranges: found }
  }
  const aligned = alignNormalized(text)
  if (aligned === null) return { source: normalized, ranges: found }
  return { source: text, ranges: found.map(([from, to]) => [aligned.starts[from] as number, aligned.ends[to - 1] as number]) }
}

/**
 * A window of the original text around the first match, every match inside it marked. Matches are
 * found in the normalized text and mapped back, so "ＣＴ" in the text is highlighted for "ct".
 * Exotic text whose normalization cannot be aligned is shown normalized instead.
 */
export function buildSnippet(text: string, terms: readonly string[], normalized = normalizeForSearch(text)): Snippet {
  const { source, ranges } = matchesInOriginal(text, normalized, terms)
  ranges.sort((x, y) => x[0] - y[0] || x[1] - y[1])
  const merged: Array<[number, number]> = []
  for (const range of ranges) {
    const last = merged.at(-1)
    if (last && range[0] <= last[1]) last[1] = Math.max(last[1], range[1])
    else merged.push([range[0], range[1]])
  }
  const first = merged[0]?.[0] ?? 0
  let start = Math.max(0, first - before)
  let end = Math.min(source.length, start + width)
  start = Math.max(0, Math.min(start, end - width))
  if (start > 0 && isLowSurrogate(source, start)) start--
  if (end < source.length && isLowSurrogate(source, end)) end++
  const prefix = start > 0 ? ellipsis : ''
  // Line breaks and tabs become spaces one for one, so offsets stay valid.
  const body = source.slice(start, end).replace(/[\r\n\t\v\f\u2028\u2029]/gu, ' ')
  const highlights: Array<[number, number]> = []
  for (const [from, to] of merged) {
    if (to <= start || from >= end) continue
    highlights.push([Math.max(from, start) - start + prefix.length, Math.min(to, end) - start + prefix.length])
  }
  return { snippet: prefix + body + (end < source.length ? ellipsis : ''), highlights }
}

/** The snippet as plain text with matches between « and » (for terminals and JSON lines). */
export function markedSnippet({ snippet, highlights }: Snippet, open = '«', close = '»'): string {
  let out = ''
  let at = 0
  for (const [from, to] of highlights) {
    out += snippet.slice(at, from) + open + snippet.slice(from, to) + close
    at = to
  }
  return out + snippet.slice(at)
}
