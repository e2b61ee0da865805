// Byte streams from an inference server cut into events, whatever the chunk boundaries: a chunk
// may end mid-line, between \r and \n, or inside a UTF-8 sequence (a Chinese character is three
// bytes). Server-Sent Events (OpenAI style: vLLM, llama-server, OpenAI) and newline-delimited JSON
// (Ollama's native API) are both line protocols, so one line splitter serves both.

/** Splits decoded text into lines ended by \n, \r\n or \r; holds back an unfinished line. */
export class LineSplitter {
  readonly #decoder = new TextDecoder('utf-8')
  #buffer = ''

  push(chunk: Uint8Array | string): string[] {
    this.#buffer += typeof chunk === 'string' ? chunk : this.#decoder.decode(chunk, { stream: true })
    return this.#take(false)
  }

  /** The end of the stream: whatever is left is the last line (if any). */
  end(): string[] {
    this.#buffer += this.#decoder.decode()
    return this.#take(true)
  }

  #take(final: boolean): string[] {
    const lines: string[] = []
    let start = 0
    for (let i = 0; i < this.#buffer.length; i++) {
      const char = this.#buffer[i]
      if (char === '\n') {
        lines.push(this.#buffer.slice(start, i))
        start = i + 1
      } else if (char === '\r') {
        // A \r at the very end may be the first half of \r\n: wait for the next chunk.
        if (i === this.#buffer.length - 1 && !final) break
        lines.push(this.#buffer.slice(start, i))
        if (this.#buffer[i + 1] === '\n') i++
        start = i + 1
      }
    }
    this.#buffer = this.#buffer.slice(start)
    if (final && this.#buffer !== '') {
      lines.push(this.#buffer)
      this.#buffer = ''
    }
    return lines
  }
}

export interface SseEvent {
  event: string
  data: string
}

/**
 * Server-Sent Events as the HTML standard defines them: `data:` lines (several join with \n) make
 * one event, dispatched at a blank line; `event:` names it; comments (`:`) and `id:`/`retry:` are
 * ignored. An event still open when the stream ends is not dispatched (the standard's rule), so a
 * cut stream cannot pass off half an event as whole.
 */
export class SseParser {
  readonly #lines = new LineSplitter()
  #data: string[] = []
  #event = ''

  push(chunk: Uint8Array | string): SseEvent[] {
    return this.#handle(this.#lines.push(chunk))
  }

  end(): SseEvent[] {
    return this.#handle(this.#lines.end())
  }

  #handle(lines: string[]): SseEvent[] {
    const events: SseEvent[] = []
    for (const line of lines) {
      if (line === '') {
        if (this.#data.length > 0) events.push({ event: this.#event || 'message', data: this.#data.join('\n') })
        this.#data = []
        this.#event = ''
        continue
      }
      if (line.startsWith(':')) continue
      const colon = line.indexOf(':')
      const field = colon === -1 ? line : line.slice(0, colon)
      let value = colon === -1 ? '' : line.slice(colon + 1)
      if (value.startsWith(' ')) value = value.slice(1)
      if (field === 'data') this.#data.push(value)
      else if (field === 'event') this.#event = value
    }
    return events
  }
}

/** Newline-delimited JSON (Ollama): one JSON value per non-empty line; the text of each line. */
export class NdjsonParser {
  readonly #lines = new LineSplitter()

  push(chunk: Uint8Array | string): string[] {
    return this.#lines.push(chunk).filter((line) => line.trim() !== '')
  }

  end(): string[] {
    return this.#lines.end().filter((line) => line.trim() !== '')
  }
}
