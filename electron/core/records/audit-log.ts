import type { AuditDetails, AuditEntry, AuditVerification } from '../../contract/audit.ts'
import type { Page, PageRequest } from '../../contract/paging.ts'
import { WorkstationError } from '../errors.ts'
import { checkedActor } from './actor.ts'
import { genesisHash, sha256ChainHasher, type ChainHasher } from './chain-hasher.ts'
import { decodeCursor, encodeCursor, pageLimit } from './keyset-cursor.ts'
import type { RecordDatabase } from './record-database.ts'
import { isoTime } from './record-time.ts'
import { AccessLog, type AccessEvent } from './access-log.ts'

export interface AuditEvent {
  actor: string
  /** dotted verb, e.g. "record.sign" */
  action: string
  entityType: string
  entityId: string | number
  /** Ids, counts and codes only. */
  details?: AuditDetails
}

interface AuditRow {
  seq: number
  at: number
  actor: string
  action: string
  entity_type: string
  entity_id: string
  details: string
  hash_scheme: string
  previous_hash: string
  hash: string
}

/** The text an entry's hash covers: every stored field but the hashes, in a fixed order. */
export function auditEntryText(row: Omit<AuditRow, 'hash_scheme' | 'previous_hash' | 'hash'>): string {
  return JSON.stringify([row.seq, row.at, row.actor, row.action, row.entity_type, row.entity_id, row.details])
}

function checkDetails(details: AuditDetails): string {
  for (const [key, value] of Object.entries(details)) {
    // Long strings are how clinical text would sneak in; ids, codes and file names are short.
    if (typeof value === 'string' && value.length > 200) throw new WorkstationError('INTERNAL', `audit detail ${key} is too long`)
  }
  return JSON.stringify(details)
}

function toEntry(row: AuditRow): AuditEntry {
  return {
    seq: row.seq,
    at: isoTime(row.at),
    actor: row.actor,
    action: row.action,
    entityType: row.entity_type,
    entityId: row.entity_id,
    details: JSON.parse(row.details) as AuditDetails,
    hashScheme: row.hash_scheme,
    previousHash: row.previous_hash,
    hash: row.hash,
  }
}

/** The newest entry: what a chain head anchor records. */
export interface AuditHead {
  seq: number
  hash: string
}

/**
 * Told about appends, so the chain head can be anchored outside the database (see
 * clinicians/audit-chain-anchor.ts). `appended` runs inside the caller's transaction: it may only
 * schedule work; `closing` runs as the store closes, and writes what is pending synchronously.
 */
export interface AuditHeadWatcher {
  appended(): void
  closing(): void
}

/**
 * The append-only audit log: who did what, to which entity, when. Each entry's hash covers the
 * previous entry's hash, so editing, removing or reordering an entry breaks the chain from there on.
 * Triggers refuse UPDATE and DELETE; verification catches what bypasses them.
 *
 * Reads go in as an access log (`noteRead`): buffered and written in one transaction at most once a
 * second, and on close, so that opening a consultation or searching never waits for a commit.
 */
export class AuditLog {
  private readonly store: RecordDatabase
  private readonly hasher: ChainHasher
  private readonly watchers = new Set<AuditHeadWatcher>()
  private readonly access: AccessLog | null
  private readonly deferred: AuditEvent[] = []
  private deferredFlush: ReturnType<typeof setImmediate> | null = null

  constructor(store: RecordDatabase, hasher: ChainHasher, options: { readOnly?: boolean } = {}) {
    this.store = store
    this.hasher = hasher
    // A read-only open (audit verify) cannot write; what it reads is not a clinician reading records.
    this.access = options.readOnly ? null : new AccessLog(store, (events) => this.appendMany('audit.access', events))
  }

  /** Registers a watcher of the chain head; returns its removal. */
  watchHead(watcher: AuditHeadWatcher): () => void {
    this.watchers.add(watcher)
    return () => this.watchers.delete(watcher)
  }

  /** The newest entry, or null for an empty log. */
  head(): AuditHead | null {
    const row = this.store.read('audit.head', () => this.store.statement('SELECT seq, hash FROM audit_entries ORDER BY seq DESC LIMIT 1').get()) as
      | AuditHead
      | undefined
    return row === undefined ? null : { seq: row.seq, hash: row.hash }
  }

