import { resolve } from 'node:path'
import { WorkstationError } from '../../errors.ts'
import { BlindReview } from '../review/blind-review.ts'
import type { ReportBlindReview } from './evaluation-report.ts'

/**
 * The review's result from the side of the run whose predictions have this SHA-256: run A or run B
 * of the review, else REVIEW_RUN_NOT_IN_REVIEW (the predictions changed since, or another review).
 */
export async function reviewOfRun(reviewDir: string, predictionsSha256: string): Promise<ReportBlindReview> {
  const review = await BlindReview.open(resolve(reviewDir))
  const { runs } = review.document
  const thisRun = runs.a.predictionsSha256 === predictionsSha256 ? 'a' : runs.b.predictionsSha256 === predictionsSha256 ? 'b' : null
  if (thisRun === null) throw new WorkstationError('REVIEW_RUN_NOT_IN_REVIEW', `${review.id}: ${predictionsSha256.slice(0, 12)}`)
  const tally = review.tally()
  return {
    reviewId: review.id,
    createdAt: review.document.createdAt,
    thisRun,
    thisLabel: runs[thisRun],
    otherLabel: runs[thisRun === 'a' ? 'b' : 'a'],
    items: review.document.items.length,
    itemsJudged: tally.itemsJudged,
    judgements: tally.judgements,
    reviewers: tally.reviewers,
    wins: thisRun === 'a' ? tally.aWins : tally.bWins,
    ties: tally.ties,
    losses: thisRun === 'a' ? tally.bWins : tally.aWins,
    agreement: tally.agreement,
  }
}
