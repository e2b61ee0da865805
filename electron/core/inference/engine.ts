import type {
  AnswerTiming,
  ConsultationTurnText,
  EngineEvent,
  EngineProcessStatus,
  GenerationPriority,
  LoadedModelStatus,
  ModelAnswer,
  ModelLoadRequest,
} from '../../contract/inference.ts'
import type { SamplingSettings } from '../../contract/sampling.ts'

/**
 * The one interface the workstation uses for inference. The local node-llama-cpp engine (run in
 * its own process) implements it, and so will a remote engine on a hospital server; nothing else
 * is written against a concrete engine.
 *
 * Failures reject with a WorkstationError: MODEL_* on load (MODEL_TOO_LARGE names the largest
 * context that fits), CONTEXT_FULL when a single message cannot fit, REQUEST_CANCELLED when a caller
 * withdrew a request still waiting its turn. When the engine process dies the answer in progress
 * resolves as `interrupted` with MODEL_CRASHED, and later calls reject with MODEL_CRASHED until
 * `restart()`.
 *
 * One generation runs at a time per loaded model; other requests wait in order (never interleaved).
 */
export interface InferenceEngine {
  load(request: ModelLoadRequest): Promise<LoadedModelStatus>
  unload(): Promise<void>
  status(): Promise<EngineProcessStatus>

  /** Starts a fresh engine (process) after a crash, and reloads the model that was loaded. */
  restart(): Promise<EngineProcessStatus>

  /**
   * Opens a consultation session. `history` is what was said before (for a consultation reopened
   * from the record store); the session keeps its KV cache between turns while it stays open.
   */
  openConsultation(request: { consultationId: string; history: ConsultationTurnText[] }): Promise<ConsultationSession>

  /**
   * Generation constrained by a JSON schema (outpatient record drafts): the answer parses or the
   * result says it is incomplete.
   */
  generateStructured(request: StructuredGenerationRequest): Promise<StructuredGenerationResult>

  /** Subscribes to progress, deltas and crashes; returns the unsubscribe function. */
  onEvent(listener: (event: EngineEvent) => void): () => void

  /** Ends the engine (and its process) for good. */
  dispose(): Promise<void>
}

export interface ConsultationSession {
  readonly consultationId: string

  /**
   * Sends a patient message and streams the model's answer as `consultation.delta` events.
   * Aborting `signal` withdraws a request still waiting (REQUEST_CANCELLED) or stops a running one.
   * `priority: 'background'` (an evaluation run) lets any consultation turn waiting go first.
   */
  send(request: {
    answerId: string
    patientText: string
    sampling?: SamplingSettings
    signal?: AbortSignal
    priority?: GenerationPriority
  }): Promise<ModelAnswer>

  /** Stops the answer being generated; the partial answer is kept with status `stopped`. */
  stop(): Promise<void>

  /** Replaces the last model answer with a new one. */
  regenerate(request: { answerId: string; sampling?: SamplingSettings; signal?: AbortSignal }): Promise<ModelAnswer>

  /**
   * Replaces the patient message at `patientMessageIndex` (0-based among patient messages), drops
   * everything after it, and answers the edited message.
   */
  editPatientMessage(request: {
    answerId: string
    patientMessageIndex: number
    patientText: string
    sampling?: SamplingSettings
    signal?: AbortSignal
  }): Promise<ModelAnswer>

  /** The history as the session holds it now (final texts only). */
  history(): Promise<ConsultationTurnText[]>

  /** Frees the session's sequence and KV cache. */
  close(): Promise<void>
}

export interface StructuredGenerationRequest {
  /** The instruction and consultation text, as a single patient turn in the model's format. */
  instruction: string
  /**
   * A JSON schema in the subset node-llama-cpp's grammar supports. Every string has a `maxLength`
   * and every array a `maxItems` (else SCHEMA_UNBOUNDED): the token budget follows from them.
   */
  jsonSchema: object
  sampling?: SamplingSettings
  signal?: AbortSignal
  /** Called as the output grows (coalesced, never per token), e.g. to show drafting progress. */
  onProgress?: (progress: StructuredGenerationProgress) => void
}

export interface StructuredGenerationProgress {
  /** The output so far (JSON, incomplete until the end). */
  text: string
  generatedTokens: number
  budgetTokens: number
}

/** Output cut off by the budget or a stop rejects with DRAFT_INCOMPLETE; nothing is patched up. */
export interface StructuredGenerationResult {
  value: unknown
  text: string
  timing: AnswerTiming
}