  /** The entry with this sequence number (its seq and hash), or null when there is none. */
  entryAt(seq: number): AuditHead | null {
    const row = this.store.read('audit.entry', () => this.store.statement('SELECT seq, hash FROM audit_entries WHERE seq = ?').get(seq)) as AuditHead | undefined
    return row === undefined ? null : { seq: row.seq, hash: row.hash }
  }

  /**
   * The entries about one entity with one of these actions, oldest first, each with whether its own
   * hash still covers it (null: hashed with a key not at hand). Lets a reader trust a fact the
   * keyed chain holds (a signed version's content hash) without walking the whole chain.
   */
  entriesOf(entityType: string, entityId: string | number, actions: readonly string[]): Array<{ action: string; details: AuditDetails; intact: boolean | null }> {
    const rows = this.store.read('audit.entries', () =>
      this.store
        .statement('SELECT * FROM audit_entries WHERE entity_type = ? AND entity_id = ? AND action IN (SELECT value FROM json_each(?)) ORDER BY seq')
        .all(entityType, String(entityId), JSON.stringify(actions)),
    ) as unknown as AuditRow[]
    return rows.map((row) => {
      const hasher = row.hash_scheme === this.hasher.scheme ? this.hasher : row.hash_scheme === sha256ChainHasher.scheme ? sha256ChainHasher : null
      return {
        action: row.action,
        details: JSON.parse(row.details) as AuditDetails,
        intact: hasher === null ? null : hasher.hash(row.previous_hash, auditEntryText(row)) === row.hash,
      }
    })
  }

  /**
   * A read, for the access log: who read which id, when; never clinical text. Written within a
   * second (or on close) with the time of the read in `readAt`.
   */
  noteRead(event: AccessEvent): void {
    this.access?.note(event)
  }

  /**
   * An entry that must be kept even when the change around it fails (RECORD_TAMPERED refuses and
   * rolls back the transaction it was found in): written at once outside a transaction, else just
   * after the current one ends. A failure to write it never hides the refusal that caused it.
   */
  appendSoon(event: AuditEvent): void {
    if (!this.store.db.isOpen) return
    if (!this.store.db.isTransaction) {
      try {
        this.append(event)
      } catch {
        // Read-only or full: the refusal itself still reaches the clinician.
      }
      return
    }
    this.deferred.push(event)
    this.deferredFlush ??= setImmediate(() => this.flushDeferred())
  }

  /** Writes what is buffered (reads, deferred entries) and lets the watchers write the head: the store is closing. */
  closing(): void {
    if (this.deferredFlush !== null) clearImmediate(this.deferredFlush)
    this.flushDeferred()
    this.access?.close()
    for (const watcher of this.watchers) watcher.closing()
  }

  private flushDeferred(): void {
    this.deferredFlush = null
    if (this.deferred.length === 0 || !this.store.db.isOpen) return
    if (this.store.db.isTransaction) {
      this.deferredFlush = setImmediate(() => this.flushDeferred())
      return
    }
    const events = this.deferred.splice(0)
    try {
      this.appendMany('audit.deferred', events)
    } catch {
      // See appendSoon.
    }
  }

  private appendMany(operation: string, events: readonly AuditEvent[]): void {
    this.store.transaction(operation, () => {
      for (const event of events) this.append(event)
    })
  }

  /** Joins the caller's transaction, so the entry is stored exactly when the change is. */
  append(event: AuditEvent): AuditEntry {
    return this.store.transaction('audit.append', () => {
      const last = this.store.statement('SELECT seq, hash FROM audit_entries ORDER BY seq DESC LIMIT 1').get() as
        | { seq: number; hash: string }
        | undefined
      const row = {
        seq: (last?.seq ?? 0) + 1,
        at: this.store.now(),
        actor: checkedActor(event.actor),
        action: event.action,
        entity_type: event.entityType,
        entity_id: String(event.entityId),
        details: checkDetails(event.details ?? {}),
      }
      const previousHash = last?.hash ?? genesisHash
      const stored: AuditRow = { ...row, hash_scheme: this.hasher.scheme, previous_hash: previousHash, hash: this.hasher.hash(previousHash, auditEntryText(row)) }
      this.store
        .statement(
          `INSERT INTO audit_entries (seq, at, actor, action, entity_type, entity_id, details, hash_scheme, previous_hash, hash)
           VALUES (:seq, :at, :actor, :action, :entity_type, :entity_id, :details, :hash_scheme, :previous_hash, :hash)`,
        )
        .run({ ...stored })
      for (const watcher of this.watchers) watcher.appended()
      return toEntry(stored)
    })
  }

