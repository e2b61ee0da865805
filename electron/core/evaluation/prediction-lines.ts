import { readFile } from 'node:fs/promises'
import { basename } from 'node:path'
import { z } from 'zod'
import type { EvaluationPrediction } from '../../contract/evaluation.ts'
import { WorkstationError } from '../errors.ts'

// A run's predictions.jsonl as the scorer reads it. Every well-formed line is kept; any other line
// is skipped and named by its number with a stable kind, so the caller can say exactly what it did
// not count. A last line without its newline that does not parse is what a killed run leaves
// behind: it is `partial`, not an error. Reasons name lines, fields and ids, never clinical text.

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

export type SkipKind = 'partial' | 'not-json' | 'not-a-prediction' | 'repeated-id'

export interface SkippedLine {
  /** 1-based, as an editor shows it. */
  line: number
  kind: SkipKind
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
  const lines = text.replace(/^\ufeff/, '').split('\n')
  const endsWithNewline = lines.at(-1) === ''
  lines.forEach((raw, index) => {
    const line = index + 1
    const content = raw.endsWith('\r') ? raw.slice(0, -1) : raw
    if (content.trim() === '') return
    let value: unknown
    try {
      value = JSON.parse(content)
    } catch {
      const partial = !endsWithNewline && index === lines.length - 1
      skipped.push(
        partial
          ? { line, kind: 'partial', reason: 'an unfinished last line (an interrupted run), dropped' }
          : { line, kind: 'not-json', reason: 'not a JSON object' },
      )
      return
    }
    const parsed = predictionLine.safeParse(value)
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      const where = issue && issue.path.length > 0 ? `"${issue.path.join('.')}"` : 'the line'
      skipped.push({ line, kind: 'not-a-prediction', reason: `not a prediction: ${where}: ${issue?.message ?? 'invalid'}` })
      return
    }
    if (seen.has(parsed.data.id)) {
      skipped.push({ line, kind: 'repeated-id', reason: `id ${JSON.stringify(parsed.data.id)} again (the first answer is kept)` })
      return
    }
    seen.add(parsed.data.id)
    predictions.push(parsed.data)
  })
  return { predictions, skipped }
}

/** Reads and parses the file; an unreadable file is INPUT_UNREADABLE (named by its base name). */
export async function readPredictionsFile(path: string): Promise<PredictionLines> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    throw new WorkstationError('INPUT_UNREADABLE', `${basename(path)}: ${(error as NodeJS.ErrnoException).code ?? 'unreadable'}`, { cause: error })
  }
  return parsePredictionLines(text)
}
