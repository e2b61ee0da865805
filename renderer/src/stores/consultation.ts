import { defineStore } from 'pinia'
import type { WorkstationEvent } from '../../../electron/contract/channels.ts'
import type { ClinicianSession } from '../../../electron/contract/clinicians.ts'
import type { ActiveModel, AnswerTiming, ModelAnswer } from '../../../electron/contract/inference.ts'
import type { AnswerAuthor, ConsultationMessage, ConsultationTurn, MessageStatus } from '../../../electron/contract/consultation-messages.ts'
import type { ClinicianNote } from '../../../electron/contract/clinician-notes.ts'
import type { StoredRedFlag } from '../../../electron/contract/red-flags.ts'
import type { ConsultationView } from '../../../electron/contract/consultations.ts'
import type { Patient, PatientHeaderUpdate } from '../../../electron/contract/patients.ts'
import type { OutpatientRecordStatus } from '../../../electron/contract/record-versions.ts'
import { workstationClient } from '../api/connect.ts'
import { failureOf, type Failure } from './failure.ts'
import { useModelStore } from './model.ts'

/**
 * A message as the page shows it: the record's message (its text, status and timing as the contract
 * types them) under the id the window follows it by while it streams.
 */
export interface ShownMessage extends Pick<ConsultationMessage, 'role' | 'text' | 'status'> {
  /** The answer id for the model's messages; a local id for the patient's. */
  id: string
  thinking: string
  timing: AnswerTiming | null
  /** The record's own id of the message, once known (after a reload). */
  storedId: number | null
  /** A regenerated answer took its place: it stays in the record, shown as replaced. */
  superseded?: boolean
  /**
   * Who wrote an answer (engine, model, server; the server's failure when the local model stood in):
   * as stored, or as the engine status and the turn's result said while it was written. Null when unknown.
   */
  author?: AnswerAuthor | null
}

/** An answer heard of (snapshot, deltas, its end) before the consultation it belongs to was reloaded. */
interface HeldAnswer {
  messageId: number
  text: string
  thinking: string
  status: MessageStatus
  timing: AnswerTiming | null
}

function shown(message: ConsultationMessage): ShownMessage {
  return {
    id: `stored-${message.id}`,
    role: message.role,
    text: message.text,
    thinking: message.role === 'model' ? message.thinking : '',
    status: message.status,
    timing: message.role === 'model' ? message.timing : null,
    storedId: message.id,
    // Answers stored before the engine was recorded have none.
    author: message.role === 'model' ? (message.author ?? null) : null,
  }
}

/** Who writes an answer asked for now: the model consultations use, on this machine or the hospital server. */
function authorOf(model: ActiveModel | null): AnswerAuthor | null {
  return model ? { engine: model.engine, model: model.name, server: model.server, fallbackFrom: null } : null
}

/** The turn's word on who answered: the local model standing in for the server, with the server's failure (as the record stores it). */
function finalAuthor(answer: ModelAnswer, before: AnswerAuthor | null): AnswerAuthor | null {
  if (!answer.fallback) return before
  return { engine: answer.fallback.model.engine, model: answer.fallback.model.name, server: answer.fallback.model.server, fallbackFrom: answer.fallback.reason.code }
}

function messageById(messages: ShownMessage[], id: string): ShownMessage | undefined {
  return messages.find((message) => message.id === id)
}

