import { WorkstationError } from '../../errors.ts'

/**
 * One generation at a time per loaded model, in the order requested. A caller may withdraw a
 * request still waiting (REQUEST_CANCELLED); the ones behind it keep their order.
 */
export class GenerationQueue {
  #tail: Promise<void> = Promise.resolve()
  #waiting = 0

  /** Requests queued or running. */
  get size(): number {
    return this.#waiting
  }

  run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const previous = this.#tail
    let release!: () => void
    const own = new Promise<void>((resolve) => (release = resolve))
    // The next request waits for this one AND everything before it, even if this one is withdrawn.
    this.#tail = previous.then(() => own)
    this.#waiting++
    return (async () => {
      try {
        await untilTurnOrAbort(previous, signal)
        return await task()
      } finally {
        this.#waiting--
        release()
      }
    })()
  }
}

function untilTurnOrAbort(turn: Promise<void>, signal: AbortSignal | undefined): Promise<void> {
  const cancelled = () => new WorkstationError('REQUEST_CANCELLED', 'withdrawn while waiting for the model')
  if (signal === undefined) return turn
  if (signal.aborted) return Promise.reject(cancelled())
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => reject(cancelled())
    signal.addEventListener('abort', onAbort, { once: true })
    void turn.then(() => {
      signal.removeEventListener('abort', onAbort)
      if (signal.aborted) reject(cancelled())
      else resolve()
    })
  })
}
