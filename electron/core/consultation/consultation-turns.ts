import type { ActiveModel, EngineEvent, ModelAnswer } from '../../contract/inference.ts'
import type { SamplingSettings } from '../../contract/sampling.ts'
import type { ConsultationMessage, ConsultationTurn } from '../../contract/consultation-messages.ts'
import type { Patient } from '../../contract/patients.ts'
import type { StoredRedFlag } from '../../contract/red-flags.ts'
import type { RedFlag, TriageContext } from '../../contract/triage.ts'
import { WorkstationError } from '../errors.ts'
import type { ConsultationSession, InferenceEngine } from '../inference/engine.ts'
import { AnswerCheckpointer } from '../records/answer-checkpointer.ts'
import type { RecordStore } from '../records/record-store.ts'

// A consultation turn as the clinic needs it: the patient's message is stored (one transaction)
// and triaged before the model sees it; the answer is stored as it streams (checkpointed at most
// every second) and ends with its status and timing. Regenerated answers and edited messages keep
// what they replace, marked superseded.

/** Deterministic red-flag rules (electron/core/clinical/triage): the model plays no part. */
export type PatientMessageTriage = (text: string, context: TriageContext) => RedFlag[]

interface OpenConsultation {
  session: ConsultationSession
  /** Every answer's stored row while it streams, by engine answer id. */
  streaming: Map<string, { messageId: number; checkpointer: AnswerCheckpointer }>
}

/** The model an answer comes from, as the stored answer names it (its author): engine, name and (remote) server. */
export type AnsweringModel = Pick<ActiveModel, 'name' | 'promptFormat' | 'engine' | 'server'>

/** An answer to ask for: which consultation, the window's id for it, sampling, and the model it comes from. */
interface AnswerRequest {
  consultationId: string
  answerId: string
  sampling?: SamplingSettings
  model: AnsweringModel
}

/** A patient's message and the answer to it. */
interface PatientTurnRequest extends AnswerRequest {
  text: string
  /** The patient message's red flags, stored, before the model starts: an emergency is not kept waiting behind an answer. */
  onTriaged?: (triaged: { messageId: number; redFlags: StoredRedFlag[] }) => void
}

/** What an answer still being written holds so far. */
export interface AnswerInProgress {
  consultationId: string
  answerId: string
  messageId: number
  text: string
  thinking: string
}

export class ConsultationTurns {
  readonly #store: RecordStore
  readonly #triage: PatientMessageTriage
  readonly #open = new Map<string, OpenConsultation>()
  #engine: InferenceEngine | undefined
  #unsubscribe: (() => void) | undefined

  constructor(store: RecordStore, triage: PatientMessageTriage) {
    this.#store = store
    this.#triage = triage
  }

  /** A new engine (a model loaded, a restart): open consultations reopen from the store on their next turn. */
  useEngine(engine: InferenceEngine): void {
    if (this.#engine === engine) return
    this.#unsubscribe?.()
    this.#open.clear()
    this.#engine = engine
    this.#unsubscribe = engine.onEvent((event) => this.#onEngineEvent(event))
  }

  forgetSessions(): void {
    this.#open.clear()
  }

  #onEngineEvent(event: EngineEvent): void {
    if (event.type !== 'consultation.delta') return
    const checkpointer = this.#open.get(event.consultationId)?.streaming.get(event.answerId)?.checkpointer
    try {
      checkpointer?.append(event.text, event.thinking)
    } catch {
      // A failed checkpoint (DISK_FULL) keeps the text in memory; the next delta or the finish retries.
    }
  }

  /** The consultation's engine session, reopened from its stored messages when it has none. */
  async #session(consultationId: string): Promise<OpenConsultation> {
    const open = this.#open.get(consultationId)
    if (open) return open
    if (!this.#engine) throw new WorkstationError('MODEL_NOT_LOADED')
    this.#store.consultations.get(consultationId)
    const history = this.#currentMessages(consultationId)
      .filter((message) => message.role === 'patient' || (message.text !== '' && message.status !== 'streaming'))
      .map((message) => ({ role: message.role, text: message.text }))
    const session = await this.#engine.openConsultation({ consultationId, history: alternating(history) })
    const opened: OpenConsultation = { session, streaming: new Map() }
    this.#open.set(consultationId, opened)
    return opened
  }

