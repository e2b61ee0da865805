import { defineStore } from 'pinia'
import type { RequestOutput, WorkstationEvent } from '../../../electron/contract/channels.ts'
import type { EngineStatus } from '../../../electron/contract/inference.ts'
import type { EngineKind, RemoteConnectionTest } from '../../../electron/contract/remote-engine.ts'
import { workstationClient } from '../api/connect.ts'
import { failureOf, type Failure } from './failure.ts'

export type LibraryEntry = RequestOutput<'model.list'>[number]

const noEngine: EngineStatus = { state: 'idle', engine: 'local', model: null, local: null, remote: null, fallbackModel: null }

// The model library and the engine, as the page shows them. The engine's state comes from the
// workstation's `model.changed` events (loading, loaded, unloaded, crashed): never guessed here.
export const useModelStore = defineStore('model', {
  state: () => ({
    library: [] as LibraryEntry[],
    status: noEngine as EngineStatus,
    selectedId: null as string | null,
    /** 0..1 while a load is in progress, else null. */
    loadProgress: null as number | null,
    gpuFallbackReason: null as string | null,
    /** Tokens per second of the last answer written, as measured by the engine. */
    lastSpeed: null as number | null,
    failure: null as Failure | null,
    /** Where the failure happened: a load asked for in the library, or the engine itself. */
    failureAt: 'engine' as 'load' | 'engine',
    /** The hospital inference server's last connection test (administrators): what it showed, or why it failed. */
    serverTest: { running: false, result: null as RemoteConnectionTest | null, failure: null as Failure | null },
    /** An administrator's change of the engine consultations use, while it is asked for, and its refusal. */
    engineChoice: { switching: false, failure: null as Failure | null },
  }),
  getters: {
    loadedModel: (state): LibraryEntry | null => state.library.find((model) => model.id === state.status.model?.libraryId) ?? null,
    ready: (state): boolean => state.status.state === 'ready' || state.status.state === 'generating',
  },
  actions: {
    /** The library and the engine as they are when a clinician's session starts; events keep them current. */
    async refresh() {
      try {
        const client = workstationClient()
        const [library, status] = await Promise.all([client.request('model.list', {}), client.request('model.status', {})])
        this.library = library
        this.status = status
        this.selectedId ??= this.loadedModel?.id ?? library.find((model) => !model.missing)?.id ?? null
      } catch (error) {
        this.failure = failureOf(error)
      }
    },

    async load(modelId: string, options: { contextSize?: number; gpuLayers?: 'auto' | number } = {}) {
      this.failure = null
      this.failureAt = 'load'
      try {
        await workstationClient().request('model.load', { modelId, ...options })
      } catch (error) {
        this.failure = failureOf(error)
      }
    },

    /** A refusal shown to one clinician is not left for the next one. */
    forgetFailure() {
      this.failure = null
      this.serverTest = { running: false, result: null, failure: null }
      this.engineChoice = { switching: false, failure: null }
    },

    async unload() {
      this.failure = null
      this.failureAt = 'engine'
      try {
        await workstationClient().request('model.unload', {})
      } catch (error) {
        this.failure = failureOf(error)
      }
    },

    async restart() {
      this.failure = null
      this.failureAt = 'engine'
      try {
        await workstationClient().request('model.restart', {})
      } catch (error) {
        this.failure = failureOf(error)
      }
    },

    /** Asks the configured hospital inference server for its models, version and round-trip time. */
    async testServer() {
      if (this.serverTest.running) return
      this.serverTest = { running: true, result: null, failure: null }
      try {
        const result = await workstationClient().request('model.testServer', {})
        this.serverTest = { running: false, result, failure: null }
      } catch (error) {
        this.serverTest = { running: false, result: null, failure: failureOf(error) }
      }
    },

    /** Which engine consultations use from now on; the status comes back (and with `model.changed`). */
    async useEngine(engine: EngineKind) {
      this.engineChoice = { switching: true, failure: null }
      try {
        this.status = await workstationClient().request('model.useEngine', { engine })
        this.engineChoice = { switching: false, failure: null }
      } catch (error) {
        this.engineChoice = { switching: false, failure: failureOf(error) }
      }
    },

    handleEvent(event: WorkstationEvent) {
      if (event.type === 'model.changed') {
        this.status = event.status
        this.loadProgress = event.status.state === 'loading' ? 0 : null
      } else if (event.type === 'model.progress' && this.loadProgress !== null) this.loadProgress = event.loadedFraction
      else if (event.type === 'model.gpu-fallback') this.gpuFallbackReason = event.reason
      else if (event.type === 'consultation.answer-finished' && event.timing?.tokensPerSecond) this.lastSpeed = event.timing.tokensPerSecond
      // engine.crashed: the state (model.changed → crashed) and its restart button say it here; the
      // answer that was cut off says it where it was being written.
    },
  },
})
