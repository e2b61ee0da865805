export interface AnswerDelta {
  text: string
  thinking: string
}

export interface DeltaCoalescerOptions {
  /** Longest a piece of text waits before it is sent. */
  intervalMs?: number
  /** Send at once when this many token chunks have gathered. */
  maxChunks?: number
}

/**
 * Gathers streamed text and sends it in batches (every ~30 ms or 16 token chunks), so neither the
 * engine protocol nor the IPC to the window carries one message per token.
 */
export class DeltaCoalescer {
  readonly #send: (delta: AnswerDelta) => void
  readonly #intervalMs: number
  readonly #maxChunks: number
  #pending: AnswerDelta = { text: '', thinking: '' }
  #chunks = 0
  #timer: ReturnType<typeof setTimeout> | undefined

  constructor(send: (delta: AnswerDelta) => void, options: DeltaCoalescerOptions = {}) {
    this.#send = send
    this.#intervalMs = options.intervalMs ?? 30
    this.#maxChunks = options.maxChunks ?? 16
  }

  push(delta: AnswerDelta): void {
    if (delta.text === '' && delta.thinking === '') return
    this.#pending.text += delta.text
    this.#pending.thinking += delta.thinking
    this.#chunks++
    if (this.#chunks >= this.#maxChunks) this.flush()
    else this.#timer ??= setTimeout(() => this.flush(), this.#intervalMs)
  }

  /** Sends what is gathered now (also at the end of an answer). */
  flush(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer)
    this.#timer = undefined
    if (this.#chunks === 0) return
    const delta = this.#pending
    this.#pending = { text: '', thinking: '' }
    this.#chunks = 0
    this.#send(delta)
  }
}
