import type { EngineMethod, EngineOutgoingMessage, EngineParams, EngineResults } from '../../../contract/engine-protocol.ts'
import type {
  ConsultationTurnText,
  EngineEvent,
  EngineProcessStatus,
  LoadedModelStatus,
  ModelAnswer,
  ModelLoadRequest,
} from '../../../contract/inference.ts'
import type { SamplingSettings } from '../../../contract/sampling.ts'
import { WorkstationError } from '../../errors.ts'
import type {
  ConsultationSession,
  InferenceEngine,
  StructuredGenerationRequest,
  StructuredGenerationResult,
} from '../engine.ts'
import { configuredInferenceThreads } from '../threads.ts'
import { defaultEngineLauncher, type EngineProcessHandle, type EngineProcessLauncher } from './process-launcher.ts'

export interface LocalEngineOptions {
  threads?: number
  launcher?: EngineProcessLauncher
  /** Tests only: faults the engine process injects into itself (HUATUO_ENGINE_FAULTS). */
  faults?: string[]
  /** How long a new engine process may take to say it is ready. */
  startTimeoutMs?: number
}

interface PendingRequest {
  method: EngineMethod
  resolve: (value: unknown) => void
  reject: (error: unknown) => void
  /** For answers: what has streamed so far, kept if the engine process dies mid-answer. */
  answer?: { answerId: string; text: string; thinking: string }
}

const ANSWER_METHODS = new Set<EngineMethod>(['send', 'regenerate', 'editPatientMessage'])

/**
 * The workstation's side of the local engine: it starts the engine process, speaks the typed
 * protocol with it, and turns a dead process into MODEL_CRASHED — the answer in progress resolves
 * as `interrupted` with the text streamed so far — until restart() starts a fresh one.
 */
export class LocalInferenceEngine implements InferenceEngine {
  readonly #launcher: EngineProcessLauncher
  readonly #env: Record<string, string>
  readonly #startTimeoutMs: number
  readonly #listeners = new Set<(event: EngineEvent) => void>()
  readonly #pending = new Map<number, PendingRequest>()
  /** Structured generations whose caller follows their progress, by request key. */
  readonly #structuredProgress = new Map<string, { text: string; report: NonNullable<StructuredGenerationRequest['onProgress']> }>()
  #nextProgressKey = 1
  #process: EngineProcessHandle | undefined
  #nextId = 1
  #crashed = false
  #disposed = false
  #lastLoad: ModelLoadRequest | undefined

  constructor(options: LocalEngineOptions = {}) {
    this.#launcher = options.launcher ?? defaultEngineLauncher()
    this.#env = { HUATUO_THREADS: String(options.threads ?? configuredInferenceThreads()) }
    if (options.faults?.length) this.#env['HUATUO_ENGINE_FAULTS'] = options.faults.join(',')
    this.#startTimeoutMs = options.startTimeoutMs ?? 30_000
  }

  /** The engine process id (for diagnostics and crash tests). */
  get pid(): number | undefined {
    return this.#process?.pid
  }

