// The messages of a consultation as stored: the patient's words and the model's answers, one row each.
import type { ErrorCode } from './errors.ts'
import type { AnswerStatus, AnswerTiming, ModelAnswer } from './inference.ts'
import type { EngineKind } from './remote-engine.ts'
import type { StoredRedFlag } from './red-flags.ts'

/** `streaming` only while an answer is being generated; reopening the store turns it into `interrupted`. */
export type MessageStatus = AnswerStatus | 'streaming'

interface StoredMessageBase {
  id: number
  consultationId: string
  /** Order within the consultation, from 1. */
  seq: number
  text: string
  status: MessageStatus
  createdAt: string
  /** Set when a later message (an edit or a regenerated answer) took this one's place. */
  supersededAt: string | null
  replacesMessageId: number | null
}

export interface PatientMessage extends StoredMessageBase {
  role: 'patient'
}

export interface StoredAnswer extends StoredMessageBase {
  role: 'model'
  /** HuatuoGPT-o1's reasoning, kept apart from the answer. */
  thinking: string
  timing: AnswerTiming | null
  errorCode: ErrorCode | null
  /** The last checkpoint while streaming; the end afterwards. */
  updatedAt: string
  finishedAt: string | null
  /**
   * Which engine and model wrote this answer (null for answers stored before schema 9): the local
   * engine with a model file, or the hospital inference server (its address) with its model name.
   */
  author: AnswerAuthor | null
}

/** Who wrote an answer: engine, model and (remote) server; `fallbackFrom` when the local model stood in for the server. */
export interface AnswerAuthor {
  engine: EngineKind
  model: string
  server: string | null
  /** The server's failure that made the local model answer instead (a stable code). */
  fallbackFrom: ErrorCode | null
}

export type ConsultationMessage = PatientMessage | StoredAnswer

export interface AnswerOutcome {
  text: string
  thinking?: string
  status: AnswerStatus
  timing?: AnswerTiming
  errorCode?: ErrorCode
}

/** An answer as stored: the model's answer, the stored message ids, and the patient message's red flags. */
export interface ConsultationTurn extends ModelAnswer {
  patientMessageId: number | null
  answerMessageId: number
  redFlags: StoredRedFlag[]
}
