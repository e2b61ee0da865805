// The audit log as it crosses a process boundary: hash-chained entries, and what a check of the chain found.

/** Ids, counts and codes only: the audit log never holds clinical text. */
export type AuditDetails = Record<string, string | number | boolean | null>

export interface AuditEntry {
  seq: number
  at: string
  /** A clinician id, or "system" / "import" where no person acted. */
  actor: string
  action: string
  entityType: string
  entityId: string
  details: AuditDetails
  hashScheme: string
  previousHash: string
  hash: string
}

/**
 * unknown-scheme: hashed with a key (or scheme) not available to this check; unkeyed-entry: an
 * unkeyed SHA-256 entry where a keyed chain requires an HMAC (after the chain became keyed, or a
 * chain with no keyed entry at all when a key exists), i.e. a chain someone re-hashed without the key.
 */
export type AuditBreakReason = 'sequence-gap' | 'previous-hash-mismatch' | 'hash-mismatch' | 'unknown-scheme' | 'unkeyed-entry'

export interface AuditVerification {
  ok: boolean
  entriesChecked: number
  firstBroken: { seq: number; reason: AuditBreakReason } | null
}
