import type { ReviewAgreement, ReviewRate, ReviewRunLabel } from '../../../contract/evaluation-review.ts'
import type { DatasetFormat, EvaluationItemScore, EvaluationRunHeader, EvaluationScores } from '../../../contract/evaluation.ts'
import type { MetricFigures, PublishedSource, PublishedSystem, SeedDataset } from './published-figures.ts'
import type { SkippedLine } from '../prediction-lines.ts'
import type { AnswerLengths, Throughput } from './run-statistics.ts'

// report.json: everything the HTML page shows, as data, so a script (or the next issue's screen) reads
// the same facts the committee reads.

export interface PublishedComparison {
  dataset: SeedDataset
  /** As the seed's table names it: cMedQA2, WebMedQA, Huatuo-26M. */
  datasetName: string
  source: PublishedSource
  systems: Array<{ key: PublishedSystem['key']; name: PublishedSystem['name']; figures: MetricFigures }>
}

/** Why a run has no published comparison. */
export type NoComparisonReason = 'dataset-not-in-seed-table' | 'dataset-format-unknown'

export interface ReportItem {
  id: string
  question: string
  /** Every acceptable reference; empty for an unscored item. */
  references: string[]
  prediction: string
  thinking?: string
  options?: Record<string, string>
  /** The scorer's numbers for this item; null when it was not scored. */
  scores: EvaluationItemScore | null
  /** A multiple-choice item: whether its letter was right. */
  examCorrect?: boolean
  predictionCharacters: number
}

export interface EvaluationReport {
  kind: 'huatuo-evaluation-report'
  version: 1
  generatedAt: string
  predictionsFile: { name: string; sha256: string; bytes: number }
  /** run.json beside the predictions: read, absent, or present but not trusted. */
  header: { status: 'read'; run: EvaluationRunHeader } | { status: 'absent' } | { status: 'unreadable'; reason: string }
  datasetFormat: DatasetFormat | null
  /** Answered only the first N of the dataset (`--limit`), so not the published test set in full. */
  partialDataset: { answered: number; datasetItems: number } | null
  counts: {
    /** Well-formed prediction lines. */
    answered: number
    scored: number
    unscored: number
    skippedLines: SkippedLine[]
  }
  /**
   * The scorer's output; null only when nothing was answered. A run without references (KUAKE-QIC) has
   * count.scored 0 and only Distinct means anything.
   */
  scores: EvaluationScores | null
  comparison: PublishedComparison | { dataset: null; reason: NoComparisonReason }
  throughput: Throughput
  answerLengths: AnswerLengths | null
  /** The ten lowest-scoring items; an exam's first ten wrong answers; for an unscored run the first ten answers to read. */
  items: { kind: 'lowest-scoring' | 'wrong-answers' | 'first-answers'; list: ReportItem[] }
  /** `--review DIR`: the doctors' blind review of this run against another, from this run's side. */
  blindReview?: ReportBlindReview
}

/**
 * A blind review's result as this run's report shows it: this run is A or B of the review (by its
 * predictions file's SHA-256); wins are judgements that preferred this run, losses the other.
 */
export interface ReportBlindReview {
  reviewId: string
  createdAt: string
  thisRun: 'a' | 'b'
  thisLabel: ReviewRunLabel
  otherLabel: ReviewRunLabel
  items: number
  itemsJudged: number
  judgements: number
  reviewers: number
  wins: ReviewRate
  ties: ReviewRate
  losses: ReviewRate
  agreement: ReviewAgreement
}
