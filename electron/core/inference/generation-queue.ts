import type { GenerationPriority } from '../../contract/inference.ts'
import { WorkstationError } from '../errors.ts'

interface Waiting {
  priority: GenerationPriority
  start: () => void
}

/**
 * One generation at a time per loaded model (or `slots` at a time: a hospital inference server
 * batches requests itself), in the order requested. A caller may withdraw a
 * request still waiting (REQUEST_CANCELLED); the ones behind it keep their order. A `background`
 * request (an evaluation run's item) starts only when no `consultation` request waits: a doctor's
 * turn queued after it still goes first. The one running is never interrupted.
 */
export class GenerationQueue {
  readonly #waiting: Waiting[] = []
  readonly #slots: number
  #running = 0

  constructor(slots = 1) {
    this.#slots = Math.max(1, Math.floor(slots))
  }

  /** Requests queued or running. */
  get size(): number {
    return this.#waiting.length + this.#running
  }

  run<T>(task: () => Promise<T>, signal?: AbortSignal, priority: GenerationPriority = 'consultation'): Promise<T> {
    const cancelled = () => new WorkstationError('REQUEST_CANCELLED', 'withdrawn while waiting for the model')
    if (signal?.aborted) return Promise.reject(cancelled())
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => {
        const at = this.#waiting.indexOf(entry)
        if (at < 0) return
        this.#waiting.splice(at, 1)
        reject(cancelled())
      }
      const entry: Waiting = {
        priority,
        start: () => {
          signal?.removeEventListener('abort', onAbort)
          this.#running++
          task()
            .then(resolve, reject)
            .finally(() => {
              this.#running--
              this.#next()
            })
        },
      }
      signal?.addEventListener('abort', onAbort, { once: true })
      this.#waiting.push(entry)
      // Started on a later tick, as the promise chain did: callers queued together keep their order.
      queueMicrotask(() => this.#next())
    })
  }

  #next(): void {
    if (this.#running >= this.#slots || this.#waiting.length === 0) return
    const at = this.#waiting.findIndex((entry) => entry.priority === 'consultation')
    const [entry] = this.#waiting.splice(at >= 0 ? at : 0, 1)
    entry?.start()
  }
}
