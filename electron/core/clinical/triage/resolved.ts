// A bleed that has stopped: "鼻血流了半个小时才止住", "it stopped after 5 minutes". Only bleeding
// signs opt into this rule: a chest pain or a weak arm that passed (a TIA) is still a red flag.
import { sentenceAround } from './clauses.ts'

const stopped = /止住|已经不流了|不流了|没再流|(?:自己|已经)?停了|\b(?:stopped|has stopped|no longer bleeding)\b/

/** Does the sentence say, after the sign at text[start, end), that it stopped? */
export function isResolved(text: string, start: number, end: number): boolean {
  const sentence = sentenceAround(text, start)
  return stopped.test(text.slice(end, sentence.end))
}
