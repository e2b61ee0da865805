import type { AuditVerification } from '../../contract/audit.ts'
import type { ChainHasher } from '../records/chain-hasher.ts'
import type { RecordStore } from '../records/record-store.ts'
import { storageFailure } from '../records/sqlite-failures.ts'
import { isKeyedScheme } from './keyed-chain-hasher.ts'

/**
 * Verifies the audit chain with the keys at hand, and reports the first broken entry.
 *
 * Without keys it checks what it can (unkeyed SHA-256 entries; keyed ones are `unknown-scheme`).
 * With keys, on top of every hash: unkeyed entries may only come before the first keyed one (a
 * database written before accounts existed), and a chain must have a keyed entry at all.
 * Otherwise re-hashing edited rows with plain SHA-256 — which needs no key — would pass.
 */
export function verifyAuditChain(store: Pick<RecordStore, 'audit' | 'connection'>, keys: readonly ChainHasher[]): AuditVerification {
  const chain = store.audit.verify(keys)
  if (keys.length === 0) return chain
  const unkeyed = firstUnkeyedOutOfPlace(store)
  if (unkeyed === null || (chain.firstBroken !== null && chain.firstBroken.seq <= unkeyed)) return chain
  return { ok: false, entriesChecked: unkeyed - 1, firstBroken: { seq: unkeyed, reason: 'unkeyed-entry' } }
}

/** The seq of the first unkeyed entry a keyed chain must not have, or null. */
function firstUnkeyedOutOfPlace(store: Pick<RecordStore, 'connection'>): number | null {
  try {
    let firstSeq: number | null = null
    let keyedSeen = false
    for (const value of store.connection.prepare('SELECT seq, hash_scheme FROM audit_entries ORDER BY seq').iterate()) {
      const row = value as { seq: number; hash_scheme: string }
      firstSeq ??= row.seq
      if (isKeyedScheme(row.hash_scheme)) keyedSeen = true
      else if (keyedSeen) return row.seq
    }
    return keyedSeen ? null : firstSeq
  } catch (error) {
    throw storageFailure(error, 'audit.verify')
  }
}
