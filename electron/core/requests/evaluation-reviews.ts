import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { ReviewResult, ReviewSummary } from '../../contract/evaluation-review.ts'
import type { Permission } from '../../contract/clinicians.ts'
import { mayDo } from '../clinicians/permissions.ts'
import { BlindReview, newReviewId, prepareReview } from '../evaluation/review/blind-review.ts'
import { WorkstationError } from '../errors.ts'
import { requestEntries, type RequestContext } from './request-module.ts'
import type { WorkstationServices } from './workstation-services.ts'

// Doctors' blind pairwise review of two evaluation runs. Reviews live in
// <dataDir>/evaluations/reviews/<reviewId>/ and runs in <dataDir>/evaluations/runs/<name>/; the
// window names both by folder name (the contract's schema allows no separator and no ..), never by
// path. No reply carries the key (which run is first): review.next shows question, first, second.
//
// Who: doctors and nurses judge (evaluation.review); administrators prepare reviews, see which
// runs a review compares and read every result (evaluation.manage); everyone lists them
// (evaluation.read). A reviewer reads a review's result once they have judged every item of it —
// not before, so that the tally cannot sway their remaining judgements.
//
// Audit: review.create as `evaluation.review-create` and each judgement as `evaluation.judge`, with
// the reviewer's staff id, the review's id and the item's id; the reason stays in the review's folder.

export function reviewsFolder(services: WorkstationServices): string {
  return join(services.config.dataDir, 'evaluations', 'reviews')
}

export function runsFolder(services: WorkstationServices): string {
  return join(services.config.dataDir, 'evaluations', 'runs')
}

function may(services: WorkstationServices, actor: string, permission: Permission): boolean {
  const account = services.clinicians.accounts.find(actor)
  return account !== null && mayDo(account.roles, permission)
}

/** One change at a time per review folder (by its path: two workstations in one process stay apart): a judgement checks, then appends. */
const reviewQueues = new Map<string, Promise<unknown>>()
function serialized<T>(folder: string, work: () => Promise<T>): Promise<T> {
  const previous = reviewQueues.get(folder) ?? Promise.resolve()
  const next = previous.then(work, work)
  const settled = next.catch(() => undefined)
  reviewQueues.set(folder, settled)
  void settled.then(() => {
    if (reviewQueues.get(folder) === settled) reviewQueues.delete(folder)
  })
  return next
}

function openReview(services: WorkstationServices, reviewId: string): Promise<BlindReview> {
  return BlindReview.open(join(reviewsFolder(services), reviewId))
}

function summaryOf(review: BlindReview, { actor, services }: RequestContext): ReviewSummary {
  const manager = may(services, actor, 'evaluation.manage')
  const progress = review.progress(actor)
  return {
    ...progress,
    createdAt: review.document.createdAt,
    createdBy: review.document.createdBy,
    runs: manager ? review.document.runs : null,
    resultVisible: manager || progress.judgedByMe === progress.items,
  }
}

export const evaluationReviewQueries = requestEntries({
  'review.list': {
    access: 'evaluation.read',
    handle: async (_input, context) => {
      let names: string[]
      try {
        names = (await readdir(reviewsFolder(context.services), { withFileTypes: true })).filter((entry) => entry.isDirectory()).map((entry) => entry.name)
      } catch {
        return []
      }
      const summaries: ReviewSummary[] = []
      for (const name of names) {
        try {
          summaries.push(summaryOf(await BlindReview.open(join(reviewsFolder(context.services), name)), context))
        } catch {
          // A folder that holds no readable review is not listed (review.next names its damage).
        }
      }
      return summaries.sort((x, y) => y.createdAt.localeCompare(x.createdAt))
    },
  },
  'review.next': {
    access: 'evaluation.review',
    handle: async ({ reviewId }, { actor, services }) => {
      const review = await openReview(services, reviewId)
      return { item: review.next(actor), progress: review.progress(actor) }
    },
  },
  'review.result': {
    access: 'evaluation.read',
    handle: async ({ reviewId }, { actor, services }): Promise<ReviewResult> => {
      const review = await openReview(services, reviewId)
      const manager = may(services, actor, 'evaluation.manage')
      if (!manager) {
        const progress = review.progress(actor)
        if (!may(services, actor, 'evaluation.review') || progress.judgedByMe < progress.items) throw new WorkstationError('REVIEW_RESULT_HIDDEN', reviewId)
      }
      const tally = review.tally()
      return { reviewId: review.id, items: review.document.items.length, ...tally, runs: manager ? review.document.runs : null }
    },
  },
})

export const evaluationReviewCommands = requestEntries({
  'review.create': {
    access: 'evaluation.manage',
    handle: async ({ runA, runB }, context) => {
      const { services, actor } = context
      // A run still answering would change its predictions (and their SHA-256) under the reviewers.
      const running = (await services.evaluations.runs()).filter((run) => run.status === 'running' && (run.runId === runA || run.runId === runB))
      if (running.length > 0) throw new WorkstationError('REVIEW_RUN_UNFINISHED', running.map((run) => run.runId).join(', '), { data: { run: running[0]?.runId ?? null } })
      const now = new Date()
      const id = newReviewId(now)
      const { document } = await prepareReview({
        runA: { folder: join(runsFolder(services), runA), name: runA },
        runB: { folder: join(runsFolder(services), runB), name: runB },
        outDir: join(reviewsFolder(services), id),
        createdBy: actor,
        id,
        now,
      })
      services.store.audit.append({
        actor,
        action: 'evaluation.review-create',
        entityType: 'evaluation-review',
        entityId: id,
        details: { runA: runA, runB: runB, items: document.items.length },
      })
      return summaryOf(await openReview(services, id), context)
    },
  },
  'review.judge': {
    access: 'evaluation.review',
    handle: ({ reviewId, itemId, choice, reason }, { actor, services }) =>
      serialized(join(reviewsFolder(services), reviewId), async () => {
        const review = await openReview(services, reviewId)
        await review.judge({ itemId, reviewer: actor, choice, reason })
        services.store.audit.append({ actor, action: 'evaluation.judge', entityType: 'evaluation-review', entityId: reviewId, details: { itemId: itemId.slice(0, 200) } })
        return review.progress(actor)
      }),
  },
  'review.skip': {
    access: 'evaluation.review',
    handle: ({ reviewId, itemId }, { actor, services }) =>
      serialized(join(reviewsFolder(services), reviewId), async () => {
        const review = await openReview(services, reviewId)
        await review.skip({ itemId, reviewer: actor })
        return review.progress(actor)
      }),
  },
})
