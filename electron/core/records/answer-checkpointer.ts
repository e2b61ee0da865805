import type { AnswerOutcome, ConsultationMessage } from '../../contract/consultation-messages.ts'
import type { ConsultationMessages } from './consultation-messages.ts'
import { systemClock, type Clock } from './record-time.ts'

/** How stale the stored text of a streaming answer may get: what a crash can lose at most. */
export const checkpointIntervalMs = 1000

/**
 * Receives an answer's streamed text and stores it at most once per interval: a write per token
 * would turn every token into an fsync. After a crash the answer keeps the text of its last
 * checkpoint, marked interrupted.
 */
export class AnswerCheckpointer {
  readonly messageId: number
  private readonly messages: ConsultationMessages
  private readonly intervalMs: number
  private readonly now: Clock
  private answer = ''
  private reasoning = ''
  private lastWrite: number
  private written = 0

  constructor(messages: ConsultationMessages, messageId: number, options: { intervalMs?: number; now?: Clock } = {}) {
    this.messages = messages
    this.messageId = messageId
    this.intervalMs = options.intervalMs ?? checkpointIntervalMs
    this.now = options.now ?? systemClock
    this.lastWrite = this.now()
  }

  get text(): string {
    return this.answer
  }

  get thinking(): string {
    return this.reasoning
  }

  /** Checkpoints written so far. */
  get checkpoints(): number {
    return this.written
  }

  /**
   * Adds streamed text; stores everything so far when the last write is at least an interval old.
   * Returns true when it wrote. A failed write (DISK_FULL) throws; the text stays in memory and the
   * next call tries again.
   */
  append(text: string, thinking = ''): boolean {
    this.answer += text
    this.reasoning += thinking
    const now = this.now()
    if (now - this.lastWrite < this.intervalMs) return false
    this.messages.checkpointAnswer(this.messageId, this.answer, this.reasoning)
    this.lastWrite = now
    this.written++
    return true
  }

  finish(outcome: Omit<AnswerOutcome, 'text' | 'thinking'>): ConsultationMessage {
    return this.messages.finishAnswer(this.messageId, { ...outcome, text: this.answer, thinking: this.reasoning })
  }
}
