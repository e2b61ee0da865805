// The hospital inference server behind the same InferenceEngine interface as the local engine:
// consultations, record drafts and evaluation runs use it unchanged. The server keeps no
// consultation state the workstation relies on: each answer sends the history the session holds
// (whole old turns dropped to fit the server's context), and the server's prefix cache makes the
// repeated history cheap.
import { z } from 'zod'
import type {
  AnswerEndReason,
  AnswerTiming,
  ConsultationTurnText,
  EngineEvent,
  EngineProcessStatus,
  GenerationPriority,
  LoadedModelStatus,
  ModelAnswer,
  ModelLoadRequest,
} from '../../../contract/inference.ts'
import type { SamplingSettings } from '../../../contract/sampling.ts'
import { WorkstationError } from '../../errors.ts'
import { DeltaCoalescer } from '../delta-coalescer.ts'
import type { ConsultationSession, InferenceEngine, StructuredGenerationRequest, StructuredGenerationResult } from '../engine.ts'
import { GenerationQueue } from '../generation-queue.ts'
import { getPromptFormat } from '../prompt-formats/index.ts'
import { resolveSampling, type ResolvedSampling } from '../prompt-formats/sampling.ts'
import { splitThinking, ThinkingSplitter } from '../prompt-formats/thinking.ts'
import { structuredTokenBudget } from '../structured-budget.ts'
import { countPromptTokens, readContextLimit } from './context.ts'
import type { RemoteApiStyle, RemotePromptInput } from './dialects.ts'
import { remotePromptInput, remotePromptPlan, remoteStopTexts, type RemotePromptPlan } from './remote-prompt.ts'
import { displayServerUrl } from './remote-server-config.ts'
import type { RemoteServer } from './server.ts'
import { listServedModels, servesModel } from './server-facts.ts'
import { streamGeneration, type RemoteStreamResult } from './stream.ts'

export interface RemoteEngineOptions {
  server: RemoteServer
  api: RemoteApiStyle
  /** The served model's name; null: the first model the server lists. */
  model: string | null
  /** How prompts are written; null: from the model's name. */
  promptFormat: PromptFormatOverride
  /** The context to assume where the server does not say (OpenAI style); null: no trimming before the server. */
  contextSize: number | null
  /** Requests in flight at once from this workstation (a consultation turn goes before evaluation items). */
  maxConcurrent: number
  /** Told after every successful connect, also one made on demand when a consultation opens. */
  onConnected?: (facts: RemoteModelFacts) => void
}

type PromptFormatOverride = Parameters<typeof remotePromptPlan>[1]

/** What the engine learned when it connected. */
export interface RemoteModelFacts {
  model: string
  plan: RemotePromptPlan
  contextSize: number | null
  /** The server's address as shown and stored (no credentials). */
  server: string
  connectSeconds: number
}

/** An answer gets at least this many tokens of room, or the message is refused with CONTEXT_FULL (as locally). */
const MIN_ANSWER_TOKENS = 32

interface RemoteConsultation {
  id: string
  /** Final texts, alternating from the patient (o1: the final response only). */
  history: ConsultationTurnText[]
  running: Set<AbortController>
}

/** One turn's history and patient text, as send, regenerate and edit each decide it. */
type TurnPlan = (history: ConsultationTurnText[]) => { history: ConsultationTurnText[]; patientText: string }

export class RemoteInferenceEngine implements InferenceEngine {
  readonly #options: RemoteEngineOptions
  readonly #queue: GenerationQueue
  readonly #listeners = new Set<(event: EngineEvent) => void>()
  readonly #consultations = new Map<string, RemoteConsultation>()
  /** Every request in flight, so unload and dispose can end them. */
  readonly #inFlight = new Set<AbortController>()
  #facts: RemoteModelFacts | undefined
  #connecting = false
  #generating = 0
  #disposed = false

  constructor(options: RemoteEngineOptions) {
    this.#options = options
    this.#queue = new GenerationQueue(options.maxConcurrent)
  }

  /** The dialect the server is spoken to in. */
  get api(): RemoteApiStyle {
    return this.#options.api
  }

  /** The server's facts once connected. */
  get facts(): RemoteModelFacts | undefined {
    return this.#facts
  }

