import type { EvaluationPrediction } from '../../contract/evaluation.ts'
import { isWorkstationError } from '../errors.ts'
import type { EvaluationItem } from './datasets/index.ts'
import type { EvaluationAnswer, EvaluationAnswerer } from './evaluation-answerer.ts'
import { itemSeed } from './item-seed.ts'
import type { OpenedPredictions } from './predictions-appender.ts'

// The run loop: every item not yet finished, each in a fresh context, one at a time or (a hospital
// inference server) several in flight at once; each line is written and flushed as its item
// finishes, so with several in flight the file's order is the order items finished (readers go by
// id). Cancelling starts no new item and abandons those in progress; no partial line is written.

export interface EvaluationProgress {
  /** Items finished, counting those of earlier sessions of this run. */
  done: number
  total: number
  /**
   * Items answered in this session, their generated tokens, and the session's seconds with items
   * in flight (one at a time: the sum of the items' seconds; several at once: wall time, not the sum).
   */
  answeredNow: number
  generatedTokensNow: number
  secondsNow: number
  /** Remaining seconds at this session's pace; null before the first item. */
  etaSeconds: number | null
  /** Generated tokens per second of generation in this session; null before the first item. */
  tokensPerSecond: number | null
}

export interface EvaluationRunOptions {
  items: readonly EvaluationItem[]
  predictions: Pick<OpenedPredictions, 'finished' | 'append'>
  answerer: EvaluationAnswerer
  seed: number
  signal: AbortSignal
  /**
   * Awaited before each item: in the workstation, resolves when no consultation is using the
   * engine, so the run yields to doctors between items (the engine's queue already lets a waiting
   * consultation turn go before the run's next item).
   */
  waitForIdle?: (signal: AbortSignal) => Promise<void>
  onProgress?: (progress: EvaluationProgress) => void
  /** Items in flight at once (default 1: one after the other). Each item's seed does not depend on it. */
  concurrency?: number
  now?: () => number
}

export interface EvaluationRunResult {
  /** Items answered in this session. */
  answered: number
  /** Items skipped because an earlier session finished them. */
  alreadyFinished: number
  /** Items still unanswered (cancelled before them). */
  remaining: number
  cancelled: boolean
}

export async function runEvaluation(options: EvaluationRunOptions): Promise<EvaluationRunResult> {
  const now = options.now ?? (() => performance.now())
  const { items, predictions, signal } = options
  const alreadyFinished = items.filter((item) => predictions.finished.has(item.id)).length
  const pending = items.filter((item) => !predictions.finished.has(item.id))
  const progress: EvaluationProgress = {
    done: alreadyFinished,
    total: items.length,
    answeredNow: 0,
    generatedTokensNow: 0,
    secondsNow: 0,
    etaSeconds: null,
    tokensPerSecond: null,
  }
  options.onProgress?.({ ...progress })
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? 1))
  let answered = 0
  let next = 0
  let failure: { error: unknown } | undefined
  // The session's busy time: wall time with at least one item in flight. One at a time, the sum of
  // the items' seconds; several at once, not their sum, so ETA and tokens/s stay the run's pace.
  let active = 0
  let busySince = 0
  let busyClosed = 0
  const begin = (at: number) => {
    if (active++ === 0) busySince = at
  }
  const end = (at: number) => {
    if (--active === 0) busyClosed += (at - busySince) / 1000
  }
  const busySeconds = () => (active > 0 ? busyClosed + (now() - busySince) / 1000 : busyClosed)
  // Lines go to the file one at a time, each whole, in the order their items finish.
  let writing: Promise<void> = Promise.resolve()
  const write = (line: EvaluationPrediction) => {
    const written = writing.then(() => predictions.append(line))
    writing = written.catch(() => undefined)
    return written
  }

  const worker = async () => {
    while (!signal.aborted && failure === undefined && next < pending.length) {
      const item = pending[next++]!
      try {
        await options.waitForIdle?.(signal)
        if (failure !== undefined) break
        const started = now()
        begin(started)
        let answer: EvaluationAnswer
        try {
          answer = await options.answerer.answer({ prompt: item.prompt, seed: itemSeed(options.seed, item.id), signal })
        } catch (error) {
          end(now())
          throw error
        }
        const ended = now()
        end(ended)
        const seconds = (ended - started) / 1000
        if (signal.aborted) break
        await write(predictionLine(item, answer, seconds))
        answered++
        progress.done++
        progress.answeredNow = answered
        progress.generatedTokensNow += answer.generatedTokens
        progress.secondsNow = busySeconds()
        progress.etaSeconds = (progress.secondsNow / answered) * (progress.total - progress.done)
        progress.tokensPerSecond = progress.secondsNow > 0 ? progress.generatedTokensNow / progress.secondsNow : null
        options.onProgress?.({ ...progress })
      } catch (error) {
        if (signal.aborted && isWorkstationError(error, 'REQUEST_CANCELLED')) break
        // The first failure stops the run: no new item starts; those in flight finish and are kept.
        failure ??= { error }
        break
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, pending.length) }, worker))
  if (failure !== undefined) throw failure.error
  return { answered, alreadyFinished, remaining: pending.length - answered, cancelled: signal.aborted && answered < pending.length }
}

/** The keys in the order, then thinking and options where they exist. */
function predictionLine(
  item: EvaluationItem,
  answer: { text: string; thinking: string; promptTokens: number; generatedTokens: number },
  seconds: number,
): EvaluationPrediction {
  return {
    id: item.id,
    question: item.question,
    ...(item.reference !== undefined ? { reference: item.reference } : {}),
    prediction: answer.text,
    promptTokens: answer.promptTokens,
    generatedTokens: answer.generatedTokens,
    seconds: Math.round(seconds * 1000) / 1000,
    ...(answer.thinking !== '' ? { thinking: answer.thinking } : {}),
    ...(item.options !== undefined ? { options: item.options } : {}),
  }
}
