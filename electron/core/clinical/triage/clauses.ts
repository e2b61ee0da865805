// Where a sentence or a clause begins and ends, for the scope rules (negation, history, …): a cue
// in one clause says nothing about a sign in the next. Works on normalized text (NFKC has turned
// full-width ，：；！？ into , : ; ! ? already; 。 and 、 stay as they are). The breaks of a text are
// found once and looked up by binary search, so a long message costs no more per sign than a short one.

export interface Span {
  start: number
  end: number
}

// '.' before a digit is a decimal point (38.5), not a full stop.
const sentenceBreak = /[。!?;\n…]|\.(?!\d)/g
const clauseBreak = /[。!?;\n…,:()[\]【】「」"]|\.(?!\d)/g

interface Breaks {
  text: string
  sentence: number[]
  clause: number[]
}

// The scope rules ask about one text many times in a row: remember the last one's breaks.
let last: Breaks | null = null

function breaksOf(text: string): Breaks {
  if (last?.text !== text) {
    const positions = (pattern: RegExp) => [...text.matchAll(pattern)].map((match) => match.index)
    last = { text, sentence: positions(sentenceBreak), clause: positions(clauseBreak) }
  }
  return last
}

/** The span between the break before `index` and the break at or after it. */
function around(text: string, index: number, breaks: number[]): Span {
  let low = 0
  let high = breaks.length
  while (low < high) {
    const middle = (low + high) >>> 1
    if (breaks[middle]! < index) low = middle + 1
    else high = middle
  }
  // breaks[low] is the first break at or after index; breaks[low - 1] the last one before it.
  const start = low === 0 ? 0 : breaks[low - 1]! + 1
  const end = low === breaks.length ? text.length : breaks[low]!
  return { start, end }
}

// No scope reaches further than this from the sign: a cue 300 characters away in a text without
// punctuation is not about it, and the bound keeps a pasted document from costing O(n²).
const reach = 300

function near(span: Span, index: number): Span {
  return { start: Math.max(span.start, index - reach), end: Math.min(span.end, index + reach) }
}

/** The sentence that holds text[index]. */
export function sentenceAround(text: string, index: number): Span {
  return near(around(text, index, breaksOf(text).sentence), index)
}

/** The clause that holds text[index]: a sentence cut at commas, colons and brackets as well. */
export function clauseAround(text: string, index: number): Span {
  return near(around(text, index, breaksOf(text).clause), index)
}

/** The clause just before the one that holds text[index], or null at the start of the text. */
export function previousClause(text: string, index: number): Span | null {
  const { clause } = breaksOf(text)
  const current = around(text, index, clause)
  if (current.start === 0) return null
  return near(around(text, current.start - 1, clause), current.start - 1)
}
