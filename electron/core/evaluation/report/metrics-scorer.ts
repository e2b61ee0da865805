import { scorePredictions } from '../metrics/score-predictions.ts'
import type { RunScorer } from './run-scorer.ts'

/** The report's numbers are `huatuo eval score`'s: the same function, not a second implementation. */
export const metricsScorer: RunScorer = { score: scorePredictions }
