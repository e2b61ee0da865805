import { freemem } from 'node:os'
import {
  GgufInsights,
  LlamaChatSession,
  readGgufFileInfo,
  type ChatHistoryItem,
  type ChatWrapper,
  type Llama,
  type LlamaContext,
  type LlamaContextSequence,
  type LlamaModel,
} from 'node-llama-cpp'
import type { EngineParams } from '../../../contract/engine-protocol.ts'
import type {
  AnswerEndReason,
  AnswerTiming,
  ConsultationTurnText,
  EngineEvent,
  EngineProcessStatus,
  GenerationPriority,
  LoadedModelStatus,
  ModelAnswer,
} from '../../../contract/inference.ts'
import type { SamplingSettings } from '../../../contract/sampling.ts'
import { WorkstationError } from '../../errors.ts'
import { readGgufModelLayout } from '../../gguf/gguf-model-layout.ts'
import { loadLlamaRuntime } from '../llama-runtime.ts'
import { resolvePromptFormat, type ModelFamily } from '../prompt-formats/detect.ts'
import { chatHistoryForModel } from '../prompt-formats/history.ts'
import { getPromptFormat } from '../prompt-formats/index.ts'
import { modelIdentityFacts, promptModelFacts } from '../prompt-formats/model-facts.ts'
import { llamaSamplingOptions, resolveSampling } from '../prompt-formats/sampling.ts'
import { splitThinking, ThinkingSplitter } from '../prompt-formats/thinking.ts'
import type { PromptFormat } from '../prompt-formats/types.ts'
import { configuredInferenceThreads } from '../threads.ts'
import { contextShiftReserve, keepPreambleAndWholeTurns, preambleOf, renderedTokenCount } from './context-shift.ts'
import { DeltaCoalescer } from '../delta-coalescer.ts'
import { GenerationQueue } from '../generation-queue.ts'
import { ensureModelFits } from './memory-fit.ts'
import { structuredTokenBudget } from '../structured-budget.ts'

// The node-llama-cpp side of the local engine. It runs inside the engine process (engine-process.ts)
// and is driven by id-based calls that mirror the engine protocol; a llama.cpp abort here ends
// that process only.

export interface EngineFaults {
  /** Tests: make every load attempt that offloads layers fail as a GPU out of memory would. */
  failGpuLoad?: boolean
}

export interface ConsultationEngineOptions {
  emit: (event: EngineEvent) => void
  threads?: number
  faults?: EngineFaults
  /** Free memory as the machine reports it; replaceable only to describe another machine. */
  freeRamBytes?: () => number
}

interface LoadedModel {
  request: EngineParams<'load'>
  model: LlamaModel
  context: LlamaContext
  format: PromptFormat
  family: ModelFamily
  wrapper: ChatWrapper
  status: LoadedModelStatus
}

interface Consultation {
  id: string
  /** The history in the model's terms, preamble included; the truth when no session holds it. */
  history: ChatHistoryItem[]
  session?: LlamaChatSession
  sequence?: LlamaContextSequence
  lastUsed: number
  running?: AbortController
}

const DEFAULT_CONTEXT_SIZE = 4096
const DEFAULT_SEQUENCES = 2
/** An answer gets at least this many tokens of room, or the message is refused with CONTEXT_FULL. */
const MIN_ANSWER_TOKENS = 32

export class LlamaConsultationEngine {
  readonly #emit: (event: EngineEvent) => void
  readonly #threads: number
  readonly #faults: EngineFaults
  readonly #freeRam: () => number
  readonly #queue = new GenerationQueue()
  readonly #consultations = new Map<string, Consultation>()
  #llama: Llama | undefined
  #loaded: LoadedModel | undefined
  #loading = false
  #generating = false
  #gpuFallbackReason: string | undefined

  constructor(options: ConsultationEngineOptions) {
    this.#emit = options.emit
    this.#threads = options.threads ?? configuredInferenceThreads()
    this.#faults = options.faults ?? {}
    this.#freeRam = options.freeRamBytes ?? freemem
  }

  // ── Loading ──────────────────────────────────────────────────────────────────────────────

