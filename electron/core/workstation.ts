import { join } from 'node:path'
import type { AppAbout } from '../contract/bridge.ts'
import { isRequestName, requestChannels, type Reply, type RequestInput, type RequestName, type RequestOutput, type WorkstationEvent } from '../contract/channels.ts'
import type { LoadedModelStatus } from '../contract/inference.ts'
import type { HospitalConfig } from './config/hospital-config.ts'
import { ConsultationTurns, type PatientMessageTriage } from './consultation/consultation-turns.ts'
import { WorkstationError } from './errors.ts'
import { LocalInferenceEngine } from './inference/local/local-engine.ts'
import type { EngineProcessLauncher } from './inference/local/process-launcher.ts'
import { inspectModel } from './models/inspect.ts'
import { ModelLibrary } from './models/library/model-library.ts'
import { systemActor } from './records/actor.ts'
import { openRecordStore, type RecordStore } from './records/record-store.ts'

// The composition root: builds the workstation's services and implements every request of the
// contract. Electron main and the browser host are thin transports over `invoke`.

export interface WorkstationOptions {
  config: HospitalConfig
  about: AppAbout
  /** The record database; default `records.db` in the configured data folder. */
  databasePath?: string
  /** Deterministic red-flag rules run on every patient message before the model answers. */
  triage: PatientMessageTriage
  /** How the engine process is started: utilityProcess in Electron, child_process elsewhere. */
  engineLauncher?: EngineProcessLauncher
  threads?: number
  /** Who acts, until clinician sign-in names the person. */
  actor?: string
}

type Handlers = { [N in RequestName]: (input: RequestInput<N>) => Promise<RequestOutput<N>> }

/** A patient registered on the spot, for a consultation started before anyone was identified. */
const UNREGISTERED_PATIENT = { name: '未登记病人', sex: 'unknown' } as const

export class Workstation {
  readonly #options: WorkstationOptions
  readonly #library: ModelLibrary
  readonly #store: RecordStore
  readonly #turns: ConsultationTurns
  readonly #listeners = new Set<(event: WorkstationEvent) => void>()
  readonly #maintenance: ReturnType<typeof setInterval>
  #engine: LocalInferenceEngine | undefined
  #loaded: LoadedModelStatus | undefined

  private constructor(options: WorkstationOptions, store: RecordStore) {
    this.#options = options
    this.#store = store
    this.#library = new ModelLibrary(options.config, options.actor ? { addedBy: options.actor } : {})
    this.#turns = new ConsultationTurns(store, options.triage)
    // The daily backup and the search index's housekeeping; checked hourly, done once a day.
    this.#maintenance = setInterval(() => void store.runDailyMaintenance().catch(() => undefined), 60 * 60_000)
    this.#maintenance.unref()
  }

  /** Opens the record store (refusing a damaged, newer or network-share database) and builds the rest. */
  static async open(options: WorkstationOptions): Promise<Workstation> {
    const store = await openRecordStore({ path: options.databasePath ?? join(options.config.dataDir, 'records.db') })
    return new Workstation(options, store)
  }