  /** Newest first. */
  list(request: PageRequest & { entityType?: string; entityId?: string } = {}): Page<AuditEntry> {
    const limit = pageLimit(request.limit, 50)
    const before = request.cursor === undefined ? Number.MAX_SAFE_INTEGER : (decodeCursor('audit', request.cursor, ['number'])[0] as number)
    const rows = this.store.read('audit.list', () =>
      request.entityType !== undefined && request.entityId !== undefined
        ? (this.store
            .statement('SELECT * FROM audit_entries WHERE entity_type = ? AND entity_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?')
            .all(request.entityType, request.entityId, before, limit + 1) as unknown as AuditRow[])
        : (this.store.statement('SELECT * FROM audit_entries WHERE seq < ? ORDER BY seq DESC LIMIT ?').all(before, limit + 1) as unknown as AuditRow[]),
    )
    const items = rows.slice(0, limit).map(toEntry)
    const last = items.at(-1)
    return { items, nextCursor: rows.length > limit && last ? encodeCursor('audit', [last.seq]) : null }
  }

  /**
   * The access log: entries of reads of patient data (`access.*`), newest first, optionally of one
   * actor; keyset-paged by sequence number like `list`.
   */
  listAccess(request: PageRequest & { actor?: string } = {}): Page<AuditEntry> {
    const limit = pageLimit(request.limit, 50)
    const before = request.cursor === undefined ? Number.MAX_SAFE_INTEGER : (decodeCursor('access', request.cursor, ['number'])[0] as number)
    const rows = this.store.read('audit.access-log', () =>
      request.actor !== undefined
        ? (this.store
            .statement("SELECT * FROM audit_entries WHERE seq < ? AND action LIKE 'access.%' AND actor = ? ORDER BY seq DESC LIMIT ?")
            .all(before, request.actor, limit + 1) as unknown as AuditRow[])
        : (this.store.statement("SELECT * FROM audit_entries WHERE seq < ? AND action LIKE 'access.%' ORDER BY seq DESC LIMIT ?").all(before, limit + 1) as unknown as AuditRow[]),
    )
    const items = rows.slice(0, limit).map(toEntry)
    const last = items.at(-1)
    return { items, nextCursor: rows.length > limit && last ? encodeCursor('access', [last.seq]) : null }
  }

  /**
   * Walks the whole chain in order and reports the first entry that does not follow from the one
   * before it. `hashers` names every scheme the log may contain (the default SHA-256 is always known).
   * With `from`, only the entries after that one are walked (the entries after an anchored head).
   */
  verify(hashers: readonly ChainHasher[] = [], from: AuditHead | null = null): AuditVerification {
    const byScheme = new Map<string, ChainHasher>([[sha256ChainHasher.scheme, sha256ChainHasher], [this.hasher.scheme, this.hasher]])
    for (const hasher of hashers) byScheme.set(hasher.scheme, hasher)
    return this.store.read('audit.verify', () => {
      // From an anchored entry on (`from`, already compared), or from the first entry.
      let previousSeq = from?.seq ?? 0
      let previousHash = from?.hash ?? genesisHash
      let checked = 0
      for (const value of this.store.db.prepare('SELECT * FROM audit_entries WHERE seq > ? ORDER BY seq').iterate(previousSeq)) {
        const row = value as unknown as AuditRow
        const broken = (reason: NonNullable<AuditVerification['firstBroken']>['reason']): AuditVerification => ({
          ok: false,
          entriesChecked: checked,
          firstBroken: { seq: row.seq, reason },
        })
        if (row.seq !== previousSeq + 1) return broken('sequence-gap')
        if (row.previous_hash !== previousHash) return broken('previous-hash-mismatch')
        const hasher = byScheme.get(row.hash_scheme)
        if (hasher === undefined) return broken('unknown-scheme')
        if (hasher.hash(previousHash, auditEntryText(row)) !== row.hash) return broken('hash-mismatch')
        previousSeq = row.seq
        previousHash = row.hash
        checked++
      }
      return { ok: true, entriesChecked: checked, firstBroken: null }
    })
  }
}