  #currentMessages(consultationId: string): ConsultationMessage[] {
    const messages: ConsultationMessage[] = []
    let cursor: string | undefined
    do {
      const page = this.#store.messages.list(consultationId, cursor === undefined ? { limit: 200 } : { limit: 200, cursor })
      messages.push(...page.items)
      cursor = page.nextCursor ?? undefined
    } while (cursor !== undefined)
    return messages
  }

  #triageContext(patient: Patient): TriageContext {
    const context: TriageContext = { sex: patient.sex }
    if (patient.ageYears !== null) context.ageYears = patient.ageYears
    return context
  }

  /** Stores the patient's message and its red flags in one step, before the model answers. */
  #storePatientMessage(consultationId: string, text: string, replaces?: number): { message: ConsultationMessage; redFlags: StoredRedFlag[] } {
    const consultation = this.#store.consultations.get(consultationId)
    const patient = this.#store.patients.get(consultation.patientId)
    const flags = this.#triage(text, this.#triageContext(patient))
    return this.#store.transaction('consultation.patient-message', () => {
      const message = this.#store.messages.appendPatientMessage(consultationId, text, replaces === undefined ? {} : { replaces })
      const redFlags = flags.map((flag) =>
        this.#store.redFlags.raise(message.id, { category: flag.category, level: flag.level, matchedWords: flag.matched, ruleVersion: flag.ruleSetVersion, ruleId: flag.ruleId, action: flag.action }),
      )
      return { message, redFlags }
    })
  }

  async #answer(
    consultationId: string,
    answerId: string,
    replacesAnswer: number | undefined,
    run: (session: ConsultationSession) => Promise<ModelAnswer>,
    model: AnsweringModel,
  ): Promise<{ answer: ModelAnswer; stored: ConsultationMessage }> {
    const open = await this.#session(consultationId)
    const row = this.#store.messages.startAnswer(consultationId, {
      modelName: model.name,
      promptFormat: model.promptFormat,
      engine: model.engine,
      server: model.server,
      ...(replacesAnswer === undefined ? {} : { replaces: replacesAnswer }),
    })
    const checkpointer = new AnswerCheckpointer(this.#store.messages, row.id)
    open.streaming.set(answerId, { messageId: row.id, checkpointer })
    try {
      const answer = await run(open.session)
      // The engine's final text is authoritative (o1: the final response, thinking apart). When the
      // server failed and the local model answered, that model is stored as the answer's author.
      const stored = this.#store.messages.finishAnswer(
        row.id,
        {
          text: answer.text,
          thinking: answer.thinking,
          status: answer.status,
          timing: answer.timing,
          ...(answer.error ? { errorCode: answer.error.code } : {}),
        },
        answer.fallback ? { model: answer.fallback.model, reason: answer.fallback.reason.code } : undefined,
      )
      if (answer.status === 'interrupted') this.#open.delete(consultationId)
      return { answer, stored }
    } catch (error) {
      // Whatever streamed is kept; the answer ends as an error rather than hanging as `streaming`.
      const code = error instanceof WorkstationError ? error.code : 'INTERNAL'
      this.#store.messages.finishAnswer(row.id, { text: checkpointer.text, thinking: checkpointer.thinking, status: 'error', errorCode: code })
      throw error
    } finally {
      open.streaming.delete(answerId)
    }
  }

  async send(request: PatientTurnRequest): Promise<ConsultationTurn> {
    const { consultationId, answerId } = request
    await this.#session(consultationId)
    const patient = this.#storePatientMessage(consultationId, request.text)
    request.onTriaged?.({ messageId: patient.message.id, redFlags: patient.redFlags })
    const { answer, stored } = await this.#answer(
      consultationId,
      answerId,
      undefined,
      (session) => session.send({ answerId, patientText: request.text, ...(request.sampling ? { sampling: request.sampling } : {}) }),
      request.model,
    )
    return { ...answer, patientMessageId: patient.message.id, answerMessageId: stored.id, redFlags: patient.redFlags }
  }

  async regenerate(request: AnswerRequest): Promise<ConsultationTurn> {
    const { consultationId, answerId } = request
    const last = this.#currentMessages(consultationId).at(-1)
    if (last?.role !== 'model') throw new WorkstationError('NOTHING_TO_REGENERATE')
    const { answer, stored } = await this.#answer(
      consultationId,
      answerId,
      last.id,
      (session) => session.regenerate({ answerId, ...(request.sampling ? { sampling: request.sampling } : {}) }),
      request.model,
    )
    return { ...answer, patientMessageId: null, answerMessageId: stored.id, redFlags: [] }
  }

  async edit(request: PatientTurnRequest & { patientMessageIndex: number }): Promise<ConsultationTurn> {
    const { consultationId, answerId } = request
    await this.#session(consultationId)
    const patientMessages = this.#currentMessages(consultationId).filter((message) => message.role === 'patient')
    const edited = patientMessages[request.patientMessageIndex]
    if (!edited) throw new WorkstationError('MESSAGE_NOT_FOUND', `patient message ${request.patientMessageIndex}`)
    const patient = this.#storePatientMessage(consultationId, request.text, edited.id)
    request.onTriaged?.({ messageId: patient.message.id, redFlags: patient.redFlags })
    const { answer, stored } = await this.#answer(
      consultationId,
      answerId,
      undefined,
      (session) =>
        session.editPatientMessage({
          answerId,
          patientMessageIndex: request.patientMessageIndex,
          patientText: request.text,
          ...(request.sampling ? { sampling: request.sampling } : {}),
        }),
      request.model,
    )
    return { ...answer, patientMessageId: patient.message.id, answerMessageId: stored.id, redFlags: patient.redFlags }
  }

  /** Every answer being written now, with its text so far (a window that was locked catches up from here). */
  answersInProgress(): AnswerInProgress[] {
    return [...this.#open].flatMap(([consultationId, open]) =>
      [...open.streaming].map(([answerId, { messageId, checkpointer }]) => ({
        consultationId,
        answerId,
        messageId,
        text: checkpointer.text,
        thinking: checkpointer.thinking,
      })),
    )
  }

  async stop(consultationId: string): Promise<void> {
    await this.#open.get(consultationId)?.session.stop()
  }

  async close(consultationId: string): Promise<void> {
    const open = this.#open.get(consultationId)
    this.#open.delete(consultationId)
    await open?.session.close()
  }
}

/**
 * The engine takes a history that alternates patient and model and starts with the patient; stored
 * histories can hold a patient message whose answer failed. Such a message is merged with the next
 * one; one left unanswered at the end stays in the record but is not sent to the model again.
 */
function alternating(history: { role: 'patient' | 'model'; text: string }[]): { role: 'patient' | 'model'; text: string }[] {
  const result: { role: 'patient' | 'model'; text: string }[] = []
  for (const turn of history) {
    const previous = result.at(-1)
    if (previous && previous.role === turn.role) previous.text = `${previous.text}\n${turn.text}`
    else if (!(result.length === 0 && turn.role === 'model')) result.push({ ...turn })
  }
  if (result.at(-1)?.role === 'patient') result.pop()
  return result
}