  /**
   * Asks the server which models it serves (the configured one must be among them, else
   * REMOTE_MODEL_NOT_FOUND) and how long a context it runs them with.
   */
  async connect(override: { promptFormat?: PromptFormatOverride; contextSize?: number } = {}, signal?: AbortSignal): Promise<RemoteModelFacts> {
    if (this.#disposed) throw new WorkstationError('MODEL_NOT_LOADED', 'the engine was shut down')
    const started = performance.now()
    this.#connecting = true
    try {
      const { server, api } = this.#options
      const served = await listServedModels(server, api, signal)
      const model = this.#options.model ?? served[0]
      if (model === undefined) throw new WorkstationError('REMOTE_MODEL_NOT_FOUND', 'the server lists no model')
      if (!servesModel(api, served, model)) throw new WorkstationError('REMOTE_MODEL_NOT_FOUND', `the server does not list the configured model (${served.length} listed)`)
      const told = await readContextLimit(server, api, model, signal)
      this.#facts = {
        model,
        plan: remotePromptPlan(model, override.promptFormat ?? this.#options.promptFormat),
        contextSize: override.contextSize ?? told ?? this.#options.contextSize,
        server: displayServerUrl(server.url),
        connectSeconds: (performance.now() - started) / 1000,
      }
      this.#options.onConnected?.(this.#facts)
      return this.#facts
    } finally {
      this.#connecting = false
    }
  }

  // ── InferenceEngine ──────────────────────────────────────────────────────────────────────

  /** For a remote engine the model is the server's: loading connects (the path names nothing here). */
  async load(request: ModelLoadRequest): Promise<LoadedModelStatus> {
    const facts = await this.connect({
      ...(request.promptFormat ? { promptFormat: request.promptFormat } : {}),
      ...(request.contextSize ? { contextSize: request.contextSize } : {}),
    })
    return this.#loadedStatus(facts)
  }

  async unload(): Promise<void> {
    this.#abortAll()
    this.#consultations.clear()
    this.#facts = undefined
  }

  async status(): Promise<EngineProcessStatus> {
    const state = this.#connecting ? 'loading' : this.#generating > 0 ? 'generating' : this.#facts ? 'ready' : 'idle'
    return { state, model: this.#facts ? this.#loadedStatus(this.#facts) : null }
  }

  /** Nothing runs here to crash: a restart asks the server again. */
  async restart(): Promise<EngineProcessStatus> {
    this.#abortAll()
    this.#consultations.clear()
    if (this.#facts) await this.connect({ promptFormat: this.#facts.plan.format, ...(this.#facts.contextSize ? { contextSize: this.#facts.contextSize } : {}) })
    return this.status()
  }

  async openConsultation(request: { consultationId: string; history: ConsultationTurnText[] }): Promise<ConsultationSession> {
    // A server that was down when the workstation started is asked again here.
    const facts = this.#facts ?? (await this.#reconnect())
    const history = request.history.map((turn) =>
      turn.role === 'model' && facts.plan.family === 'o1' ? { role: turn.role, text: splitThinking(turn.text).response } : { ...turn },
    )
    const consultation: RemoteConsultation = { id: request.consultationId, history, running: new Set() }
    this.#consultations.get(request.consultationId)?.running.forEach((controller) => controller.abort())
    this.#consultations.set(request.consultationId, consultation)
    return this.#session(consultation)
  }

  async generateStructured(request: StructuredGenerationRequest): Promise<StructuredGenerationResult> {
    const facts = this.#facts ?? (await this.#reconnect())
    const budget = structuredTokenBudget(request.jsonSchema)
    const resolved = resolveSampling(getPromptFormat(facts.plan.format).sampling, request.sampling)
    const requested = Math.min(budget, request.sampling?.maxTokens ?? budget)
    return this.#queue.run(async () => {
      const stop = this.#controller(request.signal)
      let progressText = ''
      let pieces = 0
      const coalescer = request.onProgress
        ? new DeltaCoalescer(({ text }) => {
            progressText += text
            request.onProgress?.({ text: progressText, generatedTokens: pieces, budgetTokens: requested })
          })
        : undefined
      this.#generating++
      try {
        const fitted = await this.#fit(facts, [], request.instruction, requested, stop.signal)
        const result = await streamGeneration(
          this.#options.server,
          this.#options.api,
          this.#generation(facts, fitted.input, { ...resolved, maxTokens: fitted.maxTokens }, request.jsonSchema),
          {
            signal: stop.signal,
            onText: (text) => {
              pieces++
              coalescer?.push({ text, thinking: '' })
            },
          },
        )
        coalescer?.flush()
        const generated = result.usage?.generatedTokens ?? pieces
        if (result.status === 'interrupted') throw result.error ?? new WorkstationError('REMOTE_STREAM_CUT')
        if (result.status === 'stopped' || result.endReason === 'length') {
          throw new WorkstationError('DRAFT_INCOMPLETE', `${result.status === 'stopped' ? 'abort' : 'maxTokens'} after ${generated} tokens (budget ${fitted.maxTokens})`, {
            data: { generatedTokens: generated, budgetTokens: fitted.maxTokens },
          })
        }
        // A server that ignored the schema cannot slip past: the answer must parse and match it.
        let value: unknown
        try {
          value = JSON.parse(result.text)
        } catch {
          throw new WorkstationError('DRAFT_INCOMPLETE', 'the output is not JSON')
        }
        if (!z.fromJSONSchema(request.jsonSchema as Parameters<typeof z.fromJSONSchema>[0]).safeParse(value).success) {
          throw new WorkstationError('DRAFT_INCOMPLETE', 'the output does not follow the schema')
        }
        return { value, text: result.text, timing: timingOf(result, fitted.tokens, generated) }
      } finally {
        this.#generating--
        this.#release(stop)
      }
    }, request.signal)
  }

  onEvent(listener: (event: EngineEvent) => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  async dispose(): Promise<void> {
    this.#disposed = true
    await this.unload()
  }

  // ── Consultations ────────────────────────────────────────────────────────────────────────

  #session(consultation: RemoteConsultation): ConsultationSession {
    return {
      consultationId: consultation.id,
      send: ({ answerId, patientText, sampling, signal, priority }) =>
        this.#answer(consultation, answerId, sampling, signal, (history) => ({ history, patientText }), priority),
      stop: async () => consultation.running.forEach((controller) => controller.abort()),
      regenerate: ({ answerId, sampling, signal }) =>
        this.#answer(consultation, answerId, sampling, signal, (history) => {
          const lastPatient = history.findLastIndex((turn) => turn.role === 'patient')
          const patient = history[lastPatient]
          if (patient === undefined) throw new WorkstationError('NOTHING_TO_REGENERATE')
          return { history: history.slice(0, lastPatient), patientText: patient.text }
        }),
      editPatientMessage: ({ answerId, patientMessageIndex, patientText, sampling, signal }) =>
        this.#answer(consultation, answerId, sampling, signal, (history) => {
          let seen = -1
          const at = history.findIndex((turn) => turn.role === 'patient' && ++seen === patientMessageIndex)
          if (at < 0) throw new WorkstationError('MESSAGE_NOT_FOUND', `patient message ${patientMessageIndex}`)
          return { history: history.slice(0, at), patientText }
        }),
      history: async () => consultation.history.map((turn) => ({ ...turn })),
      close: async () => {
        consultation.running.forEach((controller) => controller.abort())
        if (this.#consultations.get(consultation.id) === consultation) this.#consultations.delete(consultation.id)
      },
    }
  }

  /** The one path every answer takes: wait for a slot, fit the history, stream, keep what came. */
  #answer(
    consultation: RemoteConsultation,
    answerId: string,
    sampling: SamplingSettings | undefined,
    signal: AbortSignal | undefined,
    plan: TurnPlan,
    priority: GenerationPriority = 'consultation',
  ): Promise<ModelAnswer> {
    const facts = this.#requireFacts()
    // Checked before the request waits its turn, as locally.
    const resolved = resolveSampling(getPromptFormat(facts.plan.format).sampling, sampling)
    return this.#queue.run(async () => {
      const next = plan(consultation.history)
      const stop = this.#controller(signal)
      consultation.running.add(stop)
      const splitter = facts.plan.family === 'o1' ? new ThinkingSplitter() : undefined
      const coalescer = new DeltaCoalescer(({ text, thinking }) =>
        this.#emit({ type: 'consultation.delta', consultationId: consultation.id, answerId, text, thinking }),
      )
      let pieces = 0
      this.#generating++
      try {
        const fitted = await this.#fit(facts, next.history, next.patientText, resolved.maxTokens, stop.signal)
        const result = await streamGeneration(
          this.#options.server,
          this.#options.api,
          this.#generation(facts, fitted.input, { ...resolved, maxTokens: fitted.maxTokens }),
          {
            signal: stop.signal,
            onText: (text) => {
              pieces++
              if (!splitter) return coalescer.push({ text, thinking: '' })
              const parts = splitter.push(text)
              coalescer.push({ text: parts.response, thinking: parts.thinking })
            },
          },
        )
        if (splitter) {
          const rest = splitter.finish()
          coalescer.push({ text: rest.response, thinking: rest.thinking })
        }
        coalescer.flush()
        const parts = facts.plan.family === 'o1' ? splitThinking(result.text) : { thinking: '', response: result.text }
        // What came is kept, a stopped or cut answer too (as the local engine keeps a partial answer).
        consultation.history = [...next.history, { role: 'patient', text: next.patientText }, { role: 'model', text: parts.response }]
        const answer: ModelAnswer = {
          answerId,
          text: parts.response,
          thinking: parts.thinking,
          status: result.status,
          endReason: endReasonOf(result),
          timing: timingOf(result, fitted.tokens, result.usage?.generatedTokens ?? pieces),
        }
        if (result.error) answer.error = result.error.toPayload()
        return answer
      } finally {
        coalescer.flush()
        this.#generating--
        consultation.running.delete(stop)
        this.#release(stop)
      }
    }, signal, priority)
  }

  /**
   * The prompt with as much history as fits: whole old turns are dropped (oldest first) until the
   * prompt and the answer's room fit the server's context; this turn alone must leave room for
   * an answer, else CONTEXT_FULL. Without a known context the server itself refuses what is too long.
   */
  async #fit(
    facts: RemoteModelFacts,
    history: ConsultationTurnText[],
    patientText: string,
    requested: number,
    signal: AbortSignal,
  ): Promise<{ input: RemotePromptInput; tokens: number | null; maxTokens: number }> {
    const limit = facts.contextSize
    for (let from = 0; ; ) {
      const rest = history.slice(from)
      const input = remotePromptInput(facts.plan, rest, patientText)
      if (limit === null) return { input, tokens: null, maxTokens: requested }
      const { tokens } = await countPromptTokens(this.#options.server, this.#options.api, facts.model, input, signal)
      const room = limit - tokens
      if (room >= requested || (rest.length === 0 && room >= MIN_ANSWER_TOKENS)) return { input, tokens, maxTokens: Math.min(requested, room) }
      if (rest.length === 0) {
        throw new WorkstationError('CONTEXT_FULL', `the message needs ${tokens} tokens; the server's context holds ${limit}`, {
          data: { messageTokens: tokens, contextSize: limit },
        })
      }
      // One whole turn: the patient's message and the answer to it.
      from += rest[1]?.role === 'model' ? 2 : 1
    }
  }

  #generation(facts: RemoteModelFacts, input: RemotePromptInput, sampling: ResolvedSampling, jsonSchema?: object) {
    return {
      model: facts.model,
      input,
      sampling,
      stop: remoteStopTexts(facts.plan),
      ...(jsonSchema ? { jsonSchema } : {}),
      // Ollama runs with its own small default context unless told the one the workstation fits to.
      ...(this.#options.api === 'ollama' && facts.contextSize ? { contextSize: facts.contextSize } : {}),
    }
  }

  #loadedStatus(facts: RemoteModelFacts): LoadedModelStatus {
    return {
      modelPath: `${facts.server}#${facts.model}`,
      loadSeconds: facts.connectSeconds,
      name: facts.model,
      promptFormat: facts.plan.format,
      contextSize: facts.contextSize ?? 0,
      sequences: this.#options.maxConcurrent,
      backend: 'remote',
      deviceNames: [facts.server],
      gpuLayers: 0,
      totalLayers: 0,
      threads: 0,
      freeRamBytes: 0,
      freeVramBytes: 0,
    }
  }

  #reconnect(): Promise<RemoteModelFacts> {
    if (this.#disposed) throw new WorkstationError('MODEL_NOT_LOADED', 'the engine was shut down')
    return this.connect()
  }

  #requireFacts(): RemoteModelFacts {
    if (this.#disposed || !this.#facts) throw new WorkstationError('MODEL_NOT_LOADED')
    return this.#facts
  }

  /** A controller for one request, aborted by the caller's signal, unload or dispose. */
  #controller(signal: AbortSignal | undefined): AbortController {
    const controller = new AbortController()
    if (signal?.aborted) controller.abort()
    else signal?.addEventListener('abort', () => controller.abort(), { once: true })
    this.#inFlight.add(controller)
    return controller
  }

  #release(controller: AbortController): void {
    this.#inFlight.delete(controller)
  }

  #abortAll(): void {
    for (const controller of this.#inFlight) controller.abort()
    this.#inFlight.clear()
  }

  #emit(event: EngineEvent): void {
    for (const listener of this.#listeners) listener(event)
  }
}

function endReasonOf(result: RemoteStreamResult): AnswerEndReason {
  if (result.status === 'interrupted') return 'error'
  if (result.status === 'stopped') return 'stopped'
  return result.endReason === 'length' ? 'length' : 'end-token'
}

/**
 * Timing as the server's usage says it; the counted prompt where it says nothing. The prompt counts
 * as evaluated whole unless the server says how much of it its prefix cache held.
 */
function timingOf(result: RemoteStreamResult, countedPromptTokens: number | null, generated: number): AnswerTiming {
  const promptTokens = result.usage?.promptTokens ?? countedPromptTokens ?? 0
  return {
    promptTokens,
    evaluatedPromptTokens: promptTokens - (result.usage?.cachedPromptTokens ?? 0),
    generatedTokens: generated,
    timeToFirstTokenMs: result.timeToFirstTokenMs,
    tokensPerSecond:
      result.timeToFirstTokenMs !== null && result.timeToLastTokenMs !== null && generated > 1 && result.timeToLastTokenMs > result.timeToFirstTokenMs
        ? ((generated - 1) * 1000) / (result.timeToLastTokenMs - result.timeToFirstTokenMs)
        : null,
  }
}
