import type { AuditDetails } from '../../contract/audit.ts'
import type { RecordDatabase } from './record-database.ts'
import { isoTime } from './record-time.ts'

/** One read of patient data: who, which id; ids, counts and codes only, never clinical text. */
export interface AccessEvent {
  actor: string
  /** e.g. "access.consultation", "access.messages", "access.search" */
  action: string
  entityType: string
  entityId: string | number
  details?: AuditDetails
}

/** How often buffered reads are written, at most. */
export const accessLogIntervalMs = 1000
/** Reads kept while the database refuses writes (disk full); beyond it they are counted, not kept. */
const largestBuffer = 20_000

/**
 * The access log, as hospital record systems keep one: every read of a consultation, its messages,
 * a search or a record goes into the audit chain with who and when. Reads are frequent and must not
 * wait for a commit (synchronous=FULL makes each one an fsync), so they are buffered and written
 * together at most once a second, in one transaction, and on close. Each entry carries the time of
 * the read itself (`readAt`); the entry's own time is when it was written.
 */
export class AccessLog {
  readonly #store: RecordDatabase
  readonly #write: (events: readonly AccessEvent[]) => void
  #pending: AccessEvent[] = []
  #dropped = 0
  #timer: ReturnType<typeof setTimeout> | null = null
  #closed = false

  constructor(store: RecordDatabase, write: (events: readonly AccessEvent[]) => void) {
    this.#store = store
    this.#write = write
  }

  note(event: AccessEvent): void {
    if (this.#closed) return
    if (this.#pending.length >= largestBuffer) this.#dropped++
    else this.#pending.push({ ...event, details: { ...event.details, readAt: isoTime(this.#store.now()) } })
    if (this.#timer === null) {
      this.#timer = setTimeout(() => this.flush(), accessLogIntervalMs)
      // A pending write never keeps a command-line process alive; close() writes it.
      this.#timer.unref?.()
    }
  }

  /** Writes what is buffered now; on failure keeps it for the next attempt. */
  flush(): void {
    if (this.#timer !== null) clearTimeout(this.#timer)
    this.#timer = null
    if ((this.#pending.length === 0 && this.#dropped === 0) || !this.#store.db.isOpen) return
    if (this.#store.db.isTransaction) {
      // Never inside someone else's change: it could roll the reads back with it.
      this.#timer = setTimeout(() => this.flush(), 0)
      return
    }
    const events = this.#pending
    if (this.#dropped > 0) {
      events.push({ actor: 'system', action: 'access.dropped', entityType: 'audit', entityId: 'access', details: { reads: this.#dropped } })
    }
    try {
      this.#write(events)
      this.#pending = []
      this.#dropped = 0
    } catch {
      if (this.#dropped > 0) events.pop()
      // Kept for the next read's flush (the database may be busy or full for a moment).
    }
  }

  /** Writes what is pending and stops taking reads. */
  close(): void {
    this.flush()
    if (this.#timer !== null) clearTimeout(this.#timer)
    this.#timer = null
    this.#closed = true
  }
}
