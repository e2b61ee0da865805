import { WorkstationError } from '../../errors.ts'

/**
 * The one model download the workstation runs at a time, so the window can cancel it. What was
 * fetched stays beside the models folder: the same download asked for again resumes with a Range
 * request.
 */
export class ModelTransfers {
  #current: AbortController | null = null

  /** Starts a transfer; refuses a second while one runs (two multi-gigabyte downloads help nobody). */
  begin(): AbortSignal {
    if (this.#current !== null) throw new WorkstationError('DOWNLOAD_IN_PROGRESS')
    this.#current = new AbortController()
    return this.#current.signal
  }

  end(signal: AbortSignal): void {
    if (this.#current?.signal === signal) this.#current = null
  }

  /** Cancels the running transfer; false when there was none. */
  cancel(): boolean {
    if (this.#current === null) return false
    this.#current.abort()
    return true
  }

  get running(): boolean {
    return this.#current !== null
  }
}
