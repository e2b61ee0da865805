import type { LLamaChatPromptOptions } from 'node-llama-cpp'
import type { SamplingSettings } from '../../../contract/inference.ts'
import { WorkstationError } from '../../errors.ts'
import type { RecommendedSampling } from './types.ts'

/** Sampling for one answer with every field decided. */
export interface ResolvedSampling {
  temperature: number
  topK: number
  topP: number
  minP: number
  repeatPenalty: number
  maxTokens: number
  seed?: number
}

type Check = (value: number) => boolean
const isNonNegativeInteger: Check = (v) => Number.isInteger(v) && v >= 0
const limits: Record<keyof SamplingSettings, { check: Check; range: string }> = {
  temperature: { check: (v) => v >= 0 && v <= 5, range: '0–5' },
  topK: { check: isNonNegativeInteger, range: 'an integer ≥ 0 (0 = off)' },
  topP: { check: (v) => v > 0 && v <= 1, range: '(0, 1] (1 = off)' },
  minP: { check: (v) => v >= 0 && v <= 1, range: '[0, 1] (0 = off)' },
  repeatPenalty: { check: (v) => v >= 1 && v <= 5, range: '1–5 (1 = off)' },
  maxTokens: { check: (v) => Number.isInteger(v) && v >= 1, range: 'an integer ≥ 1' },
  seed: { check: isNonNegativeInteger, range: 'an integer ≥ 0' },
}

/**
 * The format's recommendation with a request's overrides on top. Fields left undefined keep the
 * recommendation; an out-of-range override is refused (SAMPLING_INVALID), never clamped silently.
 */
export function resolveSampling(recommended: RecommendedSampling, overrides: SamplingSettings = {}): ResolvedSampling {
  for (const key of Object.keys(limits) as (keyof SamplingSettings)[]) {
    const value = overrides[key]
    if (value === undefined) continue
    const limit = limits[key]
    if (typeof value !== 'number' || !Number.isFinite(value) || !limit.check(value))
      throw new WorkstationError('SAMPLING_INVALID', `${key} must be ${limit.range}, got ${String(value)}`)
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
