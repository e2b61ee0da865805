import { createInterface, type Interface } from 'node:readline'

/**
 * The lines a clinician types, from a terminal or a pipe. On a terminal readline edits the line
 * (and turns Ctrl-C into an event instead of a signal); in a pipe Ctrl-C is the process's SIGINT.
 * Both reach `onInterrupt`. Lines typed while an answer streams wait their turn.
 */
export class LineInput {
  readonly terminal: boolean
  readonly #rl: Interface
  readonly #lines: AsyncIterator<string>
  readonly #onInterrupt: () => void
  /** readline itself closed (end of input): lines it read before that are still handed out. */
  #ended = false
  /** close() was called: nothing more is handed out. */
  #quit = false

  constructor(options: { input: NodeJS.ReadableStream; output: NodeJS.WritableStream; terminal: boolean; onInterrupt: () => void }) {
    this.terminal = options.terminal
    this.#onInterrupt = options.onInterrupt
    this.#rl = createInterface({
      input: options.input,
      ...(options.terminal ? { output: options.output } : {}),
      terminal: options.terminal,
      crlfDelay: Infinity,
      historySize: options.terminal ? 100 : 0,
    })
    this.#lines = this.#rl[Symbol.asyncIterator]()
    this.#rl.on('SIGINT', this.#onInterrupt)
    this.#rl.on('close', () => (this.#ended = true))
    process.on('SIGINT', this.#onInterrupt)
  }

  /**
   * The next line, or undefined once the input has ended (Ctrl-D, end of a pipe, or close()).
   * `prompt` is shown on a terminal only: in a pipe nobody reads it.
   */
  async next(prompt: string): Promise<string | undefined> {
    if (this.#quit) return undefined
    if (this.terminal && !this.#ended) {
      this.#rl.setPrompt(prompt)
      this.#rl.prompt()
    }
    const result = await this.#lines.next()
    return result.done || this.#quit ? undefined : result.value
  }

  close(): void {
    process.off('SIGINT', this.#onInterrupt)
    if (this.#quit) return
    this.#quit = true
    this.#rl.close()
  }
}
