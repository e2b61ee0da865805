// Sampling settings for one answer, declared once: the window's requests, the engine protocol and
// the prompt formats' recommendations all take their fields and bounds from this schema.
import { z } from 'zod'

/** Sampling for one answer. Every field is optional: the prompt format's recommendation fills the rest. */
export const samplingSchema = z
  .object({
    temperature: z.number().min(0).max(5).optional(),
    /** 0 = off. */
    topK: z.number().int().min(0).max(1000).optional(),
    /** 1 = off. */
    topP: z.number().gt(0).max(1).optional(),
    /** 0 = off. */
    minP: z.number().min(0).max(1).optional(),
    /** 1 = off. Applied to the tokens of the recent history, as the HuatuoGPT-II demo does. */
    repeatPenalty: z.number().min(1).max(5).optional(),
    maxTokens: z.number().int().min(1).max(32_768).optional(),
    /** Same seed, same history, same settings → the same answer. */
    seed: z.number().int().min(0).max(0xffffffff).optional(),
  })
  .strict()

export type SamplingSettings = z.infer<typeof samplingSchema>
export type SamplingSetting = keyof SamplingSettings

/** Sampling with every field decided (the seed stays optional: without one, each answer differs). */
export type ResolvedSampling = Required<Omit<SamplingSettings, 'seed'>> & Pick<SamplingSettings, 'seed'>
