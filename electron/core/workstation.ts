import { randomUUID } from 'node:crypto'
import type { AppAbout } from '../contract/bridge.ts'
import { isRequestName, requestChannels, type Reply, type RequestInput, type RequestName, type RequestOutput, type WorkstationEvent } from '../contract/channels.ts'
import type { HospitalConfig } from './config/hospital-config.ts'
import { WorkstationError } from './errors.ts'
import type { ConsultationSession } from './inference/engine.ts'
import { LocalInferenceEngine } from './inference/local/local-engine.ts'
import type { EngineProcessLauncher } from './inference/local/process-launcher.ts'
import { inspectModel } from './models/inspect.ts'
import { ModelLibrary } from './models/library/model-library.ts'

// The composition root: builds the workstation's services and implements every request of the
// contract. Electron main and the browser host are thin transports over `invoke`.

export interface WorkstationOptions {
  config: HospitalConfig
  about: AppAbout
  /** How the engine process is started: utilityProcess in Electron, child_process elsewhere. */
  engineLauncher?: EngineProcessLauncher
  threads?: number
  /** Who acts, for records of who added a model (the signed-in clinician once accounts exist). */
  actor?: string
}

type Handlers = { [N in RequestName]: (input: RequestInput<N>) => Promise<RequestOutput<N>> }

export class Workstation {
  readonly #options: WorkstationOptions
  readonly #library: ModelLibrary
  readonly #listeners = new Set<(event: WorkstationEvent) => void>()
  readonly #consultations = new Map<string, ConsultationSession>()
  #engine: LocalInferenceEngine | undefined

  constructor(options: WorkstationOptions) {
    this.#options = options
    this.#library = new ModelLibrary(options.config, options.actor ? { addedBy: options.actor } : {})
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
    return engine
  }

  #consultation(consultationId: string): ConsultationSession {
    const session = this.#consultations.get(consultationId)
    if (!session) throw new WorkstationError('CONSULTATION_NOT_OPEN', consultationId)
    return session
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
      this.#consultations.clear()
      return engine.load({
        modelPath: model.path,
        promptFormat: promptFormat ?? model.promptFormat,
        ...(contextSize ? { contextSize } : {}),
      })
    },
    'model.unload': async () => {
      this.#consultations.clear()
      await this.#engine?.unload()
      return null
    },
    'model.status': async () => (this.#engine ? this.#engine.status() : { state: 'idle', model: null }),
    'model.restart': async () => {
      this.#consultations.clear()
      return (await this.#engineStarted()).restart()
    },

    'consultation.open': async ({ consultationId }) => {
      const engine = await this.#engineStarted()
      const id = consultationId ?? randomUUID()
      this.#consultations.set(id, await engine.openConsultation({ consultationId: id, history: [] }))
      return { consultationId: id }
    },
    'consultation.send': ({ consultationId, answerId, text, sampling }) =>
      this.#consultation(consultationId).send({ answerId, patientText: text, ...(sampling ? { sampling } : {}) }),
    'consultation.stop': async ({ consultationId }) => {
      await this.#consultation(consultationId).stop()
      return null
    },
    'consultation.regenerate': ({ consultationId, answerId, sampling }) =>
      this.#consultation(consultationId).regenerate({ answerId, ...(sampling ? { sampling } : {}) }),
    'consultation.edit': ({ consultationId, answerId, patientMessageIndex, text, sampling }) =>
      this.#consultation(consultationId).editPatientMessage({ answerId, patientMessageIndex, patientText: text, ...(sampling ? { sampling } : {}) }),
    'consultation.close': async ({ consultationId }) => {
      await this.#consultations.get(consultationId)?.close()
      this.#consultations.delete(consultationId)
      return null
    },
  }

  async dispose(): Promise<void> {
    this.#consultations.clear()
    await this.#engine?.dispose()
    this.#engine = undefined
  }
}
