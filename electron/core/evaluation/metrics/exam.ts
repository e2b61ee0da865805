import type { ExamAccuracy } from '../../../contract/evaluation.ts'

// Multiple-choice answers (HuatuoGPT-II's exam evaluation): the answer's letter is the first
// "答案是/为/：X" or "answer is X" in the text, else the first capital A–E standing alone (not inside a
// Latin word or next to a digit, so "DNA" and "维生素B12" name no option). Full-width Ａ–Ｅ count as A–E:
// a Chinese model often types them.

const stated = /答案[是为：:\s]*([A-E])|[Aa][Nn][Ss][Ww][Ee][Rr]\s+[Ii][Ss]\s*[:：]?\s*[(（]?([A-E])(?![A-Za-z])/
const standalone = /(?<![A-Za-z0-9])[A-E](?![A-Za-z0-9])/

function halfWidth(text: string): string {
  return text.replace(/[Ａ-Ｚａ-ｚ０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
}

/** The option letter a prediction chose, or null when it names none (counted wrong). */
export function answerLetter(prediction: string): string | null {
  const text = halfWidth(prediction)
  const match = stated.exec(text)
  if (match) return match[1] ?? match[2] ?? null
  return standalone.exec(text)?.[0] ?? null
}

/** The correct letter as a dataset gives it: "C", or a longer answer read like a prediction. */
export function referenceLetter(reference: string): string | null {
  const trimmed = halfWidth(reference).trim()
  return /^[A-E]$/.test(trimmed) ? trimmed : answerLetter(trimmed)
}

export class ExamTally {
  private correct = 0
  private total = 0
  private noLetter = 0

  /** Records one item; true when its answer was right. */
  add(prediction: string, correctLetter: string | null): boolean {
    const chosen = answerLetter(prediction)
    this.total++
    if (chosen === null) this.noLetter++
    const right = chosen !== null && chosen === correctLetter
    if (right) this.correct++
    return right
  }

  get count(): number {
    return this.total
  }

  result(): ExamAccuracy {
    return {
      correct: this.correct,
      total: this.total,
      noLetter: this.noLetter,
      accuracy: this.total === 0 ? 0 : (this.correct / this.total) * 100,
    }
  }
}
