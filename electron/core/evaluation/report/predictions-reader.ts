import { z } from 'zod'
import type { EvaluationPrediction } from '../../../contract/evaluation.ts'

// predictions.jsonl as the report reads it: every well-formed line kept, every other one skipped and
// named by its line number (a run killed mid-write leaves a partial last line; a hand-edited file may
// carry anything), so the report can say exactly what it did not count.

const count = z.number().finite().nonnegative()
const predictionLine = z.object({
  id: z.string().min(1),
  question: z.string(),
  reference: z.union([z.string(), z.array(z.string()).min(1)]).optional(),
  prediction: z.string(),
  thinking: z.string().optional(),
  options: z.record(z.string(), z.string()).optional(),
  promptTokens: count,
  generatedTokens: count,
  seconds: count,
})

export interface SkippedLine {
  /** 1-based, as an editor shows it. */
  line: number
  reason: string
}

export interface PredictionLines {
  predictions: EvaluationPrediction[]
  skipped: SkippedLine[]
}

export function parsePredictionLines(text: string): PredictionLines {
  const predictions: EvaluationPrediction[] = []
  const skipped: SkippedLine[] = []
  const seen = new Set<string>()
  text.split('\n').forEach((raw, index) => {
    const line = index + 1
    if (raw.trim() === '') return
    let value: unknown
    try {
      value = JSON.parse(raw)
    } catch {
      skipped.push({ line, reason: 'not JSON (a partial line left by an interrupted run?)' })
      return
    }
    const parsed = predictionLine.safeParse(value)
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      skipped.push({ line, reason: `not a prediction: ${issue ? `${issue.path.join('.') || 'line'}: ${issue.message}` : 'invalid'}` })
      return
    }
    if (seen.has(parsed.data.id)) {
      skipped.push({ line, reason: `id ${JSON.stringify(parsed.data.id)} repeated (the first answer is kept)` })
      return
    }
    seen.add(parsed.data.id)
    predictions.push(parsed.data)
  })
  return { predictions, skipped }
}

