import type { LLamaChatPromptOptions } from 'node-llama-cpp'
import { samplingSchema, type ResolvedSampling, type SamplingSettings } from '../../../contract/sampling.ts'
import { WorkstationError } from '../../errors.ts'
import type { RecommendedSampling } from './types.ts'

export type { ResolvedSampling }

/**
 * The format's recommendation with a request's overrides on top. Fields left undefined keep the
 * recommendation; an override outside the contract's bounds is refused (SAMPLING_INVALID), never
 * clamped silently.
 */
export function resolveSampling(recommended: RecommendedSampling, overrides: SamplingSettings = {}): ResolvedSampling {
  const checked = samplingSchema.safeParse(overrides)
  if (!checked.success) {
    const issue = checked.error.issues[0]
    const key = String(issue?.path[0] ?? 'sampling')
    const value = (overrides as Record<string, unknown>)[key]
    throw new WorkstationError('SAMPLING_INVALID', `${key}: ${issue?.message ?? 'invalid'}, got ${String(value)}`)
  }
  const resolved: ResolvedSampling = {
    temperature: overrides.temperature ?? recommended.temperature,
    topK: overrides.topK ?? recommended.topK,
    topP: overrides.topP ?? recommended.topP,
    minP: overrides.minP ?? recommended.minP,
    repeatPenalty: overrides.repeatPenalty ?? recommended.repeatPenalty,
    maxTokens: overrides.maxTokens ?? recommended.maxTokens,
  }
  if (overrides.seed !== undefined) resolved.seed = overrides.seed
  return resolved
}

export type LlamaSamplingOptions = Pick<
  LLamaChatPromptOptions,
  'temperature' | 'topK' | 'topP' | 'minP' | 'maxTokens' | 'seed' | 'repeatPenalty'
>

/**
 * node-llama-cpp's option shape. Every field is passed explicitly: left out, the library would use
 * top-k 40, top-p 0.95 and a 1.1 repeat penalty of its own. transformers' repetition_penalty (the
 * HuatuoGPT-II demo) divides the logit of every token already present, counted once, newlines
 * included; node-llama-cpp's `penalty` is the same rule over the tokens generated so far, so the
 * window covers the whole answer. (The demo also penalizes prompt tokens, which LlamaChat cannot.)
 */
export function llamaSamplingOptions(sampling: ResolvedSampling): LlamaSamplingOptions {
  const options: LlamaSamplingOptions = {
    temperature: sampling.temperature,
    topK: sampling.topK,
    topP: sampling.topP,
    minP: sampling.minP,
    maxTokens: sampling.maxTokens,
    repeatPenalty:
      sampling.repeatPenalty === 1
        ? false
        : {
            penalty: sampling.repeatPenalty,
            lastTokens: sampling.maxTokens,
            penalizeNewLine: true,
            frequencyPenalty: 0,
            presencePenalty: 0,
          },
  }
  if (sampling.seed !== undefined) options.seed = sampling.seed
  return options
}