  async start(): Promise<void> {
    const handle = this.#launcher({ env: this.#env })
    this.#process = handle
    this.#crashed = false
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        handle.kill()
        reject(new WorkstationError('MODEL_CRASHED', `the engine process did not start within ${this.#startTimeoutMs} ms`))
      }, this.#startTimeoutMs)
      handle.onMessage((message) => {
        if (message.kind === 'ready') {
          clearTimeout(timer)
          resolve()
        } else this.#receive(message)
      })
      handle.onExit((exit) => {
        clearTimeout(timer)
        reject(new WorkstationError('MODEL_CRASHED', `the engine process ended while starting (${exit.signal ?? `exit ${exit.code}`})`))
        if (this.#process === handle) this.#onProcessEnded(exit)
      })
    })
  }

  #receive(message: EngineOutgoingMessage): void {
    if (message.kind === 'event') {
      const event = message.event
      if (event.type === 'structured.delta') {
        // Delivered to the one caller that asked, not broadcast: a draft is not a consultation event.
        const progress = this.#structuredProgress.get(event.requestKey)
        if (progress) {
          progress.text += event.text
          progress.report({ text: progress.text, generatedTokens: event.generatedTokens, budgetTokens: event.budgetTokens })
        }
        return
      }
      if (event.type === 'consultation.delta') {
        for (const pending of this.#pending.values()) {
          if (pending.answer?.answerId === event.answerId) {
            pending.answer.text += event.text
            pending.answer.thinking += event.thinking
          }
        }
      }
      this.#emit(event)
      return
    }
    if (message.kind !== 'response') return
    const pending = this.#pending.get(message.id)
    if (!pending) return
    this.#pending.delete(message.id)
    if (message.ok) pending.resolve(message.result)
    else pending.reject(WorkstationError.fromPayload(message.error))
  }

  #onProcessEnded(exit: { code: number | null; signal: string | null }): void {
    this.#process = undefined
    if (this.#disposed) return
    this.#crashed = true
    const crash = new WorkstationError('MODEL_CRASHED', `engine process ended (${exit.signal ?? `exit code ${exit.code}`})`)
    for (const [id, pending] of this.#pending) {
      this.#pending.delete(id)
      if (pending.answer) {
        const interrupted: ModelAnswer = {
          answerId: pending.answer.answerId,
          text: pending.answer.text,
          thinking: pending.answer.thinking,
          status: 'interrupted',
          endReason: 'crashed',
          timing: { promptTokens: 0, evaluatedPromptTokens: 0, generatedTokens: 0, timeToFirstTokenMs: null, tokensPerSecond: null },
          error: crash.toPayload(),
        }
        pending.resolve(interrupted)
      } else pending.reject(crash)
    }
    this.#emit({ type: 'engine.crashed', error: crash.toPayload() })
  }

  #emit(event: EngineEvent): void {
    for (const listener of this.#listeners) listener(event)
  }

  #call<M extends EngineMethod>(method: M, params: EngineParams<M>, signal?: AbortSignal): Promise<EngineResults[M]> {
    if (this.#disposed) return Promise.reject(new WorkstationError('MODEL_NOT_LOADED', 'the engine was shut down'))
    const handle = this.#process
    if (this.#crashed || !handle) return Promise.reject(new WorkstationError('MODEL_CRASHED', 'restart the engine first'))
    if (signal?.aborted) return Promise.reject(new WorkstationError('REQUEST_CANCELLED'))
    const id = this.#nextId++
    return new Promise<EngineResults[M]>((resolve, reject) => {
      const pending: PendingRequest = { method, resolve: resolve as (value: unknown) => void, reject }
      if (ANSWER_METHODS.has(method)) pending.answer = { answerId: (params as { answerId: string }).answerId, text: '', thinking: '' }
      this.#pending.set(id, pending)
      const onAbort = () => this.#process?.send({ kind: 'request', id: this.#nextId++, method: 'cancel', params: { requestId: id } })
      signal?.addEventListener('abort', onAbort, { once: true })
      const cleanUp = () => signal?.removeEventListener('abort', onAbort)
      pending.resolve = (value) => (cleanUp(), resolve(value as EngineResults[M]))
      pending.reject = (error) => (cleanUp(), reject(error))
      handle.send({ kind: 'request', id, method, params })
    })
  }

  // ── InferenceEngine ──────────────────────────────────────────────────────────────────────

  async load(request: ModelLoadRequest): Promise<LoadedModelStatus> {
    const status = await this.#call('load', request)
    this.#lastLoad = request
    return status
  }

  async unload(): Promise<void> {
    await this.#call('unload', {})
    this.#lastLoad = undefined
  }

  async status(): Promise<EngineProcessStatus> {
    if (this.#crashed) return { state: 'crashed', model: null }
    const status = await this.#call('status', {})
    const pid = this.#process?.pid
    return pid === undefined ? status : { ...status, enginePid: pid }
  }

  async restart(): Promise<EngineProcessStatus> {
    this.#process?.kill()
    this.#process = undefined
    await this.start()
    if (this.#lastLoad) await this.load(this.#lastLoad)
    return this.status()
  }

  async openConsultation(request: { consultationId: string; history: ConsultationTurnText[] }): Promise<ConsultationSession> {
    await this.#call('openConsultation', request)
    return this.#session(request.consultationId)
  }

  async generateStructured(request: StructuredGenerationRequest): Promise<StructuredGenerationResult> {
    const params: EngineParams<'generateStructured'> = {
      instruction: request.instruction,
      jsonSchema: request.jsonSchema as Record<string, unknown>,
    }
    if (request.sampling) params.sampling = request.sampling
    if (!request.onProgress) return this.#call('generateStructured', params, request.signal)
    const requestKey = `structured-${this.#nextProgressKey++}`
    params.requestKey = requestKey
    this.#structuredProgress.set(requestKey, { text: '', report: request.onProgress })
    try {
      return await this.#call('generateStructured', params, request.signal)
    } finally {
      this.#structuredProgress.delete(requestKey)
    }
  }

  onEvent(listener: (event: EngineEvent) => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  async dispose(): Promise<void> {
    this.#disposed = true
    this.#process?.kill()
    this.#process = undefined
    for (const pending of this.#pending.values()) pending.reject(new WorkstationError('MODEL_NOT_LOADED', 'the engine was shut down'))
    this.#pending.clear()
  }

  #session(consultationId: string): ConsultationSession {
    const withSampling = <T extends object>(params: T, sampling: SamplingSettings | undefined) =>
      sampling ? { ...params, sampling } : params
    return {
      consultationId,
      send: ({ answerId, patientText, sampling, signal, priority }) =>
        this.#call('send', withSampling({ consultationId, answerId, patientText, ...(priority ? { priority } : {}) }, sampling), signal),
      stop: async () => {
        await this.#call('stop', { consultationId })
      },
      regenerate: ({ answerId, sampling, signal }) => this.#call('regenerate', withSampling({ consultationId, answerId }, sampling), signal),
      editPatientMessage: ({ answerId, patientMessageIndex, patientText, sampling, signal }) =>
        this.#call('editPatientMessage', withSampling({ consultationId, answerId, patientMessageIndex, patientText }, sampling), signal),
      history: () => this.#call('history', { consultationId }),
      close: async () => {
        await this.#call('closeConsultation', { consultationId })
      },
    }
  }
}

/** Starts the local engine in its own process and waits until it takes requests. */
export async function startLocalEngine(options: LocalEngineOptions = {}): Promise<LocalInferenceEngine> {
  const engine = new LocalInferenceEngine(options)
  await engine.start()
  return engine
}
