import { defineStore } from 'pinia'
import type { WorkstationEvent } from '../../../electron/contract/channels.ts'
import type { AnswerStatus, AnswerTiming } from '../../../electron/contract/inference.ts'
import type { StoredRedFlag } from '../../../electron/contract/records.ts'
import { workstationClient } from '../api/connect.ts'
import { failureOf, type Failure } from './failure.ts'

export type MessageStatus = AnswerStatus | 'streaming'

export interface ConsultationMessage {
  /** The answer id for the model's messages; a local id for the patient's. */
  id: string
  role: 'patient' | 'model'
  text: string
  thinking: string
  status: MessageStatus
  timing: AnswerTiming | null
}

function messageById(messages: ConsultationMessage[], id: string): ConsultationMessage | undefined {
  return messages.find((message) => message.id === id)
}

// One consultation with the loaded model: the patient's messages and the model's streamed answers.
export const useConsultationStore = defineStore('consultation', {
  state: () => ({
    consultationId: null as string | null,
    messages: [] as ConsultationMessage[],
    /** The answer being written, if any. */
    answering: null as string | null,
    /** Red flags raised by triage on this consultation's patient messages, newest first. */
    redFlags: [] as StoredRedFlag[],
    failure: null as Failure | null,
  }),
  actions: {
    async open() {
      this.failure = null
      try {
        const { consultationId } = await workstationClient().request('consultation.open', {})
        this.consultationId = consultationId
        this.messages = []
        this.redFlags = []
      } catch (error) {
        this.failure = failureOf(error)
      }
    },

    /** Loading another model ends every open consultation in the engine. */
    reset() {
      this.consultationId = null
      this.messages = []
      this.redFlags = []
      this.answering = null
    },

    async send(text: string) {
      const consultationId = this.consultationId
      if (consultationId === null || this.answering !== null || text.trim() === '') return
      this.failure = null
      const answerId = crypto.randomUUID()
      this.messages.push({ id: crypto.randomUUID(), role: 'patient', text, thinking: '', status: 'complete', timing: null })
      this.messages.push({ id: answerId, role: 'model', text: '', thinking: '', status: 'streaming', timing: null })
      this.answering = answerId
      try {
        const answer = await workstationClient().request('consultation.send', { consultationId, answerId, text })
        this.redFlags.unshift(...answer.redFlags)
        const message = messageById(this.messages, answerId)
        if (message) {
          // The final text replaces the streamed one: they agree, and the final one is authoritative.
          message.text = answer.text
          message.thinking = answer.thinking
          message.status = answer.status
          message.timing = answer.timing
        }
        if (answer.error) this.failure = { code: answer.error.code, detail: answer.error.detail }
      } catch (error) {
        const message = messageById(this.messages, answerId)
        if (message) message.status = 'error'
        this.failure = failureOf(error)
      } finally {
        this.answering = null
      }
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
      if (event.type !== 'consultation.delta' || event.consultationId !== this.consultationId) return
      const message = messageById(this.messages, event.answerId)
      if (message?.status !== 'streaming') return
      message.text += event.text
      message.thinking += event.thinking
    },
  },
})
