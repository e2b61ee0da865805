import { defineStore } from 'pinia'
import type { ReviewChoice, ReviewItemView, ReviewProgress, ReviewResult, ReviewSummary } from '../../../electron/contract/evaluation-review.ts'
import { workstationClient } from '../api/connect.ts'
import { failureOf, type Failure } from './failure.ts'

// Doctors' blind review of two evaluation runs: the reviews with this clinician's progress, one
// question with two unlabelled answers at a time (the workstation alone knows which run wrote
// which), a choice by position with an optional reason, skip, and the result when it may be read.
export const useReviewStore = defineStore('review', {
  state: () => ({
    reviews: [] as ReviewSummary[],
    loaded: false,
    /** The review being judged now, its current item (null: every item judged) and this clinician's progress. */
    openId: null as string | null,
    item: null as ReviewItemView | null,
    progress: null as ReviewProgress | null,
    sending: false,
    result: null as ReviewResult | null,
    failure: null as Failure | null,
  }),
  actions: {
    async refresh() {
      try {
        this.reviews = await workstationClient().request('review.list', {})
        this.loaded = true
      } catch (error) {
        this.failure = failureOf(error)
      }
    },

    /** Opens a review where this clinician left off. */
    async open(reviewId: string) {
      this.failure = null
      this.result = null
      this.openId = reviewId
      await this.next()
    },

    async next() {
      if (this.openId === null) return
      try {
        const next = await workstationClient().request('review.next', { reviewId: this.openId })
        this.item = next.item
        this.progress = next.progress
      } catch (error) {
        this.failure = failureOf(error)
      }
    },

    async judge(choice: ReviewChoice, reason: string) {
      if (this.openId === null || this.item === null) return false
      this.sending = true
      try {
        const trimmed = reason.trim()
        this.progress = await workstationClient().request('review.judge', {
          reviewId: this.openId,
          itemId: this.item.itemId,
          choice,
          ...(trimmed !== '' ? { reason: trimmed } : {}),
        })
        await this.next()
        return true
      } catch (error) {
        this.failure = failureOf(error)
        return false
      } finally {
        this.sending = false
      }
    },

    async skip() {
      if (this.openId === null || this.item === null) return
      this.sending = true
      try {
        this.progress = await workstationClient().request('review.skip', { reviewId: this.openId, itemId: this.item.itemId })
        await this.next()
      } catch (error) {
        this.failure = failureOf(error)
      } finally {
        this.sending = false
      }
    },

    async showResult(reviewId: string) {
      this.failure = null
      try {
        this.result = await workstationClient().request('review.result', { reviewId })
        this.openId = null
        this.item = null
      } catch (error) {
        this.failure = failureOf(error)
      }
    },

    /** Administrators: a review of two runs, from the Evaluation screen. */
    async create(runA: string, runB: string): Promise<ReviewSummary | null> {
      this.failure = null
      try {
        const created = await workstationClient().request('review.create', { runA, runB })
        this.reviews = [created, ...this.reviews.filter((review) => review.reviewId !== created.reviewId)]
        return created
      } catch (error) {
        this.failure = failureOf(error)
        return null
      }
    },

    close() {
      this.openId = null
      this.item = null
      this.progress = null
      this.result = null
      void this.refresh()
    },

    clear() {
      this.$reset()
    },
  },
})
