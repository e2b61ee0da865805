// What crosses a process boundary about inference: the engine process, the main process and the
// renderer all speak these shapes. Plain data only (structured-clone and JSON safe).
import type { WorkstationErrorPayload } from './errors.ts'
import type { EngineKind, RemoteApiStyle } from './remote-engine.ts'

export const promptFormatIds = ['huatuo-v1', 'huatuo-ii', 'gguf-template', 'chatml', 'llama3'] as const
export type PromptFormatId = (typeof promptFormatIds)[number]

/**
 * Who waits for whom at the model: a consultation turn goes before any `background` request (an
 * evaluation run's item) still waiting, even one queued earlier.
 */
export const generationPriorities = ['consultation', 'background'] as const
export type GenerationPriority = (typeof generationPriorities)[number]

/** Where a model runs: a GPU API or the CPU of this machine, or the hospital inference server (`remote`). */
export type InferenceBackend = 'cuda' | 'metal' | 'vulkan' | 'cpu' | 'remote'

export interface ModelLoadRequest {
  modelPath: string
  /** Per-model override of the detected prompt format. */
  promptFormat?: PromptFormatId
  /** Tokens per consultation (node-llama-cpp counts context size per sequence). */
  contextSize?: number
  /** How many consultations may hold a KV cache at once. */
  sequences?: number
  /** 'auto' offloads as many layers as fit; 0 keeps everything on the CPU. */
  gpuLayers?: 'auto' | number
  threads?: number
}

export interface LoadedModelStatus {
  modelPath: string
  /** Seconds the load took, from the request to a usable context. */
  loadSeconds: number
  name: string
  promptFormat: PromptFormatId
  contextSize: number
  sequences: number
  backend: InferenceBackend
  deviceNames: string[]
  gpuLayers: number
  totalLayers: number
  threads: number
  freeRamBytes: number
  freeVramBytes: number
}

export type EngineState = 'idle' | 'loading' | 'ready' | 'generating' | 'crashed'

/** What an engine process reports of itself (the engine protocol; the workstation's own view is EngineStatus). */
export interface EngineProcessStatus {
  state: EngineState
  model: LoadedModelStatus | null
  /** Set after a GPU failure made the engine carry on on the CPU. */
  gpuFallbackReason?: string
  /** The engine process, for IT's diagnostics (task manager, logs). */
  enginePid?: number
}

/** The model answering now, whichever engine runs it: what a record names as its author's tool. */
export interface ActiveModel {
  name: string
  promptFormat: PromptFormatId
  contextSize: number
  /** The model's entry in the library, when it came from there. */
  libraryId: string | null
  sha256: string | null
  quantization: string | null
  /** Which engine runs it: a model on this workstation, or one on the hospital inference server. */
  engine: EngineKind
  /** The hospital inference server's address for a remote model (a remote model has no file hash); null locally. */
  server: string | null
}

/** A local engine's own facts: the file, the backend and where its layers run (the model's identity apart). */
export interface LocalEngineDetails extends Omit<LoadedModelStatus, 'name' | 'promptFormat' | 'contextSize'> {
  /** Set after a GPU failure made the engine carry on on the CPU. */
  gpuFallbackReason?: string
  /** The engine process, for IT's diagnostics (task manager, logs). */
  enginePid?: number
}

/** The configured server as the window may see it: no key, no CA, no credentials in the URL. */
export interface RemoteEngineView {
  /** The server's address without user, password, query or fragment. */
  url: string
  api: RemoteApiStyle
  model: string
  /** How prompts are written: HuatuoGPT v1/II as exact text, chat-template models as messages. */
  promptFormat: PromptFormatId
  /** What the server says its context holds (null before it was asked, or where it does not say). */
  contextSize: number | null
  /** Whether an answer the server cannot give is given by the local model instead (hospital configuration). */
  fallbackToLocal: boolean
}

/**
 * The workstation's engine as the window shows it. `engine` is the one consultations use (the
 * administrator's choice when the hospital configured a server); `model` the model it answers with.
 */
export interface EngineStatus {
  state: EngineState
  engine: EngineKind
  model: ActiveModel | null
  /** The local engine's details (also when it stands by as the fallback); null before a local model is loaded. */
  local: LocalEngineDetails | null
  /** The hospital inference server the configuration names; null when there is none. */
  remote: RemoteEngineView | null
  /** The local model loaded beside a remote engine, which answers when the server cannot (when the configuration allows). */
  fallbackModel: ActiveModel | null
}

export type ConsultationMessageRole = 'patient' | 'model'

/** One message of a consultation's history as the engine needs it: final text only. */
export interface ConsultationTurnText {
  role: ConsultationMessageRole
  text: string
}

export type AnswerStatus = 'complete' | 'stopped' | 'interrupted' | 'error'

/**
 * Why an answer ended: the model's end token (or its format's stop text), a clinician's stop, the
 * token limit, an error, or the engine process dying.
 */
export type AnswerEndReason = 'end-token' | 'stopped' | 'length' | 'error' | 'crashed'

export interface AnswerTiming {
  /** Tokens of the prompt the model answered (history window + this message). */
  promptTokens: number
  /** Of those, the tokens evaluated for this answer: the rest came from the KV cache. */
  evaluatedPromptTokens: number
  generatedTokens: number
  timeToFirstTokenMs: number | null
  tokensPerSecond: number | null
}

export interface ModelAnswer {
  answerId: string
  /** What the patient sees and what later turns receive (for o1: the final response only). */
  text: string
  /** HuatuoGPT-o1's reasoning, shown collapsed; never sent back as history. */
  thinking: string
  status: AnswerStatus
  endReason: AnswerEndReason
  timing: AnswerTiming
  /** Set when status is `error` or `interrupted` (e.g. MODEL_CRASHED). */
  error?: WorkstationErrorPayload
  /**
   * Set when the hospital inference server could not answer and the local model did instead:
   * why (the server's failure) and which model answered. Shown to the clinician with the answer.
   */
  fallback?: { reason: WorkstationErrorPayload; model: ActiveModel }
}

/** Pushed while the engine works. Text deltas are coalesced (~30 ms or N tokens), never per token. */
export type EngineEvent =
  | { type: 'model.progress'; modelPath: string; loadedFraction: number }
  | { type: 'model.gpu-fallback'; code: 'GPU_FALLBACK'; reason: string }
  | { type: 'consultation.delta'; consultationId: string; answerId: string; text: string; thinking: string }
  /** Constrained generation (a record draft) as it grows; `requestKey` names the request that asked for it. */
  | { type: 'structured.delta'; requestKey: string; text: string; generatedTokens: number; budgetTokens: number }
  | { type: 'engine.crashed'; error: WorkstationErrorPayload }
