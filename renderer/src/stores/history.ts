import { defineStore } from 'pinia'
import type { ConsultationFilterOptions, ConsultationSummary, ConsultationSummaryRequest, RecordStatusFilter } from '../../../electron/contract/consultations.ts'
import type { LabelledSearchHit, RecordSearchFilters } from '../../../electron/contract/search.ts'
import { workstationClient } from '../api/connect.ts'
import { failureOf, type Failure } from './failure.ts'

/** Rows asked for at a time: a screenful several times over, far below the contract's 200. */
export const HISTORY_PAGE_SIZE = 100

export interface HistoryFilters {
  /** Local calendar days, YYYY-MM-DD, both included. */
  from: string | null
  to: string | null
  department: string | null
  clinician: string | null
  /** true: with a red flag; false: without one. */
  redFlag: boolean | null
  recordStatus: RecordStatusFilter | null
}

const noFilters = (): HistoryFilters => ({ from: null, to: null, department: null, clinician: null, redFlag: null, recordStatus: null })

/** The start of a local calendar day as an ISO time, `days` later. */
function dayStart(day: string, days = 0): string {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number]
  return new Date(year, month - 1, date + days).toISOString()
}

/** The filters as both requests take them (the `to` day included: the bound is the next day's start). */
function requestFilters(filters: HistoryFilters): Omit<ConsultationSummaryRequest, 'cursor' | 'limit' | 'patient' | 'trashed'> {
  return {
    ...(filters.from ? { from: dayStart(filters.from) } : {}),
    ...(filters.to ? { to: dayStart(filters.to, 1) } : {}),
    ...(filters.department ? { department: filters.department } : {}),
    ...(filters.clinician ? { clinician: filters.clinician } : {}),
    ...(filters.redFlag === null ? {} : { redFlag: filters.redFlag }),
    ...(filters.recordStatus ? { recordStatus: filters.recordStatus } : {}),
  }
}

// The history: every consultation newest first, or the hits of a search over what was said, noted
// and recorded; the trash apart. Paged through the contract as the list scrolls (never fetched
// whole). Emptied with the rest of the patient data on a lock.
export const useHistoryStore = defineStore('history', {
  state: () => ({
    query: '',
    filters: noFilters(),
    trash: false,
    /** The list (no query, or the trash). */
    items: [] as ConsultationSummary[],
    /** The search's hits (a query, outside the trash). */
    hits: [] as LabelledSearchHit[],
    nextCursor: null as string | null,
    /** How the search ordered its hits: best matches first, or (too many to rank) newest first. */
    order: 'relevance' as 'relevance' | 'newest',
    loading: false,
    failure: null as Failure | null,
    options: { departments: [], clinicians: [] } as ConsultationFilterOptions,
    /** Bumped by Ctrl+K: the screen puts the focus into its search box. */
    focusRequests: 0,
    epoch: 0,
  }),
  getters: {
    searching: (state) => !state.trash && state.query.trim() !== '',
    filtered: (state) => Object.values(state.filters).some((value) => value !== null),
  },
  actions: {
    /** The first page for the query and filters as they stand (or the next page, with `more`). */
    async refresh(more = false) {
      if (more && (this.nextCursor === null || this.loading)) return
      const epoch = ++this.epoch
      const cursor = more && this.nextCursor ? { cursor: this.nextCursor } : {}
      const filters = requestFilters(this.filters)
      this.loading = true
      try {
        if (this.searching) {
          const { clinician, recordStatus, department, redFlag, from, to } = filters
          const searchFilters: RecordSearchFilters = {
            ...(from ? { from } : {}),
            ...(to ? { to } : {}),
            ...(department ? { department } : {}),
            ...(clinician ? { clinician } : {}),
            ...(recordStatus ? { recordStatus } : {}),
            // Search keeps only flagged consultations; "without a flag" is the list's alone.
            ...(redFlag === true ? { redFlag } : {}),
          }
          const page = await workstationClient().request('records.search', { query: this.query.trim(), filters: searchFilters, limit: HISTORY_PAGE_SIZE, ...cursor })
          if (epoch !== this.epoch) return
          this.hits = more ? [...this.hits, ...page.hits] : page.hits
          if (!more) this.items = []
          if (!more) this.order = page.order
          this.nextCursor = page.nextCursor
        } else {
          const page = await workstationClient().request('consultation.summaries', { ...filters, limit: HISTORY_PAGE_SIZE, ...(this.trash ? { trashed: true } : {}), ...cursor })
          if (epoch !== this.epoch) return
          this.items = more ? [...this.items, ...page.items] : page.items
          if (!more) this.hits = []
          this.nextCursor = page.nextCursor
        }
        this.failure = null
      } catch (error) {
        if (epoch === this.epoch) this.failure = failureOf(error)
      } finally {
        if (epoch === this.epoch) this.loading = false
      }
    },
    /** What the filters offer: the departments and clinicians the consultations were started in and by. */
    async loadOptions() {
      try {
        this.options = await workstationClient().request('consultation.filterOptions', {})
      } catch (error) {
        this.failure = failureOf(error)
      }
    },
    resetFilters() {
      this.filters = noFilters()
    },
    /** To the trash (a doctor, after confirming): it leaves the list at once. */
    async moveToTrash(consultationId: string) {
      try {
        await workstationClient().request('consultation.trash', { consultationId })
        this.items = this.items.filter((item) => item.consultationId !== consultationId)
        this.hits = this.hits.filter((hit) => hit.consultationId !== consultationId)
        return true
      } catch (error) {
        this.failure = failureOf(error)
        return false
      }
    },
    /** Back from the trash: it leaves the trash's list. */
    async restore(consultationId: string) {
      try {
        await workstationClient().request('consultation.restore', { consultationId })
        this.items = this.items.filter((item) => item.consultationId !== consultationId)
        return true
      } catch (error) {
        this.failure = failureOf(error)
        return false
      }
    },
    requestFocus() {
      this.focusRequests += 1
    },
    /** Drops every patient's data (the query, a patient's words perhaps, included). */
    clear() {
      this.epoch += 1
      this.query = ''
      this.items = []
      this.hits = []
      this.nextCursor = null
      this.failure = null
      this.loading = false
      this.options = { departments: [], clinicians: [] }
    },
  },
})
