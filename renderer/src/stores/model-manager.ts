import { defineStore } from 'pinia'
import type { RequestOutput, WorkstationEvent } from '../../../electron/contract/channels.ts'
import type { ModelMemoryPlan } from '../../../electron/contract/model-inspection.ts'
import type { ModelCatalogEntry, ModelImportCandidates, ModelTransferProgress } from '../../../electron/contract/models.ts'
import { workstationClient } from '../api/connect.ts'
import { failureOf, type Failure } from './failure.ts'
import { useModelStore } from './model.ts'

/** A transfer as the window shows it: its bytes, and speed and time left measured over the last seconds. */
export interface ShownTransfer extends ModelTransferProgress {
  what: string
  bytesPerSecond: number | null
  secondsLeft: number | null
}

// Bringing models onto the workstation and choosing how to load them: the import folder's files,
// the public catalog and its downloads (cancel, resume), and the memory gauge before loading.
export const useModelManagerStore = defineStore('model-manager', {
  state: () => ({
    catalog: [] as ModelCatalogEntry[],
    candidates: null as ModelImportCandidates | null,
    transfer: null as ShownTransfer | null,
    /** Samples for the speed: [time ms, bytes]. */
    samples: [] as Array<[number, number]>,
    plan: null as ModelMemoryPlan | null,
    planning: false,
    /** Where each failure happened, so it is shown there. */
    failure: null as Failure | null,
    /** A calm word after a transfer the clinician stopped (not an error). */
    notice: null as 'cancelled' | 'offline' | null,
    planFailure: null as Failure | null,
  }),
  actions: {
    async refresh(mayManage: boolean) {
      const client = workstationClient()
      try {
        this.catalog = await client.request('model.catalog', {})
        this.candidates = mayManage ? await client.request('model.importCandidates', {}) : null
      } catch (error) {
        this.failure = failureOf(error)
      }
    },

    /** Runs one transfer (import or download) and refreshes the library after it. */
    async transferring(what: string, work: () => Promise<unknown>) {
      this.failure = null
      this.notice = null
      this.transfer = { what, phase: 'checking', doneBytes: 0, totalBytes: 0, file: what, bytesPerSecond: null, secondsLeft: null }
      this.samples = []
      try {
        await work()
        await useModelStore().refresh()
      } catch (error) {
        const failure = failureOf(error)
        // Cancelled by the clinician: what arrived is kept for a resume; nothing went wrong.
        if (failure.code === 'REQUEST_CANCELLED') this.notice = 'cancelled'
        // No network on an offline workstation is its normal state: said calmly, with what to do.
        else if (failure.code === 'NETWORK_OFFLINE') this.notice = 'offline'
        else this.failure = failure
      } finally {
        this.transfer = null
      }
    },

    importCandidate(fileName: string) {
      return this.transferring(fileName, () => workstationClient().request('model.import', { candidate: fileName }))
    },
    /** In the app: the operating system's open dialog chooses the file. */
    importChosenFile() {
      return this.transferring('…', () => workstationClient().request('model.import', {}))
    },
    download(entry: ModelCatalogEntry) {
      return this.transferring(entry.name, () => workstationClient().request('model.download', { source: entry.id }))
    },
    async cancelDownload() {
      try {
        await workstationClient().request('model.cancelDownload', {})
      } catch (error) {
        this.failure = failureOf(error)
      }
    },

    async planFor(modelId: string, contextSize?: number) {
      this.planning = true
      this.planFailure = null
      try {
        this.plan = await workstationClient().request('model.memoryPlan', { modelId, ...(contextSize ? { contextSize } : {}) })
      } catch (error) {
        this.plan = null
        this.planFailure = failureOf(error)
      } finally {
        this.planning = false
      }
    },

    async remove(modelId: string) {
      this.failure = null
      try {
        await workstationClient().request('model.remove', { modelId, confirmed: true })
        await useModelStore().refresh()
      } catch (error) {
        this.failure = failureOf(error)
      }
    },

    handleEvent(event: WorkstationEvent) {
      if (event.type !== 'download.progress' || this.transfer === null) return
      const now = Date.now()
      const { progress } = event
      this.samples = [...this.samples.filter(([at]) => now - at < 5_000), [now, progress.doneBytes]]
      const [firstAt, firstBytes] = this.samples[0]!
      const seconds = (now - firstAt) / 1000
      const bytesPerSecond = seconds >= 0.5 && progress.doneBytes > firstBytes ? (progress.doneBytes - firstBytes) / seconds : null
      const secondsLeft = bytesPerSecond && progress.totalBytes > 0 ? Math.max(0, (progress.totalBytes - progress.doneBytes) / bytesPerSecond) : null
      this.transfer = { ...this.transfer, ...progress, bytesPerSecond, secondsLeft }
    },
  },
})

export type LibraryModelEntry = RequestOutput<'model.list'>[number]
