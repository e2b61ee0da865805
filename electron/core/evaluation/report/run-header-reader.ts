import { z } from 'zod'
import { datasetFormats, type EvaluationRunHeader } from '../../../contract/evaluation.ts'

// run.json, the run's header, checked before the report prints any of it: a header the report cannot
// trust is reported as unreadable rather than shown half right.

const runHeader = z.object({
  startedAt: z.string(),
  workstationVersion: z.string(),
  model: z.object({ file: z.string().nullable(), sha256: z.string().nullable(), name: z.string(), promptFormat: z.string(), quantization: z.string().nullable() }),
  dataset: z.object({ file: z.string(), sha256: z.string(), format: z.enum(datasetFormats), items: z.number().int().nonnegative(), limit: z.number().int().positive().nullable() }),
  sampling: z.object({ temperature: z.number(), topP: z.number(), topK: z.number(), repeatPenalty: z.number(), maxTokens: z.number() }),
  seed: z.number().int(),
  threads: z.number().int(),
  engine: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('local'), backend: z.string(), nodeLlamaCpp: z.string() }),
    z.object({ kind: z.literal('remote'), url: z.string(), api: z.string(), model: z.string(), concurrency: z.number().int().positive() }),
  ]),
}) satisfies z.ZodType<EvaluationRunHeader>

export type RunHeaderReading = { status: 'read'; header: EvaluationRunHeader } | { status: 'absent' } | { status: 'unreadable'; reason: string }

/** `text` is run.json's content, or null when the run's folder has none. */
export function parseRunHeader(text: string | null): RunHeaderReading {
  if (text === null) return { status: 'absent' }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return { status: 'unreadable', reason: 'run.json is not JSON' }
  }
  const parsed = runHeader.safeParse(value)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    return { status: 'unreadable', reason: `run.json: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid'}` }
  }
  return { status: 'read', header: parsed.data }
}
