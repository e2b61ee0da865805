import { defineStore } from 'pinia'
import type { WorkstationEvent } from '../../../electron/contract/channels.ts'
import type { DatasetFormat } from '../../../electron/contract/evaluation.ts'
import type { EvaluationDatasetOffers, EvaluationReportPage, EvaluationRunProgress, EvaluationRunSummary } from '../../../electron/contract/evaluation-runs.ts'
import { workstationClient } from '../api/connect.ts'
import { failureOf, type Failure } from './failure.ts'

// Evaluation runs of the loaded model (administrators): the datasets IT put in the evaluation
// folder, the run going now with its progress (pushed as `evaluation.progress`, never polled), the
// past runs, and a run's report to read inside the window.
export const useEvaluationStore = defineStore('evaluation', {
  state: () => ({
    offers: null as EvaluationDatasetOffers | null,
    runs: [] as EvaluationRunSummary[],
    /** The run going now (or the last one this window saw end, until the next start). */
    progress: null as EvaluationRunProgress | null,
    starting: false,
    cancelling: false,
    report: null as (EvaluationReportPage & { title: { dataset: string; model: string } }) | null,
    reportLoading: false,
    failure: null as Failure | null,
  }),
  getters: {
    running: (state) => state.progress?.status === 'running',
    /** The run the progress belongs to, from the list. */
    current: (state) => state.runs.find((run) => run.runId === state.progress?.runId) ?? null,
  },
  actions: {
    async refresh() {
      const client = workstationClient()
      try {
        const [offers, runs] = await Promise.all([client.request('evaluation.datasets', {}), client.request('evaluation.runs', {})])
        this.offers = offers
        this.runs = runs
        // A run that was going before this window opened: its progress follows from the next event.
        const going = runs.find((run) => run.status === 'running')
        if (going && this.progress?.runId !== going.runId) {
          this.progress = { runId: going.runId, status: 'running', done: going.done, total: going.total, etaSeconds: null, tokensPerSecond: null, errorCode: null }
        }
      } catch (error) {
        this.failure = failureOf(error)
      }
    },

    async start(dataset: string, datasetFormat: DatasetFormat, limit: number | null) {
      this.failure = null
      this.starting = true
      try {
        const run = await workstationClient().request('evaluation.start', { dataset, datasetFormat, ...(limit !== null ? { limit } : {}) })
        // Events may have come before the answer: keep the furthest progress.
        if (this.progress?.runId !== run.runId) {
          this.progress = { runId: run.runId, status: 'running', done: run.done, total: run.total, etaSeconds: null, tokensPerSecond: null, errorCode: null }
        }
        this.runs = [run, ...this.runs.filter((other) => other.runId !== run.runId)]
      } catch (error) {
        this.failure = failureOf(error)
      } finally {
        this.starting = false
      }
    },

    async cancel() {
      this.cancelling = true
      try {
        await workstationClient().request('evaluation.cancel', {})
      } catch (error) {
        this.failure = failureOf(error)
      } finally {
        this.cancelling = false
      }
    },

    async openReport(run: EvaluationRunSummary) {
      this.failure = null
      this.reportLoading = true
      try {
        const page = await workstationClient().request('evaluation.report', { runId: run.runId })
        this.report = { ...page, title: { dataset: run.dataset, model: run.header?.model.name ?? '' } }
        this.runs = this.runs.map((other) => (other.runId === run.runId ? { ...other, hasReport: true } : other))
      } catch (error) {
        this.failure = failureOf(error)
      } finally {
        this.reportLoading = false
      }
    },

    closeReport() {
      this.report = null
    },

    handleEvent(event: WorkstationEvent) {
      if (event.type !== 'evaluation.progress') return
      const { progress } = event
      this.progress = progress
      this.runs = this.runs.map((run) => (run.runId === progress.runId ? { ...run, status: progress.status, done: progress.done, errorCode: progress.errorCode } : run))
      // An ended run: its final facts (finish time) from the list.
      if (progress.status !== 'running' && this.offers !== null) void this.refreshRuns()
    },

    async refreshRuns() {
      try {
        this.runs = await workstationClient().request('evaluation.runs', {})
      } catch {
        // The list stays as the events left it; the next refresh tries again.
      }
    },

    clear() {
      this.$reset()
    },
  },
})