// One consultation with the loaded model: the patient's messages and the model's streamed answers.
// Patient data is held only while a clinician's session is unlocked: lock, sign-out and a switch of
// user empty the store. After the same clinician unlocks, the consultation is read again from the
// record, and an answer still being written continues from the snapshot core sends first.
export const useConsultationStore = defineStore('consultation', {
  state: () => ({
    consultationId: null as string | null,
    messages: [] as ShownMessage[],
    /** The answer being written, if any. */
    answering: null as string | null,
    /** Red flags raised by triage on this consultation's patient messages, newest first. */
    redFlags: [] as StoredRedFlag[],
    failure: null as Failure | null,
    /** Who the consultation was kept for across a lock (its id only: no patient text). */
    keptFor: null as string | null,
    /** Bumped on every clearing: an answer to a request made before it is not shown. */
    epoch: 0,
    held: {} as Record<string, HeldAnswer>,
    /** The clinician's note on this consultation (never sent to the model); each save a version. */
    note: { id: null as number | null, text: '', saved: '', saving: false },
    /** The patient header: who is being seen, and in which department. */
    patient: null as Patient | null,
    department: '',
    header: { saving: false, linkedTo: null as string | null },
    /** Its outpatient record, when one was started: which version, in what status. */
    record: null as { recordId: number; version: number; status: OutpatientRecordStatus } | null,
  }),
  actions: {
    /** Starts a new consultation, or reopens a stored one with its messages and red flags. */
    async open(consultationId?: string) {
      this.failure = null
      const epoch = ++this.epoch
      try {
        const view = await workstationClient().request('consultation.open', consultationId ? { consultationId } : {})
        if (epoch !== this.epoch) return
        this.consultationId = view.consultationId
        this.answering = null
        this.held = {}
        this.showView(view)
      } catch (error) {
        if (epoch === this.epoch) this.failure = failureOf(error)
      }
    },

    /** What opening a consultation brought: its messages, red flags, note and patient header. */
    showView(view: ConsultationView) {
      this.messages = view.messages.items.filter((message) => message.supersededAt === null).map(shown)
      this.redFlags = [...view.redFlags].sort((a, b) => b.id - a.id)
      this.showNote(view.notes)
      this.patient = view.patient
      this.department = view.consultation.department
      this.header = { saving: false, linkedTo: null }
      this.record = view.record ? { recordId: view.record.recordId, version: view.record.version, status: view.record.status } : null
    },

    /** The patient header corrected during the consultation; only the fields given change. */
    async updatePatient(changes: Omit<PatientHeaderUpdate, 'consultationId'>) {
      const consultationId = this.consultationId
      if (consultationId === null) return
      const epoch = this.epoch
      this.header.saving = true
      try {
        const updated = await workstationClient().request('patient.update', { consultationId, ...changes })
        if (epoch !== this.epoch || consultationId !== this.consultationId) return
        this.patient = updated.patient
        this.department = updated.consultation.department
        this.header.linkedTo = updated.linkedToRegistered ? updated.patient.clinicNumber : null
      } catch (error) {
        if (epoch === this.epoch) this.failure = failureOf(error)
      } finally {
        if (epoch === this.epoch) this.header.saving = false
      }
    },

    /** The newest note of the consultation, as the note field shows it. */
    showNote(notes: readonly ClinicianNote[]) {
      const newest = [...notes].sort((a, b) => b.id - a.id)[0]
      this.note = { id: newest?.id ?? null, text: newest?.text ?? '', saved: newest?.text ?? '', saving: false }
    },

    /** Saves the note as typed (a new note, then versions of it); nothing when unchanged or empty. */
    async saveNote() {
      const consultationId = this.consultationId
      const text = this.note.text
      if (consultationId === null || this.note.saving || text.trim() === '' || text === this.note.saved) return
      this.note.saving = true
      const epoch = this.epoch
      try {
        const saved = this.note.id === null ? await workstationClient().request('note.add', { consultationId, text }) : await workstationClient().request('note.edit', { noteId: this.note.id, text })
        if (epoch !== this.epoch) return
        this.note.id = saved.id
        this.note.saved = saved.text
      } catch (error) {
        if (epoch === this.epoch) this.failure = failureOf(error)
      } finally {
        if (epoch === this.epoch) this.note.saving = false
      }
      // Typed on while it was saved: save that too.
      if (epoch === this.epoch && this.note.text !== this.note.saved) await this.saveNote()
    },

    /** Loading another model ends every open consultation in the engine. */
    reset() {
      this.consultationId = null
      this.messages = []
      this.redFlags = []
      this.answering = null
      this.note = { id: null, text: '', saved: '', saving: false }
      this.patient = null
      this.department = ''
      this.record = null
    },

    async send(text: string) {
      const consultationId = this.consultationId
      if (consultationId === null || this.answering !== null || text.trim() === '') return
      this.messages.push({ id: crypto.randomUUID(), role: 'patient', text, thinking: '', status: 'complete', timing: null, storedId: null })
      await this.answer((answerId) => workstationClient().request('consultation.send', { consultationId, answerId, text }))
    },

    /** The last answer written again; the one it replaces stays, marked. */
    async regenerate() {
      const consultationId = this.consultationId
      const last = this.messages.at(-1)
      if (consultationId === null || this.answering !== null || last?.role !== 'model' || last.status === 'streaming') return
      last.superseded = true
      await this.answer((answerId) => workstationClient().request('consultation.regenerate', { consultationId, answerId }))
    },

    /**
     * An earlier patient message said again differently: it and everything after it are replaced (kept
     * in the record, shown as replaced), and the consultation goes on from the new words.
     */
    async editPatientMessage(messageId: string, text: string) {
      const consultationId = this.consultationId
      if (consultationId === null || this.answering !== null || text.trim() === '') return
      const current = this.messages.filter((message) => !message.superseded)
      const at = current.findIndex((message) => message.id === messageId)
      if (at < 0 || current[at]!.role !== 'patient') return
      const patientMessageIndex = current.slice(0, at).filter((message) => message.role === 'patient').length
      for (const message of current.slice(at)) message.superseded = true
      this.messages.push({ id: crypto.randomUUID(), role: 'patient', text, thinking: '', status: 'complete', timing: null, storedId: null })
      await this.answer((answerId) => workstationClient().request('consultation.edit', { consultationId, answerId, patientMessageIndex, text }))
    },

    /** A new answer, streamed into its own message until the workstation's final word on it. */
    async answer(ask: (answerId: string) => Promise<ConsultationTurn>) {
      this.failure = null
      const answerId = crypto.randomUUID()
      const author = authorOf(useModelStore().status.model)
      this.messages.push({ id: answerId, role: 'model', text: '', thinking: '', status: 'streaming', timing: null, storedId: null, author })
      this.answering = answerId
      const epoch = this.epoch
      try {
        const answer = await ask(answerId)
        // The page was emptied meanwhile (lock, sign-out): events carry the answer from here.
        if (epoch !== this.epoch) return
        this.addRedFlags(answer.redFlags)
        const message = messageById(this.messages, answerId)
        if (message) {
          // The final text replaces the streamed one: they agree, and the final one is authoritative.
          message.text = answer.text
          message.thinking = answer.thinking
          message.status = answer.status
          message.timing = answer.timing
          message.author = finalAuthor(answer, author)
        }
        if (answer.error) this.failure = { code: answer.error.code, detail: answer.error.detail }
      } catch (error) {
        if (epoch !== this.epoch) return
        const message = messageById(this.messages, answerId)
        if (message) message.status = 'error'
        this.failure = failureOf(error)
      } finally {
        if (epoch === this.epoch && this.answering === answerId) this.answering = null
      }
    },

    /** Drops every piece of patient data; keeps only the consultation's id across a lock. */
    clear(keepConsultationFor: string | null) {
      this.epoch += 1
      this.keptFor = keepConsultationFor
      if (keepConsultationFor === null) this.consultationId = null
      this.messages = []
      this.redFlags = []
      this.answering = null
      this.failure = null
      this.held = {}
      this.note = { id: null, text: '', saved: '', saving: false }
      this.patient = null
      this.department = ''
      this.header = { saving: false, linkedTo: null }
      this.record = null
    },

    /** A lock empties the page; the same clinician's unlock reads it back; anyone else starts afresh. */
    followSession(previous: ClinicianSession | null, next: ClinicianSession) {
      const previousClinician = previous && previous.state !== 'signed-out' ? previous.clinician.staffId : null
      if (next.state === 'locked') {
        if (previous?.state !== 'locked') this.clear(next.clinician.staffId === previousClinician ? next.clinician.staffId : null)
      } else if (next.state === 'signed-out') {
        this.clear(null)
      } else if (this.keptFor !== null) {
        if (this.keptFor === next.clinician.staffId) void this.reload()
        else this.clear(null)
      } else if (previousClinician !== null && previousClinician !== next.clinician.staffId) {
        this.clear(null)
      }
    },

    /** Reads the kept consultation back from the record after an unlock. */
    async reload() {
      const consultationId = this.consultationId
      this.keptFor = null
      if (consultationId === null) return
      const epoch = this.epoch
      try {
        const view = await workstationClient().request('consultation.open', { consultationId })
        if (epoch !== this.epoch) return
        this.showView(view)
        for (const [answerId, held] of Object.entries(this.held)) this.applyHeld(answerId, held)
        this.held = {}
      } catch (error) {
        if (epoch === this.epoch) this.failure = failureOf(error)
      }
    },

    /** Puts what was heard of an answer onto its message (by answer id, or the record's message id). */
    applyHeld(answerId: string, held: HeldAnswer) {
      const message = this.messages.find((candidate) => candidate.id === answerId || candidate.storedId === held.messageId)
      if (!message) return
      Object.assign(message, { id: answerId, text: held.text, thinking: held.thinking, status: held.status, timing: held.timing })
      if (held.status === 'streaming') this.answering = answerId
      else if (this.answering === answerId) this.answering = null
    },

    /** Flags raised on a patient message, newest first; each once (they arrive before the answer and with it). */
    addRedFlags(flags: StoredRedFlag[]) {
      const known = new Set(this.redFlags.map((flag) => flag.id))
      this.redFlags.unshift(...flags.filter((flag) => !known.has(flag.id)))
    },

    /** The clinician has seen the flag (audited under their name). */
    async acknowledge(flagId: number) {
      try {
        const acknowledged = await workstationClient().request('redflag.acknowledge', { flagId })
        this.redFlags = this.redFlags.map((flag) => (flag.id === flagId ? acknowledged : flag))
      } catch (error) {
        this.failure = failureOf(error)
      }
    },

    async stop() {
      if (this.consultationId === null || this.answering === null) return
      try {
        await workstationClient().request('consultation.stop', { consultationId: this.consultationId })
      } catch (error) {
        this.failure = failureOf(error)
      }
    },

    handleEvent(event: WorkstationEvent) {
      // Loading a model ends every open consultation in the engine.
      if (event.type === 'model.changed' && event.status.state === 'loading') return this.reset()
      // The patient's red flags, as soon as triage has stored them: before the answer, not after it.
      if (event.type === 'consultation.red-flags') {
        if (event.consultationId === this.consultationId) this.addRedFlags(event.redFlags)
        return
      }
      if (event.type !== 'consultation.delta' && event.type !== 'consultation.snapshot' && event.type !== 'consultation.answer-finished') return
      if (event.consultationId !== this.consultationId) return
      const held = this.held[event.answerId]
      const message = messageById(this.messages, event.answerId) ?? (event.type === 'consultation.delta' ? undefined : this.messages.find((m) => m.storedId === event.messageId))
      if (event.type === 'consultation.delta') {
        const target = message?.status === 'streaming' ? message : held?.status === 'streaming' ? held : undefined
        if (!target) return
        target.text += event.text
        target.thinking += event.thinking
        return
      }
      const status: MessageStatus = event.type === 'consultation.snapshot' ? 'streaming' : event.status
      const timing = event.type === 'consultation.answer-finished' ? event.timing : null
      const update: HeldAnswer = { messageId: event.messageId, text: event.text, thinking: event.thinking, status, timing }
      // Before the reload has brought the message back: held until it has.
      if (!message) this.held[event.answerId] = update
      else this.applyHeld(event.answerId, update)
    },
  },
})