  async load(request: EngineParams<'load'>, signal?: AbortSignal): Promise<LoadedModelStatus> {
    return this.#queue.run(async () => {
      this.#loading = true
      try {
        await this.#unloadNow()
        return await this.#loadNow(request)
      } finally {
        this.#loading = false
      }
    }, signal)
  }

  async #loadNow(request: EngineParams<'load'>): Promise<LoadedModelStatus> {
    const started = performance.now()
    // The workstation's own check first: a stable code instead of an error from native code.
    const layout = await readGgufModelLayout(request.modelPath)
    const threads = request.threads ?? this.#threads
    this.#llama ??= await loadLlamaRuntime({ gpu: 'auto', threads })
    const llama = this.#llama
    const insights = await GgufInsights.from(await readGgufFileInfo(layout.path, { logWarnings: false }), llama)
    const trained = insights.trainContextSize ?? DEFAULT_CONTEXT_SIZE
    const contextSize = request.contextSize ?? Math.min(DEFAULT_CONTEXT_SIZE, trained)
    const sequences = request.sequences ?? DEFAULT_SEQUENCES
    const requestedLayers = request.gpuLayers ?? 'auto'
    this.#gpuFallbackReason = undefined

    // An injected GPU fault stands for a GPU that fails, so the fallback path runs on any machine.
    const onCpuOnly = (llama.gpu === false && !this.#faults.failGpuLoad) || requestedLayers === 0
    if (onCpuOnly) await this.#ensureFits(insights, contextSize, sequences, 0)

    let attempt: { model: LlamaModel; context: LlamaContext }
    try {
      attempt = await this.#loadOn(llama, layout.path, requestedLayers, contextSize, sequences, threads)
    } catch (error) {
      if (onCpuOnly) throw loadFailure(error)
      // The GPU could not take it (out of VRAM, a driver error): carry on on the CPU and say so.
      const reason = error instanceof Error ? error.message : String(error)
      this.#gpuFallbackReason = reason
      this.#emit({ type: 'model.gpu-fallback', code: 'GPU_FALLBACK', reason })
      await this.#ensureFits(insights, contextSize, sequences, 0)
      try {
        attempt = await this.#loadOn(llama, layout.path, 0, contextSize, sequences, threads)
      } catch (cpuError) {
        throw loadFailure(cpuError)
      }
    }

    const { model, context } = attempt
    const detection = resolvePromptFormat(modelIdentityFacts(model), request.promptFormat)
    const format = getPromptFormat(detection.format)
    let wrapper: ChatWrapper
    try {
      wrapper = format.createChatWrapper(promptModelFacts(model))
    } catch (error) {
      await context.dispose()
      await model.dispose()
      throw error
    }
    const vram = await llama.getVramState()
    const status: LoadedModelStatus = {
      modelPath: layout.path,
      loadSeconds: (performance.now() - started) / 1000,
      name: model.fileInfo.metadata.general?.name ?? layout.path.split(/[\\/]/).pop() ?? layout.path,
      promptFormat: format.id,
      contextSize: context.contextSize,
      sequences,
      backend: llama.gpu === false ? 'cpu' : llama.gpu,
      deviceNames: await llama.getGpuDeviceNames(),
      gpuLayers: model.gpuLayers,
      totalLayers: insights.totalLayers,
      threads: context.currentThreads,
      freeRamBytes: this.#freeRam(),
      freeVramBytes: vram.free,
    }
    this.#loaded = { request, model, context, format, family: detection.family, wrapper, status }
    return status
  }

  async #ensureFits(insights: GgufInsights, contextSize: number, sequences: number, gpuLayers: number): Promise<void> {
    const vram = await this.#llama!.getVramState()
    ensureModelFits(insights, { contextSize, sequences, gpuLayers }, { freeRamBytes: this.#freeRam(), freeVramBytes: vram.free })
  }

  async #loadOn(
    llama: Llama,
    modelPath: string,
    gpuLayers: 'auto' | number,
    contextSize: number,
    sequences: number,
    threads: number,
  ): Promise<{ model: LlamaModel; context: LlamaContext }> {
    if (this.#faults.failGpuLoad && gpuLayers !== 0) {
      throw new Error('injected fault: ggml_backend_cuda_buffer_type_alloc_buffer: allocating buffer failed: out of memory')
    }
    let lastReported = -1
    const model = await llama.loadModel({
      modelPath,
      gpuLayers,
      onLoadProgress: (fraction) => {
        // A few events per load, not hundreds.
        const step = Math.floor(fraction * 20)
        if (step === lastReported) return
        lastReported = step
        this.#emit({ type: 'model.progress', modelPath, loadedFraction: fraction })
      },
    })
    try {
      const context = await model.createContext({ contextSize, sequences, threads, failedCreationRemedy: false })
      return { model, context }
    } catch (error) {
      await model.dispose()
      throw error
    }
  }

  async unload(): Promise<void> {
    await this.#queue.run(() => this.#unloadNow())
  }

  async #unloadNow(): Promise<void> {
    for (const consultation of this.#consultations.values()) this.#releaseSequence(consultation)
    const loaded = this.#loaded
    this.#loaded = undefined
    if (loaded) {
      await loaded.context.dispose()
      await loaded.model.dispose()
    }
  }

  async status(): Promise<EngineProcessStatus> {
    const state = this.#loading ? 'loading' : this.#generating ? 'generating' : this.#loaded ? 'ready' : 'idle'
    const model = this.#loaded ? { ...this.#loaded.status, freeRamBytes: this.#freeRam() } : null
    if (model && this.#llama) model.freeVramBytes = (await this.#llama.getVramState()).free
    const status: EngineProcessStatus = { state, model }
    if (this.#gpuFallbackReason !== undefined) status.gpuFallbackReason = this.#gpuFallbackReason
    return status
  }

  async dispose(): Promise<void> {
    await this.#unloadNow()
    await this.#llama?.dispose()
    this.#llama = undefined
  }

  // ── Consultations ────────────────────────────────────────────────────────────────────────

  openConsultation(params: EngineParams<'openConsultation'>): void {
    const loaded = this.#requireModel()
    const existing = this.#consultations.get(params.consultationId)
    if (existing) this.#releaseSequence(existing)
    this.#consultations.set(params.consultationId, {
      id: params.consultationId,
      history: [...loaded.wrapper.generateInitialChatHistory(), ...chatHistoryForModel(params.history, loaded.family)],
      lastUsed: Date.now(),
    })
  }

  closeConsultation(consultationId: string): void {
    const consultation = this.#consultations.get(consultationId)
    if (!consultation) return
    consultation.running?.abort()
    this.#releaseSequence(consultation)
    this.#consultations.delete(consultationId)
  }

  history(consultationId: string): ConsultationTurnText[] {
    return this.#historyOf(this.#requireConsultation(consultationId)).flatMap((item): ConsultationTurnText[] => {
      if (item.type === 'user') return [{ role: 'patient', text: item.text }]
      if (item.type === 'model') return [{ role: 'model', text: responseText(item.response) }]
      return []
    })
  }

  /** Stops the answer being generated in this consultation; its partial text is kept. */
  stop(consultationId: string): void {
    this.#consultations.get(consultationId)?.running?.abort()
  }

  send(params: EngineParams<'send'>, signal?: AbortSignal): Promise<ModelAnswer> {
    const plan = (history: ChatHistoryItem[]) => ({ history, patientText: params.patientText })
    return this.#answer(params.consultationId, params.answerId, params.sampling, signal, plan, params.priority)
  }

  regenerate(params: EngineParams<'regenerate'>, signal?: AbortSignal): Promise<ModelAnswer> {
    return this.#answer(params.consultationId, params.answerId, params.sampling, signal, (history) => {
      const lastPatient = history.findLastIndex((item) => item.type === 'user')
      const patient = history[lastPatient]
      if (patient?.type !== 'user') throw new WorkstationError('NOTHING_TO_REGENERATE')
      return { history: history.slice(0, lastPatient), patientText: patient.text }
    })
  }

  editPatientMessage(params: EngineParams<'editPatientMessage'>, signal?: AbortSignal): Promise<ModelAnswer> {
    return this.#answer(params.consultationId, params.answerId, params.sampling, signal, (history) => {
      let seen = -1
      const at = history.findIndex((item) => item.type === 'user' && ++seen === params.patientMessageIndex)
      if (at < 0) throw new WorkstationError('MESSAGE_NOT_FOUND', `patient message ${params.patientMessageIndex}`)
      return { history: history.slice(0, at), patientText: params.patientText }
    })
  }

  /**
   * The one path every answer takes: wait for the model, make sure the consultation holds a
   * sequence, set the history the request asks for (only when it differs: the KV cache is kept),
   * and stream the answer.
   */
  #answer(
    consultationId: string,
    answerId: string,
    sampling: SamplingSettings | undefined,
    signal: AbortSignal | undefined,
    plan: (history: ChatHistoryItem[]) => { history: ChatHistoryItem[]; patientText: string },
    priority: GenerationPriority = 'consultation',
  ): Promise<ModelAnswer> {
    const consultation = this.#requireConsultation(consultationId)
    const loaded = this.#requireModel()
    // Check the request before it waits its turn.
    const resolved = resolveSampling(loaded.format.sampling, sampling)
    return this.#queue.run(async () => {
      const current = this.#historyOf(consultation)
      const next = plan(current)
      const session = this.#sessionFor(consultation, loaded)
      if (!sameHistory(current, next.history)) session.setChatHistory(next.history)
      const maxTokens = this.#answerRoom(loaded, next.history, next.patientText, resolved.maxTokens)
      const promptTokens = renderedTokenCount(
        [...next.history, { type: 'user', text: next.patientText }, { type: 'model', response: [] }],
        loaded.wrapper,
        loaded.model.tokenizer,
      )
      const stop = new AbortController()
      const onCallerAbort = () => stop.abort()
      signal?.addEventListener('abort', onCallerAbort, { once: true })
      consultation.running = stop
      this.#generating = true
      try {
        const turn = { answerId, patientText: next.patientText, promptTokens }
        return await this.#stream(consultation, loaded, session, turn, { ...resolved, maxTokens }, stop.signal)
      } finally {
        this.#generating = false
        consultation.running = undefined
        consultation.lastUsed = Date.now()
        signal?.removeEventListener('abort', onCallerAbort)
      }
    }, signal, priority)
  }

  async #stream(
    consultation: Consultation,
    loaded: LoadedModel,
    session: LlamaChatSession,
    { answerId, patientText, promptTokens }: { answerId: string; patientText: string; promptTokens: number },
    sampling: ReturnType<typeof resolveSampling>,
    stop: AbortSignal,
  ): Promise<ModelAnswer> {
    const meter = session.sequence.tokenMeter
    const inputBefore = meter.usedInputTokens
    const outputBefore = meter.usedOutputTokens
    const splitter = loaded.family === 'o1' ? new ThinkingSplitter() : undefined
    const coalescer = new DeltaCoalescer(({ text, thinking }) =>
      this.#emit({ type: 'consultation.delta', consultationId: consultation.id, answerId, text, thinking }),
    )
    const started = performance.now()
    let firstToken: number | undefined
    let lastToken = started
    let generated = 0
    let endReason: AnswerEndReason
    let raw: string
    let error: WorkstationError | undefined
    try {
      const result = await session.promptWithMeta(patientText, {
        ...llamaSamplingOptions(sampling),
        signal: stop,
        stopOnAbortSignal: true,
        onToken: (tokens) => {
          const now = performance.now()
          firstToken ??= now
          lastToken = now
          generated += tokens.length
        },
        onTextChunk: (chunk) => {
          if (splitter) {
            const parts = splitter.push(chunk)
            coalescer.push({ text: parts.response, thinking: parts.thinking })
          } else coalescer.push({ text: chunk, thinking: '' })
        },
      })
      raw = result.responseText
      endReason = result.stopReason === 'abort' ? 'stopped' : result.stopReason === 'maxTokens' ? 'length' : 'end-token'
    } catch (cause) {
      endReason = 'error'
      error = cause instanceof WorkstationError ? cause : new WorkstationError('INTERNAL', cause instanceof Error ? cause.message : String(cause))
      raw = responseText(lastModelItem(session.getChatHistory())?.response ?? [])
    }
    if (splitter) {
      const rest = splitter.finish()
      coalescer.push({ text: rest.response, thinking: rest.thinking })
    }
    coalescer.flush()

    const parts = loaded.family === 'o1' ? splitThinking(raw) : { thinking: '', response: raw }
    // Later turns receive the final response only (o1's thinking never goes back as history).
    if (loaded.family === 'o1' && parts.thinking !== '') {
      const history = session.getChatHistory()
      const last = lastModelItem(history)
      if (last) last.response = [parts.response]
      session.setChatHistory(history)
    }
    consultation.history = session.getChatHistory()

    const timing: AnswerTiming = {
      // The shifted window may be shorter than the whole history: never report more than was there.
      promptTokens: Math.min(promptTokens, loaded.context.contextSize),
      // The meter counts a prompt's last token as output (it yields the first answer token).
      evaluatedPromptTokens: Math.max(0, meter.usedInputTokens - inputBefore) + (meter.usedOutputTokens > outputBefore ? 1 : 0),
      generatedTokens: generated,
      timeToFirstTokenMs: firstToken === undefined ? null : firstToken - started,
      tokensPerSecond: firstToken !== undefined && generated > 1 && lastToken > firstToken ? ((generated - 1) * 1000) / (lastToken - firstToken) : null,
    }
    const answer: ModelAnswer = {
      answerId,
      text: parts.response,
      thinking: parts.thinking,
      status: endReason === 'error' ? 'error' : endReason === 'stopped' ? 'stopped' : 'complete',
      endReason,
      timing,
    }
    if (error) answer.error = error.toPayload()
    return answer
  }

  /**
   * How many tokens the answer may take. The history beyond the preamble and this turn can be
   * dropped by the context shift, so only those must fit; if they leave no room, CONTEXT_FULL.
   */
  #answerRoom(loaded: LoadedModel, history: ChatHistoryItem[], patientText: string, requested: number): number {
    const contextSize = loaded.context.contextSize
    const shiftReserve = contextShiftReserve(contextSize)
    const thisTurn: ChatHistoryItem[] = [...preambleOf(history), { type: 'user', text: patientText }, { type: 'model', response: [] }]
    const needed = renderedTokenCount(thisTurn, loaded.wrapper, loaded.model.tokenizer)
    const room = contextSize - shiftReserve - needed
    if (room < MIN_ANSWER_TOKENS) {
      throw new WorkstationError('CONTEXT_FULL', `the message needs ${needed} tokens; the context holds ${contextSize}`, {
        data: { messageTokens: needed, contextSize },
      })
    }
    return Math.min(requested, room)
  }

  // ── Constrained generation ───────────────────────────────────────────────────────────────

  generateStructured(params: EngineParams<'generateStructured'>, signal?: AbortSignal): Promise<{ value: unknown; text: string; timing: AnswerTiming }> {
    const loaded = this.#requireModel()
    const budget = structuredTokenBudget(params.jsonSchema)
    const resolved = resolveSampling(loaded.format.sampling, params.sampling)
    const maxTokens = Math.min(budget, params.sampling?.maxTokens ?? budget)
    return this.#queue.run(async () => {
      const llama = this.#llama!
      // node-llama-cpp's grammar types are generic over the literal schema; ours arrives at run time.
      const grammar = await llama.createGrammarForJsonSchema(params.jsonSchema as Parameters<Llama['createGrammarForJsonSchema']>[0])
      const sequence = this.#takeSequence(loaded)
      const session = new LlamaChatSession({ contextSequence: sequence, chatWrapper: loaded.wrapper, autoDisposeSequence: false })
      this.#generating = true
      const started = performance.now()
      const inputBefore = sequence.tokenMeter.usedInputTokens
      let firstToken: number | undefined
      let generated = 0
      const requestKey = params.requestKey
      // Progress only for a caller that asked for it, coalesced like answer deltas.
      const coalescer =
        requestKey === undefined
          ? undefined
          : new DeltaCoalescer(({ text }) =>
              this.#emit({ type: 'structured.delta', requestKey, text, generatedTokens: generated, budgetTokens: maxTokens }),
            )
      try {
        const result = await session.promptWithMeta(params.instruction, {
          ...llamaSamplingOptions({ ...resolved, maxTokens }),
          grammar,
          signal,
          stopOnAbortSignal: true,
          onToken: (tokens) => {
            firstToken ??= performance.now()
            generated += tokens.length
          },
          ...(coalescer ? { onTextChunk: (chunk: string) => coalescer.push({ text: chunk, thinking: '' }) } : {}),
        })
        coalescer?.flush()
        const elapsed = performance.now() - started
        const timing: AnswerTiming = {
          promptTokens: renderedTokenCount(session.getChatHistory().slice(0, -1), loaded.wrapper, loaded.model.tokenizer),
          evaluatedPromptTokens: sequence.tokenMeter.usedInputTokens - inputBefore + 1,
          generatedTokens: generated,
          timeToFirstTokenMs: firstToken === undefined ? null : firstToken - started,
          tokensPerSecond: generated > 0 ? (generated * 1000) / elapsed : null,
        }
        if (result.stopReason === 'maxTokens' || result.stopReason === 'abort') {
          throw new WorkstationError('DRAFT_INCOMPLETE', `${result.stopReason} after ${generated} tokens (budget ${maxTokens})`, {
            data: { generatedTokens: generated, budgetTokens: maxTokens },
          })
        }
        try {
          return { value: grammar.parse(result.responseText), text: result.responseText, timing }
        } catch {
          throw new WorkstationError('DRAFT_INCOMPLETE', 'the output does not parse as the schema')
        }
      } finally {
        this.#generating = false
        session.dispose({ disposeSequence: false })
        sequence.dispose()
      }
    }, signal)
  }

  // ── Sequences ────────────────────────────────────────────────────────────────────────────

  #requireModel(): LoadedModel {
    if (!this.#loaded) throw new WorkstationError('MODEL_NOT_LOADED')
    return this.#loaded
  }

  #requireConsultation(consultationId: string): Consultation {
    const consultation = this.#consultations.get(consultationId)
    if (!consultation) throw new WorkstationError('CONSULTATION_NOT_OPEN', consultationId)
    return consultation
  }

  #historyOf(consultation: Consultation): ChatHistoryItem[] {
    return consultation.session ? consultation.session.getChatHistory() : structuredClone(consultation.history)
  }

  /**
   * The consultation's chat session, created on a free sequence when it has none. When every
   * sequence is taken, the consultation used longest ago gives its own up (its history is kept and
   * re-evaluated when it speaks again).
   */
  #sessionFor(consultation: Consultation, loaded: LoadedModel): LlamaChatSession {
    if (consultation.session && !consultation.session.disposed) return consultation.session
    const sequence = this.#takeSequence(loaded, consultation)
    const session = new LlamaChatSession({
      contextSequence: sequence,
      chatWrapper: loaded.wrapper,
      autoDisposeSequence: false,
      contextShift: { size: (sequence) => contextShiftReserve(sequence.contextSize), strategy: keepPreambleAndWholeTurns() },
    })
    session.setChatHistory(consultation.history)
    consultation.session = session
    consultation.sequence = sequence
    return session
  }

  #takeSequence(loaded: LoadedModel, forConsultation?: Consultation): LlamaContextSequence {
    if (loaded.context.sequencesLeft === 0) {
      const idle = [...this.#consultations.values()]
        .filter((c) => c !== forConsultation && c.sequence && !c.running)
        .sort((a, b) => a.lastUsed - b.lastUsed)[0]
      if (idle) this.#releaseSequence(idle)
    }
    return loaded.context.getSequence()
  }

  #releaseSequence(consultation: Consultation): void {
    if (consultation.session && !consultation.session.disposed) {
      consultation.history = consultation.session.getChatHistory()
      consultation.session.dispose({ disposeSequence: false })
    }
    if (consultation.sequence && !consultation.sequence.disposed) consultation.sequence.dispose()
    consultation.session = undefined
    consultation.sequence = undefined
  }
}

function responseText(response: readonly unknown[]): string {
  return response.filter((part): part is string => typeof part === 'string').join('')
}

function lastModelItem(history: ChatHistoryItem[]): Extract<ChatHistoryItem, { type: 'model' }> | undefined {
  const last = history.at(-1)
  return last?.type === 'model' ? last : undefined
}

function sameHistory(a: readonly ChatHistoryItem[], b: readonly ChatHistoryItem[]): boolean {
  return a.length === b.length && JSON.stringify(a) === JSON.stringify(b)
}

function loadFailure(error: unknown): WorkstationError {
  if (error instanceof WorkstationError) return error
  return new WorkstationError('MODEL_LOAD_FAILED', error instanceof Error ? error.message : String(error), { cause: error })
}
