import type { AuditDetails, AuditEntry, AuditVerification, Page, PageRequest } from '../../contract/records.ts'
import { WorkstationError } from '../errors.ts'
import { checkedActor } from './actor.ts'
import { genesisHash, sha256ChainHasher, type ChainHasher } from './chain-hasher.ts'
import { decodeCursor, encodeCursor, pageLimit } from './keyset-cursor.ts'
import type { RecordDatabase } from './record-database.ts'
import { isoTime } from './record-time.ts'

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

/**
 * The append-only audit log: who did what, to which entity, when. Each entry's hash covers the
 * previous entry's hash, so editing, removing or reordering an entry breaks the chain from there on.
 * Triggers refuse UPDATE and DELETE; verification catches what bypasses them.
 */
export class AuditLog {
  private readonly store: RecordDatabase
  private readonly hasher: ChainHasher

  constructor(store: RecordDatabase, hasher: ChainHasher) {
    this.store = store
    this.hasher = hasher
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
   * Walks the whole chain in order and reports the first entry that does not follow from the one
   * before it. `hashers` names every scheme the log may contain (the default SHA-256 is always known).
   */
  verify(hashers: readonly ChainHasher[] = []): AuditVerification {
    const byScheme = new Map<string, ChainHasher>([[sha256ChainHasher.scheme, sha256ChainHasher], [this.hasher.scheme, this.hasher]])
    for (const hasher of hashers) byScheme.set(hasher.scheme, hasher)
    return this.store.read('audit.verify', () => {
      let previousSeq = 0
      let previousHash = genesisHash
      let checked = 0
      for (const value of this.store.db.prepare('SELECT * FROM audit_entries ORDER BY seq').iterate()) {
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
