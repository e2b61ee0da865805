import type { EvaluationItemScore, EvaluationPrediction, EvaluationScores } from '../../../contract/evaluation.ts'

// The report never computes a metric itself: it asks the scorer (electron/core/evaluation/metrics),
// through this one seam, so the page and `huatuo eval score` cannot disagree on a number.

export interface RunScoring {
  scores: EvaluationScores
  /** One entry per scored free-text item (an item with a reference). */
  items: EvaluationItemScore[]
  /** One entry per scored multiple-choice item. */
  examItems: Array<{ id: string; correct: boolean }>
}

export interface RunScorer {
  score(predictions: readonly EvaluationPrediction[]): RunScoring
}
