import type { EvaluationPrediction } from '../../../contract/evaluation.ts'

// How fast the model answered and how long its answers were: what IT weighs beside the scores (a model
// that scores well but takes a minute per answer does not fit a clinic's morning).

export interface Throughput {
  items: number
  promptTokens: number
  generatedTokens: number
  /** The items' own answering time added up (waiting for a doctor's turn is not in it). */
  totalSeconds: number
  /** Generated tokens over answering time, all items together. */
  tokensPerSecond: number | null
  secondsPerItem: { mean: number; median: number; max: number } | null
}

export interface LengthBin {
  /** Characters, from inclusive, to exclusive. */
  from: number
  to: number
  count: number
}

export interface AnswerLengths {
  /** Characters are Unicode code points of the answer as the model wrote it. */
  unit: 'characters'
  min: number
  median: number
  mean: number
  max: number
  /** Answers with no character at all. */
  empty: number
  bins: LengthBin[]
}

export function throughput(predictions: readonly EvaluationPrediction[]): Throughput {
  const seconds = predictions.map((p) => p.seconds)
  const totalSeconds = sum(seconds)
  const generatedTokens = sum(predictions.map((p) => p.generatedTokens))
  return {
    items: predictions.length,
    promptTokens: sum(predictions.map((p) => p.promptTokens)),
    generatedTokens,
    totalSeconds,
    tokensPerSecond: totalSeconds > 0 ? generatedTokens / totalSeconds : null,
    secondsPerItem: predictions.length === 0 ? null : { mean: totalSeconds / predictions.length, median: median(seconds), max: Math.max(...seconds) },
  }
}

export function characterCount(text: string): number {
  let count = 0
  for (const _ of text) count++
  return count
}

/** The lengths and a histogram of 5–20 bins of a round width (10, 20, 25, 50, 100, … characters). */
export function answerLengths(predictions: readonly EvaluationPrediction[]): AnswerLengths | null {
  if (predictions.length === 0) return null
  const lengths = predictions.map((p) => characterCount(p.prediction))
  const max = Math.max(...lengths)
  const width = binWidth(max)
  const binCount = Math.max(1, Math.floor(max / width) + 1)
  const bins: LengthBin[] = Array.from({ length: binCount }, (_, index) => ({ from: index * width, to: (index + 1) * width, count: 0 }))
  for (const length of lengths) bins[Math.min(binCount - 1, Math.floor(length / width))]!.count++
  return {
    unit: 'characters',
    min: Math.min(...lengths),
    median: median(lengths),
    mean: sum(lengths) / lengths.length,
    max,
    empty: lengths.filter((length) => length === 0).length,
    bins,
  }
}

function binWidth(max: number): number {
  for (let scale = 1; ; scale *= 10) {
    for (const step of [1, 2, 2.5, 5]) {
      const width = step * scale
      if (Number.isInteger(width) && max / width < 20) return width
    }
  }
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0)
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}