  get #actor(): string {
    return this.#options.actor ?? systemActor
  }

  onEvent(listener: (event: WorkstationEvent) => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  #emit(event: WorkstationEvent): void {
    for (const listener of this.#listeners) listener(event)
  }

  /**
   * The one entry for every request from any transport: unknown names and malformed input are
   * refused before any handler runs, and failures come back as {code, message, detail} — a
   * handler's exception never crosses the boundary as such.
   */
  async invoke(name: unknown, input: unknown): Promise<Reply<unknown>> {
    if (!isRequestName(name)) return { ok: false, error: new WorkstationError('CONTRACT_UNKNOWN_REQUEST', String(name).slice(0, 80)).toPayload() }
    const parsed = requestChannels[name].input.safeParse(input ?? {})
    if (!parsed.success) {
      const problems = parsed.error.issues.slice(0, 5).map((issue) => `${issue.path.join('.') || '(input)'}: ${issue.message}`)
      return { ok: false, error: new WorkstationError('CONTRACT_INVALID_INPUT', `${name}: ${problems.join('; ')}`).toPayload() }
    }
    try {
      const handler = this.#handlers[name] as (input: unknown) => Promise<unknown>
      return { ok: true, value: await handler(parsed.data) }
    } catch (error) {
      const failure = error instanceof WorkstationError ? error : new WorkstationError('INTERNAL', error instanceof Error ? error.message : String(error))
      return { ok: false, error: failure.toPayload() }
    }
  }

  async #engineStarted(): Promise<LocalInferenceEngine> {
    if (this.#engine) return this.#engine
    const engine = new LocalInferenceEngine({
      ...(this.#options.engineLauncher ? { launcher: this.#options.engineLauncher } : {}),
      ...(this.#options.threads ? { threads: this.#options.threads } : {}),
    })
    engine.onEvent((event) => this.#emit(event))
    await engine.start()
    this.#engine = engine
    this.#turns.useEngine(engine)
    return engine
  }

  #model(): { name: string; promptFormat: string } {
    if (!this.#loaded) throw new WorkstationError('MODEL_NOT_LOADED')
    return { name: this.#loaded.name, promptFormat: this.#loaded.promptFormat }
  }

  readonly #handlers: Handlers = {
    'app.about': async () => this.#options.about,

    'model.catalog': () => this.#library.catalog(),
    'model.list': () => this.#library.list(),
    'model.inspect': async ({ modelId }) => inspectModel((await this.#library.find(modelId)).path, { threads: 1 }),
    'model.import': ({ path }) => this.#library.import(path, { onProgress: (progress) => this.#emit({ type: 'download.progress', progress }) }),
    'model.download': ({ source, baseUrl }) =>
      this.#library.download(source, { ...(baseUrl ? { baseUrl } : {}), onProgress: (progress) => this.#emit({ type: 'download.progress', progress }) }),
    'model.remove': ({ modelId, confirmed }) => this.#library.remove(modelId, confirmed),
    'model.load': async ({ modelId, promptFormat, contextSize }) => {
      const model = await this.#library.find(modelId)
      if (model.missing) throw new WorkstationError('MODEL_UNREADABLE', `${model.name}: files missing from the models folder`)
      await this.#library.ensureLoadAllowed(model.path)
      const engine = await this.#engineStarted()
      this.#turns.forgetSessions()
      this.#loaded = undefined
      this.#loaded = await engine.load({
        modelPath: model.path,
        promptFormat: promptFormat ?? model.promptFormat,
        ...(contextSize ? { contextSize } : {}),
      })
      return this.#loaded
    },
    'model.unload': async () => {
      this.#turns.forgetSessions()
      this.#loaded = undefined
      await this.#engine?.unload()
      return null
    },
    'model.status': async () => (this.#engine ? this.#engine.status() : { state: 'idle', model: null }),
    'model.restart': async () => {
      this.#turns.forgetSessions()
      return (await this.#engineStarted()).restart()
    },

    'patient.register': async (patient) => this.#store.patients.register(patient, this.#actor),
    'consultation.list': async (request) => this.#store.consultations.list(request),
    'consultation.open': async ({ consultationId, patientId, department }) => {
      let id = consultationId
      if (id === undefined || !this.#consultationExists(id)) {
        const patient = patientId ?? this.#store.patients.register(UNREGISTERED_PATIENT, this.#actor).id
        id = this.#store.consultations.create(
          { ...(id ? { id } : {}), patientId: patient, ...(department ? { department } : {}) },
          this.#actor,
        ).id
      }
      return { consultationId: id, ...this.#store.consultations.open(id) }
    },
    'consultation.messages': async ({ consultationId, cursor, limit }) =>
      this.#store.messages.list(consultationId, { ...(cursor ? { cursor } : {}), ...(limit ? { limit } : {}) }),
    'consultation.trash': async ({ consultationId }) => {
      await this.#turns.close(consultationId)
      return this.#store.consultations.trash(consultationId, this.#actor)
    },
    'consultation.restore': async ({ consultationId }) => this.#store.consultations.restore(consultationId, this.#actor),
    'records.search': async (request) => this.#store.search.search(request),
    'note.add': async ({ consultationId, text }) => this.#store.notes.add(consultationId, text, this.#actor),
    'note.edit': async ({ noteId, text }) => this.#store.notes.edit(noteId, text, this.#actor),
    'redflag.acknowledge': async ({ flagId }) => this.#store.redFlags.acknowledge(flagId, this.#actor),

    'consultation.send': ({ consultationId, answerId, text, sampling }) =>
      this.#turns.send({ consultationId, answerId, text, model: this.#model(), ...(sampling ? { sampling } : {}) }),
    'consultation.stop': async ({ consultationId }) => {
      await this.#turns.stop(consultationId)
      return null
    },
    'consultation.regenerate': ({ consultationId, answerId, sampling }) =>
      this.#turns.regenerate({ consultationId, answerId, model: this.#model(), ...(sampling ? { sampling } : {}) }),
    'consultation.edit': ({ consultationId, answerId, patientMessageIndex, text, sampling }) =>
      this.#turns.edit({ consultationId, answerId, patientMessageIndex, text, model: this.#model(), ...(sampling ? { sampling } : {}) }),
    'consultation.close': async ({ consultationId }) => {
      await this.#turns.close(consultationId)
      return null
    },
  }

  #consultationExists(id: string): boolean {
    try {
      this.#store.consultations.get(id)
      return true
    } catch (error) {
      if (error instanceof WorkstationError && error.code === 'CONSULTATION_NOT_FOUND') return false
      throw error
    }
  }

  async dispose(): Promise<void> {
    clearInterval(this.#maintenance)
    this.#turns.forgetSessions()
    await this.#engine?.dispose()
    this.#engine = undefined
    this.#store.close()
  }
}
