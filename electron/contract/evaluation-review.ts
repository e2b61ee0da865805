// Doctors' blind pairwise review of two evaluation runs (HuatuoGPT's authors compared models so):
// a clinician reads one question and two answers, unlabelled and in an order drawn per item, and
// chooses the first better, a tie, or the second better. Which run wrote which answer (the key) never
// crosses to a window: nothing in this file carries a side. Plain data only.
import { z } from 'zod'

/** What a reviewer chooses, by position on the screen (never by run). */
export const reviewChoices = ['first', 'tie', 'second'] as const
export type ReviewChoice = (typeof reviewChoices)[number]

/**
 * A review's id: the name of its folder under `<dataDir>/evaluations/reviews/` (the workstation
 * names it), and a run's name: its folder's name under `<dataDir>/evaluations/runs/`. Never a path.
 */
export const reviewFolderNameSchema = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'a folder name: letters, digits, dot, underscore, hyphen')
  .refine((name) => !name.includes('..'), 'no ..')

/** A reviewer's reason for a choice: optional, kept with the judgement (never in the audit log). */
export const reviewReasonSchema = z.string().max(2000)

export const reviewCreateSchema = z.object({ runA: reviewFolderNameSchema, runB: reviewFolderNameSchema }).strict()
export const reviewRefSchema = z.object({ reviewId: reviewFolderNameSchema }).strict()
export const reviewItemRefSchema = z.object({ reviewId: reviewFolderNameSchema, itemId: z.string().min(1).max(200) }).strict()
export const reviewJudgeSchema = reviewItemRefSchema.extend({ choice: z.enum(reviewChoices), reason: reviewReasonSchema.optional() }).strict()

/** One run as administrators see it beside a review (reviewers never do). */
export interface ReviewRunLabel {
  /** The run's folder name (CLI: the folder given). */
  run: string
  /** sha256 null: a model served by the hospital inference server (no file hash). */
  model: { name: string; sha256: string | null; promptFormat: string; quantization: string | null }
  dataset: { file: string; sha256: string; format: string }
  startedAt: string
  /** SHA-256 of the run's predictions.jsonl when the review was prepared. */
  predictionsSha256: string
}

/** The signed-in clinician's progress through one review. */
export interface ReviewProgress {
  reviewId: string
  /** Items in the review (questions both runs answered alike). */
  items: number
  /** Items this clinician has judged. */
  judgedByMe: number
  /** Items this clinician skipped and has not judged since: they come back after the others. */
  skippedByMe: number
  /** Judgements by every reviewer, and how many reviewers made them. */
  judgements: number
  reviewers: number
}

/** A review in the list. `runs` only for administrators (evaluation.manage); a reviewer sees no model. */
export interface ReviewSummary extends ReviewProgress {
  createdAt: string
  createdBy: string
  runs: { a: ReviewRunLabel; b: ReviewRunLabel } | null
  /** Whether the signed-in clinician may read the result now (administrators; reviewers once they judged every item). */
  resultVisible: boolean
}

/** The next item for the signed-in clinician: one question and two answers. No side, no run, no model. */
export interface ReviewItemView {
  reviewId: string
  itemId: string
  question: string
  first: string
  second: string
  /** True when this clinician skipped it before (it comes back after every unseen item). */
  skippedBefore: boolean
}

/** `review.next`: the item, or null when this clinician has judged every item. */
export interface ReviewNext {
  item: ReviewItemView | null
  progress: ReviewProgress
}

/** A count, its share of the judgements and the share's Wilson 95 % score interval (0–1; null with no judgements). */
export interface ReviewRate {
  count: number
  rate: number | null
  low: number | null
  high: number | null
}

/**
 * Agreement between reviewers on the items two or more of them judged (outcomes A / tie / B).
 * percentAgreement: over those items, the mean share of agreeing reviewer pairs (Fleiss' P̄; for two
 * reviewers per item simply the share of items they agree on). fleissKappa: Fleiss' kappa with a
 * varying number of reviewers per item. cohenKappa: when exactly two reviewers judged items in
 * common (and no third did), Cohen's kappa on their common items. Each null when undefined.
 */
export interface ReviewAgreement {
  itemsJudgedTwice: number
  percentAgreement: number | null
  fleissKappa: number | null
  cohenKappa: { reviewers: [string, string]; items: number; kappa: number | null } | null
}

/** `review.result`: the judgements mapped back through the key to run A / run B. */
export interface ReviewResult {
  reviewId: string
  items: number
  /** Items judged at least once. */
  itemsJudged: number
  judgements: number
  reviewers: number
  aWins: ReviewRate
  ties: ReviewRate
  bWins: ReviewRate
  agreement: ReviewAgreement
  /**
   * Which runs were A and B: administrators only. A reviewer who finished sees the tally but never the
   * models — with their own judgements it would tell them which model wrote which answer.
   */
  runs: { a: ReviewRunLabel; b: ReviewRunLabel } | null
}
