import { randomUUID } from 'node:crypto'
import type { AnswerEndReason } from '../../contract/inference.ts'
import type { ResolvedSampling } from '../../contract/sampling.ts'
import { WorkstationError } from '../errors.ts'
import type { InferenceEngine } from '../inference/engine.ts'

/** One question's answer as the runner records it. */
export interface EvaluationAnswer {
  /** The final response (for HuatuoGPT-o1 the part after "## Final Response"). */
  text: string
  thinking: string
  promptTokens: number
  generatedTokens: number
  endReason: AnswerEndReason
}

/**
 * What the runner needs of a model: one question answered with no history, with this seed.
 * Aborting `signal` abandons the question (the promise rejects with REQUEST_CANCELLED).
 */
export interface EvaluationAnswerer {
  answer(request: { prompt: string; seed: number; signal: AbortSignal }): Promise<EvaluationAnswer>
}

/**
 * Each question in a consultation of its own, opened with no history and closed after: a fresh
 * context (its own KV sequence), answered in the model's prompt format. Requests go to the engine
 * as `background`, so a doctor's turn waiting at the same engine goes first.
 */
export function engineAnswerer(engine: Pick<InferenceEngine, 'openConsultation'>, sampling: ResolvedSampling): EvaluationAnswerer {
  return {
    async answer({ prompt, seed, signal }) {
      if (signal.aborted) throw new WorkstationError('REQUEST_CANCELLED')
      const consultationId = `evaluation-${randomUUID()}`
      const session = await engine.openConsultation({ consultationId, history: [] })
      try {
        const answer = await session.send({
          answerId: consultationId,
          patientText: prompt,
          sampling: { ...sampling, seed },
          signal,
          priority: 'background',
        })
        if (signal.aborted || answer.status === 'stopped') throw new WorkstationError('REQUEST_CANCELLED')
        if (answer.status === 'interrupted' || answer.status === 'error') {
          throw answer.error ? WorkstationError.fromPayload(answer.error) : new WorkstationError('MODEL_CRASHED')
        }
        return {
          text: answer.text,
          thinking: answer.thinking,
          promptTokens: answer.timing.promptTokens,
          generatedTokens: answer.timing.generatedTokens,
          endReason: answer.endReason,
        }
      } finally {
        await session.close().catch(() => undefined)
      }
    },
  }
}
