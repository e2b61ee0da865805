// HuatuoGPT-o1 answers in two parts, exactly as its training data was built
// (FreedomIntelligence/HuatuoGPT-o1 SFT_stage1.py: '## Thinking\n\n{}\n\n## Final Response\n\n{}').
// The clinician reads the final response; the thinking is shown collapsed and never goes back to
// the model as history.

export const THINKING_HEADER = '## Thinking'
export const FINAL_RESPONSE_HEADER = '## Final Response'

export interface AnswerParts {
  thinking: string
  response: string
}

type SplitterState = 'opening' | 'thinking' | 'response'

const isWhitespace = (char: string | undefined): boolean => char !== undefined && /\s/.test(char)

/** How many characters at the end of `text` could be the start of `marker` (a proper prefix). */
function partialMarkerLength(text: string, marker: string): number {
  for (let length = Math.min(text.length, marker.length - 1); length > 0; length--) {
    if (text.endsWith(marker.slice(0, length))) return length
  }
  return 0
}

/**
 * Splits a streamed answer into thinking and response deltas. Chunks may be cut anywhere, inside a
 * header included: text that could still turn out to be part of a header is held back until the
 * next chunk decides, so a partial `## Final Response` never shows as text. An answer that does not
 * start with `## Thinking` is all response (a model that does not think, or an o1 answer cut short).
 */
export class ThinkingSplitter {
  #state: SplitterState = 'opening'
  #pending = ''
  /** Right after a header: the blank lines that follow it belong to neither part. */
  #skipLeadingWhitespace = false

  push(chunk: string): AnswerParts {
    this.#pending += chunk
    const out: AnswerParts = { thinking: '', response: '' }
    for (;;) {
      if (this.#state === 'opening') {
        const text = this.#pending.trimStart()
        if (text.startsWith(THINKING_HEADER)) {
          this.#state = 'thinking'
          this.#pending = text.slice(THINKING_HEADER.length)
          this.#skipLeadingWhitespace = true
          continue
        }
        if (THINKING_HEADER.startsWith(text)) return out // still undecided (or only whitespace so far)
        this.#state = 'response'
        continue
      }
      if (this.#skipLeadingWhitespace) {
        this.#pending = this.#pending.trimStart()
        if (this.#pending === '') return out
        this.#skipLeadingWhitespace = false
      }
      if (this.#state === 'response') {
        out.response += this.#pending
        this.#pending = ''
        return out
      }
      const marker = this.#pending.indexOf(FINAL_RESPONSE_HEADER)
      if (marker >= 0) {
        out.thinking += this.#pending.slice(0, marker).trimEnd()
        this.#pending = this.#pending.slice(marker + FINAL_RESPONSE_HEADER.length)
        this.#state = 'response'
        this.#skipLeadingWhitespace = true
        continue
      }
      // Hold back a possible start of the marker and the blank lines before it (not part of the thinking).
      let end = this.#pending.length - partialMarkerLength(this.#pending, FINAL_RESPONSE_HEADER)
      while (end > 0 && isWhitespace(this.#pending[end - 1])) end--
      out.thinking += this.#pending.slice(0, end)
      this.#pending = this.#pending.slice(end)
      return out
    }
  }

  /** The answer ended (complete, stopped or cut by the token limit): releases what was held back. */
  finish(): AnswerParts {
    const rest = this.#pending
    this.#pending = ''
    if (this.#state === 'thinking') return { thinking: rest.trimEnd(), response: '' }
    if (this.#skipLeadingWhitespace) return { thinking: '', response: '' } // only blank lines after the header
    return { thinking: '', response: rest }
  }
}

/** The same split for a whole answer (one stored message). */
export function splitThinking(answer: string): AnswerParts {
  const splitter = new ThinkingSplitter()
  const first = splitter.push(answer)
  const last = splitter.finish()
  return { thinking: first.thinking + last.thinking, response: first.response + last.response }
}
