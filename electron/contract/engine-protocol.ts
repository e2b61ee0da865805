// The typed message protocol between the workstation and its engine process. The same messages
// travel over Electron's utilityProcess port and over child_process IPC (the host and the CLI).
// The engine process validates every request with these schemas before acting on it.
import { z } from 'zod'
import type { WorkstationErrorPayload } from './errors.ts'
import {
  generationPriorities,
  promptFormatIds,
  type ConsultationTurnText,
  type EngineEvent,
  type EngineProcessStatus,
  type LoadedModelStatus,
  type ModelAnswer,
  type AnswerTiming,
} from './inference.ts'
import { samplingSchema } from './sampling.ts'

// The sampling fields as numbers; their bounds are checked in the engine (SAMPLING_INVALID, with the field named).
const sampling = z.partialRecord(samplingSchema.keyof(), z.number())

const turn = z.object({ role: z.enum(['patient', 'model']), text: z.string() }).strict()
const id = z.string().min(1).max(200)

export const engineRequestSchemas = {
  load: z
    .object({
      modelPath: z.string().min(1),
      promptFormat: z.enum(promptFormatIds).optional(),
      contextSize: z.number().int().min(64).optional(),
      sequences: z.number().int().min(1).max(64).optional(),
      gpuLayers: z.union([z.literal('auto'), z.number().int().min(0)]).optional(),
      threads: z.number().int().min(1).max(1024).optional(),
    })
    .strict(),
  unload: z.object({}).strict(),
  status: z.object({}).strict(),
  openConsultation: z.object({ consultationId: id, history: z.array(turn) }).strict(),
  closeConsultation: z.object({ consultationId: id }).strict(),
  history: z.object({ consultationId: id }).strict(),
  send: z
    .object({
      consultationId: id,
      answerId: id,
      patientText: z.string(),
      sampling: sampling.optional(),
      priority: z.enum(generationPriorities).optional(),
    })
    .strict(),
  regenerate: z.object({ consultationId: id, answerId: id, sampling: sampling.optional() }).strict(),
  editPatientMessage: z
    .object({
      consultationId: id,
      answerId: id,
      patientMessageIndex: z.number().int().min(0),
      patientText: z.string(),
      sampling: sampling.optional(),
    })
    .strict(),
  stop: z.object({ consultationId: id }).strict(),
  /** Withdraws a request still waiting its turn, or stops it if it is running. */
  cancel: z.object({ requestId: z.number().int() }).strict(),
  generateStructured: z
    .object({ instruction: z.string(), jsonSchema: z.record(z.string(), z.unknown()), sampling: sampling.optional(), requestKey: id.optional() })
    .strict(),
} as const

export type EngineMethod = keyof typeof engineRequestSchemas
export type EngineParams<M extends EngineMethod> = z.infer<(typeof engineRequestSchemas)[M]>

export interface EngineResults {
  load: LoadedModelStatus
  unload: null
  status: EngineProcessStatus
  openConsultation: null
  closeConsultation: null
  history: ConsultationTurnText[]
  send: ModelAnswer
  regenerate: ModelAnswer
  editPatientMessage: ModelAnswer
  stop: null
  cancel: null
  generateStructured: { value: unknown; text: string; timing: AnswerTiming }
}

export interface EngineRequestMessage<M extends EngineMethod = EngineMethod> {
  kind: 'request'
  id: number
  method: M
  params: EngineParams<M>
}

export type EngineResponseMessage =
  | { kind: 'response'; id: number; ok: true; result: unknown }
  | { kind: 'response'; id: number; ok: false; error: WorkstationErrorPayload }

export interface EngineEventMessage {
  kind: 'event'
  event: EngineEvent
}

/** Sent once by the engine process when it is ready to take requests. */
export interface EngineReadyMessage {
  kind: 'ready'
  pid: number
}

export type EngineOutgoingMessage = EngineResponseMessage | EngineEventMessage | EngineReadyMessage

export function isEngineMethod(value: unknown): value is EngineMethod {
  return typeof value === 'string' && Object.hasOwn(engineRequestSchemas, value)
}
