import type { UiLocale } from '../../contract/errors.ts'
import type { ModelAnswer } from '../../contract/inference.ts'
import { answerStatsLine, ASSISTANT_LABEL, chatStrings } from './chat-text.ts'

/** Dim text on a colour terminal; plain text in a pipe or with NO_COLOR set. */
export interface TerminalStyle {
  dim(text: string): string
  /** A red flag's line, marked by its level. */
  alert(level: 'emergency' | 'urgent', text: string): string
}

export function terminalStyle(colour: boolean): TerminalStyle {
  if (!colour) return { dim: (text) => text, alert: (_level, text) => text }
  return {
    dim: (text) => (text === '' ? '' : `\x1b[2m${text}\x1b[22m`),
    // Emergencies in bold red, what needs care today in bold yellow.
    alert: (level, text) => `\x1b[1;${level === 'emergency' ? 31 : 33}m${text}\x1b[0m`,
  }
}

/**
 * Model text as it may be shown in a terminal: control characters other than newline and tab are
 * dropped, so an answer cannot move the cursor, rewrite lines or send escape sequences.
 */
export function displayableText(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '')
}

/**
 * Writes one answer as it streams: `HuatuoGPT: ` then the text. HuatuoGPT-o1's thinking is set
 * apart (dimmed, under its own marker) from the final response. When the answer ends, whatever the
 * stream had not shown yet is written, then a dim line with tokens, time to first token, speed and
 * why it ended.
 */
export class AnswerPrinter {
  readonly answerId: string
  readonly #write: (text: string) => void
  readonly #style: TerminalStyle
  readonly #locale: UiLocale
  #phase: 'start' | 'thinking' | 'response' = 'start'
  #shownText = ''
  #shownThinking = ''
  #finished = false

  readonly #terminal: boolean

  constructor(answerId: string, write: (text: string) => void, style: TerminalStyle, locale: UiLocale, terminal: boolean) {
    this.answerId = answerId
    this.#write = write
    this.#style = style
    this.#locale = locale
    this.#terminal = terminal
    this.#write(`${ASSISTANT_LABEL}: `)
  }

  /** Has any text (thinking or response) been shown yet? */
  get started(): boolean {
    return this.#shownText !== '' || this.#shownThinking !== ''
  }

  delta(thinking: string, text: string): void {
    if (this.#finished) return
    const s = chatStrings(this.#locale)
    if (thinking !== '') {
      if (this.#phase !== 'thinking') {
        this.#write(`\n${this.#style.dim(s.thinkingMarker)}\n`)
        this.#phase = 'thinking'
      }
      this.#write(this.#style.dim(displayableText(thinking)))
      this.#shownThinking += thinking
    }
    if (text !== '') {
      if (this.#phase === 'thinking') this.#write(`\n\n${this.#style.dim(s.responseMarker)}\n`)
      this.#phase = 'response'
      this.#write(displayableText(text))
      this.#shownText += text
    }
  }

  /** The answer as the engine finally reports it: fills in what the stream missed, then the stats. */
  finish(answer: ModelAnswer): void {
    if (this.#finished) return
    const thinkingRest = answer.thinking.startsWith(this.#shownThinking) ? answer.thinking.slice(this.#shownThinking.length) : ''
    const textRest = answer.text.startsWith(this.#shownText) ? answer.text.slice(this.#shownText.length) : ''
    this.delta(thinkingRest, textRest)
    this.#finished = true
    this.#write(`\n${this.#style.dim(answerStatsLine(answer.timing, answer.endReason, this.#locale))}\n`)
  }

  /** The answer never came (a refusal such as CONTEXT_FULL): take the label back, or end its line. */
  abandon(): void {
    if (this.#finished) return
    this.#finished = true
    this.#write(this.#terminal && !this.started ? '\r\x1b[K' : '\n')
  }
}
