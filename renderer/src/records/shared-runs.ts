// What a drafted record section shares with a turn of the conversation it cites, as the editor shows
// it: the runs of the message's wording that also stand, in the same order, in the section.
//
// The text is read as units: each CJK character, and each Latin word or number (lowercased; a number
// keeps its decimal part, "37.5"). Punctuation, symbols and whitespace are not units: they never
// start or end a run, and a run is never made of them alone (one inside a run, as in "头痛，发热",
// is covered by the run around it). A position of the message is shared when it belongs to two or
// more consecutive units that also stand consecutively in the section, that is, to a unit bigram
// both texts contain; or when it is a Latin word of four letters or more that the section contains.

/** One unit of a text and where it stands: [start, end) in the string. */
export interface TextUnit {
  /** What is compared: the character, or the word lowercased (full-width forms read as ASCII). */
  key: string
  start: number
  end: number
  /** How many Latin letters the unit has (0 for a CJK character or a number). */
  latinLetters: number
}

/** A range of a string, [start, end). */
export type TextRange = readonly [start: number, end: number]

const unitPattern = /\p{Script=Han}|[\p{Script=Latin}\p{Nd}]+(?:\.\p{Nd}+)?/gu
const latinLetter = /\p{Script=Latin}/gu

/** The units of a text, in order. */
export function textUnits(text: string): TextUnit[] {
  const units: TextUnit[] = []
  for (const match of text.matchAll(unitPattern)) {
    const start = match.index
    const word = match[0]
    units.push({ key: word.normalize('NFKC').toLowerCase(), start, end: start + word.length, latinLetters: word.match(latinLetter)?.length ?? 0 })
  }
  return units
}

/** The least a lone Latin word needs to count as shared ("pain", "fever"; not "a", "of", "the"). */
export const MIN_SHARED_WORD_LETTERS = 4

const bigramKey = (first: TextUnit, second: TextUnit) => `${first.key}\u0000${second.key}`

/**
 * The parts of `message` it shares with `section`, as ranges of the message string, in order and
 * merged where they overlap or touch. Empty when the two share no run: the link is weak.
 */
export function sharedRuns(message: string, section: string): TextRange[] {
  const sectionUnits = textUnits(section)
  if (sectionUnits.length === 0) return []
  const sectionBigrams = new Set<string>()
  for (let at = 1; at < sectionUnits.length; at += 1) sectionBigrams.add(bigramKey(sectionUnits[at - 1]!, sectionUnits[at]!))
  const sectionWords = new Set(sectionUnits.filter((unit) => unit.latinLetters >= MIN_SHARED_WORD_LETTERS).map((unit) => unit.key))

  const units = textUnits(message)
  const ranges: Array<[number, number]> = []
  const add = (start: number, end: number) => {
    const last = ranges.at(-1)
    if (last && start <= last[1]) last[1] = Math.max(last[1], end)
    else ranges.push([start, end])
  }
  for (let at = 0; at < units.length; at += 1) {
    const unit = units[at]!
    const next = units[at + 1]
    if (next && sectionBigrams.has(bigramKey(unit, next))) add(unit.start, next.end)
    else if (unit.latinLetters >= MIN_SHARED_WORD_LETTERS && sectionWords.has(unit.key)) add(unit.start, unit.end)
  }
  return ranges
}

/** A piece of a text, marked when it is shared. */
export interface TextPiece {
  text: string
  shared: boolean
}

/** The text cut at the ranges' edges, for showing the shared parts marked. */
export function piecesOf(text: string, ranges: readonly TextRange[]): TextPiece[] {
  const pieces: TextPiece[] = []
  let at = 0
  for (const [start, end] of ranges) {
    if (start > at) pieces.push({ text: text.slice(at, start), shared: false })
    if (end > start) pieces.push({ text: text.slice(start, end), shared: true })
    at = Math.max(at, end)
  }
  if (at < text.length) pieces.push({ text: text.slice(at), shared: false })
  return pieces
}

/**
 * A few words of the message to name it by on a chip: the longest part it shares with the section,
 * or (a weak link) its beginning; at most `length` characters, "…" where cut.
 */
export function excerptOf(message: string, ranges: readonly TextRange[], length = 14): string {
  const longest = [...ranges].sort((a, b) => b[1] - b[0] - (a[1] - a[0]))[0]
  const chosen = (longest ? message.slice(longest[0], longest[1]) : message).replace(/\s+/g, ' ').trim()
  const characters = [...chosen]
  return characters.length > length ? `${characters.slice(0, length).join('')}…` : chosen
}
