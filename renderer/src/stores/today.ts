import { defineStore } from 'pinia'
import type { ConsultationSummary } from '../../../electron/contract/consultations.ts'
import { workstationClient } from '../api/connect.ts'
import { failureOf, type Failure } from './failure.ts'

/** Midnight of the clinician's own day (the machine's time zone), as the contract's ISO time. */
export function startOfToday(now = new Date()): string {
  return new Date(now.getFullYear(), now.getMonth(), now.getDate()).toISOString()
}

// Today's consultations beside the conversation, to switch between patients: newest first, with the
// patient and any red flag not yet acknowledged. Emptied with the rest of the patient data on a lock.
export const useTodayStore = defineStore('today', {
  state: () => ({
    items: [] as ConsultationSummary[],
    failure: null as Failure | null,
    epoch: 0,
  }),
  actions: {
    async refresh() {
      const epoch = this.epoch
      try {
        const page = await workstationClient().request('consultation.summaries', { from: startOfToday(), limit: 100 })
        if (epoch !== this.epoch) return
        this.items = page.items
        this.failure = null
      } catch (error) {
        if (epoch === this.epoch) this.failure = failureOf(error)
      }
    },
    clear() {
      this.epoch += 1
      this.items = []
      this.failure = null
    },
  },
})
