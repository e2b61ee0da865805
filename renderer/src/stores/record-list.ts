import { defineStore } from 'pinia'
import type { ConsultationSummary } from '../../../electron/contract/consultations.ts'
import type { OutpatientRecordStatus } from '../../../electron/contract/record-versions.ts'
import { workstationClient } from '../api/connect.ts'
import { failureOf, type Failure } from './failure.ts'

const PAGE_SIZE = 50

// The consultations a doctor writes records for: newest first, with the patient, red flags and the
// record's status, filtered by that status or by patient. Emptied with the rest of the patient data
// on a lock.
export const useRecordListStore = defineStore('record-list', {
  state: () => ({
    items: [] as ConsultationSummary[],
    nextCursor: null as string | null,
    recordStatus: null as OutpatientRecordStatus | null,
    patient: '',
    loading: false,
    failure: null as Failure | null,
    epoch: 0,
  }),
  actions: {
    /** The first page for the filter as it stands (or the next page, with `more`). */
    async refresh(more = false) {
      const epoch = ++this.epoch
      const patient = this.patient.trim()
      this.loading = true
      try {
        const page = await workstationClient().request('consultation.summaries', {
          limit: PAGE_SIZE,
          ...(this.recordStatus ? { recordStatus: this.recordStatus } : {}),
          ...(patient !== '' ? { patient } : {}),
          ...(more && this.nextCursor ? { cursor: this.nextCursor } : {}),
        })
        if (epoch !== this.epoch) return
        this.items = more ? [...this.items, ...page.items] : page.items
        this.nextCursor = page.nextCursor
        this.failure = null
      } catch (error) {
        if (epoch === this.epoch) this.failure = failureOf(error)
      } finally {
        if (epoch === this.epoch) this.loading = false
      }
    },
    clear() {
      this.epoch += 1
      this.items = []
      this.nextCursor = null
      this.failure = null
      this.loading = false
    },
  },
})
