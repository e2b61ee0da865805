import type { EvaluationPrediction } from '../../contract/evaluation.ts'
import { isWorkstationError } from '../errors.ts'
import type { EvaluationItem } from './datasets/index.ts'
import type { EvaluationAnswerer } from './evaluation-answerer.ts'
import { itemSeed } from './item-seed.ts'
import type { OpenedPredictions } from './predictions-appender.ts'

// The run loop: every item not yet finished, one at a time, each in a fresh context, its line
// written and flushed before the next starts. Cancelling abandons the item in progress only.

export interface EvaluationProgress {
  /** Items finished, counting those of earlier sessions of this run. */
  done: number
  total: number
  /** Items answered in this session, and their generated tokens and seconds. */
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
  let answered = 0
  for (const item of pending) {
    if (signal.aborted) break
    try {
      await options.waitForIdle?.(signal)
      const started = now()
      const answer = await options.answerer.answer({ prompt: item.prompt, seed: itemSeed(options.seed, item.id), signal })
      const seconds = (now() - started) / 1000
      if (signal.aborted) break
      await predictions.append(predictionLine(item, answer, seconds))
      answered++
      progress.done++
      progress.answeredNow = answered
      progress.generatedTokensNow += answer.generatedTokens
      progress.secondsNow += seconds
      progress.etaSeconds = (progress.secondsNow / answered) * (progress.total - progress.done)
      progress.tokensPerSecond = progress.secondsNow > 0 ? progress.generatedTokensNow / progress.secondsNow : null
      options.onProgress?.({ ...progress })
    } catch (error) {
      if (signal.aborted && isWorkstationError(error, 'REQUEST_CANCELLED')) break
      throw error
    }
  }
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
