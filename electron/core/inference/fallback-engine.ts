// The hospital inference server first, the local model when the server cannot answer: used only
// when the hospital configuration allows it and a local model is loaded. An answer the local model
// gave carries `fallback` (the server's failure and the model that answered), which the window
// shows and the record keeps. A server that fails after text arrived is not hidden this way: that
// answer stays `interrupted`, as the clinician saw it.
import type { ActiveModel, ConsultationTurnText, EngineEvent, EngineProcessStatus, LoadedModelStatus, ModelAnswer, ModelLoadRequest } from '../../contract/inference.ts'
import { WorkstationError } from '../errors.ts'
import type { ConsultationSession, InferenceEngine, StructuredGenerationRequest, StructuredGenerationResult } from './engine.ts'

/** A server failure before any text: the local model may answer instead. */
export function serverCouldNotAnswer(error: unknown): error is WorkstationError {
  return error instanceof WorkstationError && error.code.startsWith('REMOTE_')
}

export class FallbackEngine implements InferenceEngine {
  readonly #remote: InferenceEngine
  readonly #local: InferenceEngine
  readonly #localModel: () => ActiveModel | null

  constructor(remote: InferenceEngine, local: InferenceEngine, localModel: () => ActiveModel | null) {
    this.#remote = remote
    this.#local = local
    this.#localModel = localModel
  }

  load(request: ModelLoadRequest): Promise<LoadedModelStatus> {
    return this.#remote.load(request)
  }

  unload(): Promise<void> {
    return this.#remote.unload()
  }

  status(): Promise<EngineProcessStatus> {
    return this.#remote.status()
  }

  restart(): Promise<EngineProcessStatus> {
    return this.#remote.restart()
  }

  async openConsultation(request: { consultationId: string; history: ConsultationTurnText[] }): Promise<ConsultationSession> {
    return new FallbackSession(request.consultationId, request.history, this.#remote, this.#local, this.#localModel)
  }

  async generateStructured(request: StructuredGenerationRequest): Promise<StructuredGenerationResult> {
    try {
      return await this.#remote.generateStructured(request)
    } catch (error) {
      if (!serverCouldNotAnswer(error) || this.#localModel() === null) throw error
      return this.#local.generateStructured(request)
    }
  }

  onEvent(listener: (event: EngineEvent) => void): () => void {
    const off = [this.#remote.onEvent(listener), this.#local.onEvent(listener)]
    return () => off.forEach((unsubscribe) => unsubscribe())
  }

  /** The two engines belong to the supervisor, which ends them. */
  async dispose(): Promise<void> {}
}

/**
 * One consultation over both engines. Only one session holds the true history at a time: after an
 * answer from the other engine, the stale one is closed and reopened from the other's history.
 */
class FallbackSession implements ConsultationSession {
  readonly consultationId: string
  readonly #engines: { remote: InferenceEngine; local: InferenceEngine }
  readonly #localModel: () => ActiveModel | null
  readonly #sessions: { remote?: ConsultationSession; local?: ConsultationSession } = {}
  #history: ConsultationTurnText[]
  /** The engine whose session holds the history now. */
  #current: 'remote' | 'local' = 'remote'

  constructor(consultationId: string, history: ConsultationTurnText[], remote: InferenceEngine, local: InferenceEngine, localModel: () => ActiveModel | null) {
    this.consultationId = consultationId
    this.#history = history
    this.#engines = { remote, local }
    this.#localModel = localModel
  }

  async #session(which: 'remote' | 'local'): Promise<ConsultationSession> {
    if (which !== this.#current) {
      const holder = this.#sessions[this.#current]
      if (holder) this.#history = await holder.history()
      await this.#sessions[which]?.close().catch(() => undefined)
      delete this.#sessions[which]
      this.#current = which
    }
    this.#sessions[which] ??= await this.#engines[which].openConsultation({ consultationId: this.consultationId, history: this.#history })
    return this.#sessions[which]
  }

  /** The server answers; when it cannot (before any text), the local model does, and says so. */
  async #answer(ask: (session: ConsultationSession) => Promise<ModelAnswer>): Promise<ModelAnswer> {
    let fallback: { reason: WorkstationError; model: ActiveModel }
    try {
      return await ask(await this.#session('remote'))
    } catch (error) {
      const model = this.#localModel()
      if (!serverCouldNotAnswer(error) || model === null) throw error
      fallback = { reason: error, model }
    }
    const answer = await ask(await this.#session('local'))
    return { ...answer, fallback: { reason: fallback.reason.toPayload(), model: fallback.model } }
  }

  send(request: Parameters<ConsultationSession['send']>[0]): Promise<ModelAnswer> {
    return this.#answer((session) => session.send(request))
  }

  regenerate(request: Parameters<ConsultationSession['regenerate']>[0]): Promise<ModelAnswer> {
    return this.#answer((session) => session.regenerate(request))
  }

  editPatientMessage(request: Parameters<ConsultationSession['editPatientMessage']>[0]): Promise<ModelAnswer> {
    return this.#answer((session) => session.editPatientMessage(request))
  }

  async stop(): Promise<void> {
    await Promise.all(Object.values(this.#sessions).map((session) => session.stop()))
  }

  async history(): Promise<ConsultationTurnText[]> {
    const holder = this.#sessions[this.#current]
    return holder ? holder.history() : this.#history.map((turn) => ({ ...turn }))
  }

  async close(): Promise<void> {
    await Promise.all(Object.values(this.#sessions).map((session) => session.close().catch(() => undefined)))
  }
}
