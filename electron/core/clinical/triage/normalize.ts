// The patient's text as the rules read it: NFKC (full-width letters, digits and punctuation become
// ASCII, ℃ becomes °c), lower case, traditional characters simplified, curly quotes straightened,
// typos corrected, and spaces inside Chinese either closed up (胸口 闷) or read as the pause they
// are (胸口闷 喘不上气). Every character keeps the span of the original text it came from, so
// a flag quotes the patient's own words, typos and all.
import { chineseTypos, englishTypos } from './typos.ts'
import { traditionalToSimplified } from './traditional-chinese.ts'

export interface NormalizedText {
  /** What the rules match against. */
  text: string
  /** For each character of `text`, where its source starts and ends in `original`. */
  sourceStart: number[]
  sourceEnd: number[]
  original: string
}

const graphemes = new Intl.Segmenter('und', { granularity: 'grapheme' })
const han = /\p{Script=Han}/u

export function isHan(character: string | undefined): boolean {
  return character !== undefined && han.test(character)
}

/** The original words behind text[start, end). */
export function originalWords(normalized: NormalizedText, start: number, end: number): string {
  if (end <= start) return ''
  return normalized.original.slice(normalized.sourceStart[start], normalized.sourceEnd[end - 1]).trim()
}

class Builder {
  text = ''
  readonly sourceStart: number[] = []
  readonly sourceEnd: number[] = []

  push(piece: string, start: number, end: number): void {
    this.text += piece
    for (let i = 0; i < piece.length; i++) {
      this.sourceStart.push(start)
      this.sourceEnd.push(end)
    }
  }
}

function foldCharacters(original: string): Builder {
  const out = new Builder()
  for (const { segment, index } of graphemes.segment(original)) {
    let folded = segment.normalize('NFKC').toLowerCase()
    folded = folded.replace(/[‘’′]/g, "'").replace(/[“”″]/g, '"')
    folded = [...folded].map((character) => traditionalToSimplified.get(character) ?? character).join('')
    out.push(folded, index, index + segment.length)
  }
  return out
}

const deniesWhatFollows = /^(?:也|都|并|从来?)?(?:没有|没|无|不|否认|未)$/

/** Length of the run of Han characters that ends just before `from` (looking left) or starts at it. */
function hanRun(text: string, from: number, step: 1 | -1): number {
  let length = 0
  for (let i = from; i >= 0 && i < text.length && isHan(text[i]); i += step) length++
  return length
}

/**
 * A space between Chinese characters: inside a word when one side is a single character (胸口 闷),
 * otherwise the pause between two phrases, read as a comma so negation does not run on.
 */
function resolveChineseSpaces(input: Builder): Builder {
  const out = new Builder()
  const { text } = input
  let i = 0
  while (i < text.length) {
    if (/\s/.test(text[i]!)) {
      let j = i
      while (j < text.length && /\s/.test(text[j]!)) j++
      if (isHan(text[i - 1]) && isHan(text[j])) {
        const leftRun = hanRun(text, i - 1, -1)
        const wordInside = leftRun === 1 || hanRun(text, j, 1) === 1
        // "没有 胸痛": a denial followed by a space still denies what follows.
        const denial = deniesWhatFollows.test(text.slice(i - leftRun, i))
        if (!wordInside && !denial) out.push(',', input.sourceStart[i]!, input.sourceEnd[j - 1]!)
      } else {
        out.push(' ', input.sourceStart[i]!, input.sourceEnd[j - 1]!)
      }
      i = j
      continue
    }
    out.push(text[i]!, input.sourceStart[i]!, input.sourceEnd[i]!)
    i++
  }
  return out
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

const typoLookup = new Map<string, string>([...chineseTypos, ...englishTypos])
const typoPattern = new RegExp(
  [
    ...chineseTypos.map(([typed]) => escape(typed)),
    ...englishTypos.map(([typed]) => `(?<![a-z'])${escape(typed)}(?![a-z'])`),
  ].join('|'),
  'g',
)

function correctTypos(input: Builder): Builder {
  const out = new Builder()
  const { text } = input
  let last = 0
  for (const match of text.matchAll(typoPattern)) {
    const start = match.index
    const end = start + match[0].length
    for (let i = last; i < start; i++) out.push(text[i]!, input.sourceStart[i]!, input.sourceEnd[i]!)
    out.push(typoLookup.get(match[0]) ?? match[0], input.sourceStart[start]!, input.sourceEnd[end - 1]!)
    last = end
  }
  for (let i = last; i < text.length; i++) out.push(text[i]!, input.sourceStart[i]!, input.sourceEnd[i]!)
  return out
}

export function normalizePatientText(original: string): NormalizedText {
  const corrected = correctTypos(resolveChineseSpaces(foldCharacters(original)))
  return { text: corrected.text, sourceStart: corrected.sourceStart, sourceEnd: corrected.sourceEnd, original }
}
