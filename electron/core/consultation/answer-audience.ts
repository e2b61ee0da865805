import type { WorkstationEvent } from '../../contract/channels.ts'

// Who may see patient text pushed from core: the clinician whose request produced it, and only
// while that clinician is signed in and unlocked. Applied where the workstation emits its events,
// once for every transport (Electron IPC, the browser host), never per transport. An answer may go
// on being generated and stored while its clinician is locked out; its text just goes nowhere.

interface AnswerOwner {
  staffId: string
  consultationId: string
}

export class AnswerAudience {
  /** Whose answer each streaming answer is, by the window's answer id. */
  readonly #answers = new Map<string, AnswerOwner>()
  /** Clinicians with a record draft being written (its progress names the consultation and its text). */
  readonly #drafts = new Map<string, number>()
  /** The clinician signed in and unlocked now, or null. */
  readonly #viewer: () => string | null

  constructor(viewer: () => string | null) {
    this.#viewer = viewer
  }

  claimAnswer(answerId: string, consultationId: string, staffId: string): void {
    this.#answers.set(answerId, { staffId, consultationId })
  }

  releaseAnswer(answerId: string): void {
    this.#answers.delete(answerId)
  }

  /** Answers still being written, with whose they are. */
  answers(): { answerId: string; staffId: string; consultationId: string }[] {
    return [...this.#answers].map(([answerId, owner]) => ({ answerId, ...owner }))
  }

  claimDraft(staffId: string): void {
    this.#drafts.set(staffId, (this.#drafts.get(staffId) ?? 0) + 1)
  }

  releaseDraft(staffId: string): void {
    const left = (this.#drafts.get(staffId) ?? 1) - 1
    if (left > 0) this.#drafts.set(staffId, left)
    else this.#drafts.delete(staffId)
  }

  /** Whether the event may leave core now. Events without patient data always may. */
  mayReceive(event: WorkstationEvent): boolean {
    switch (event.type) {
      case 'consultation.delta':
      case 'consultation.red-flags':
      case 'consultation.snapshot':
      case 'consultation.answer-finished': {
        const viewer = this.#viewer()
        return viewer !== null && this.#answers.get(event.answerId)?.staffId === viewer
      }
      case 'structured.delta':
      case 'record.draft-progress': {
        const viewer = this.#viewer()
        return viewer !== null && this.#drafts.has(viewer)
      }
      default:
        return true
    }
  }
}
