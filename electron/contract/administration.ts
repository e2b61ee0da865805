// What administrators see of the workstation: backups by file name (never a path the window could
// send back), the audit check's findings, and the access log (ids, clinicians' names and counts;
// never patient text).
import { z } from 'zod'
import type { AuditDetails, AuditVerification } from './audit.ts'
import type { BackupKind } from './backups.ts'
import type { ErrorCode } from './errors.ts'
import { pageRequestSchema } from './paging.ts'

/** A backup as the list names it: `<database>-<kind>-<UTC stamp>.db`; core looks it up in its own list. */
export const backupFileNameSchema = z
  .string()
  .min(10)
  .max(160)
  .regex(/^[A-Za-z0-9._-]+-(manual|daily|pre-migration|pre-restore)-\d{8}T\d{6}\.\d{3}Z\.db$/, 'a backup file name from backups.list')

export interface BackupListing {
  fileName: string
  kind: BackupKind
  createdAt: string
  bytes: number
}

export interface BackupList {
  /** Where backups are kept (the data folder's backups/), for IT. */
  folder: string
  /** The hospital configuration's second backup place, or null. */
  secondFolder: string | null
  /** Newest first, at most `maxListedBackups`. */
  backups: BackupListing[]
  /** Older backups not listed. */
  more: number
}

export const maxListedBackups = 200

export const backupRestoreSchema = z.object({ fileName: backupFileNameSchema, confirmed: z.literal(true) }).strict()

/** What a restore did. Every window is told (`database.restored`) and everyone signs in again. */
export interface RestoreReport {
  restored: string
  /** The database as it was just before, kept as a pre-restore backup (null: there was none). */
  safetyBackup: string | null
  /** A damaged database renamed aside (never deleted), or null. */
  setAside: string | null
  /** Audit entries of the replaced database the backup does not have (they are in the safety backup). */
  supersededAuditEntries: { from: number | null; to: number } | null
  restoredAt: string
}

/** The chain head anchored outside the database, compared with the chain (see `huatuo audit verify`). */
export interface AnchorFinding {
  state: 'unchecked' | 'no-chain' | 'unanchored' | 'anchored' | 'truncated' | 'invalid'
  anchoredSeq: number | null
  headSeq: number | null
}

/** The audit check: the hash chain, its anchored head, and every signed record version re-hashed. */
export interface AuditCheckReport {
  ok: boolean
  checkedAt: string
  chain: AuditVerification
  /** Whether the chain was checked with the audit key (HMAC), or only its unkeyed hashes. */
  keyed: boolean
  anchor: AnchorFinding
  signedVersions: { checked: number; tampered: { recordId: number; recordVersionId: number; version: number; reason: string }[] }
  /** The first problem's stable code (AUDIT_CHAIN_BROKEN, AUDIT_TRUNCATED, RECORD_TAMPERED, …), or null. */
  problem: ErrorCode | null
}

export const accessLogRequestSchema = pageRequestSchema.extend({ staffId: z.string().min(1).max(32).optional() }).strict()

/** One read of patient data: who, what (ids), when. */
export interface AccessLogEntry {
  seq: number
  /** When the read happened. */
  at: string
  actor: string
  /** The clinician's name as the accounts hold it now (null: not an account, e.g. an operator's command). */
  actorName: string | null
  /** e.g. access.consultation, access.messages, access.search, access.record */
  action: string
  entityType: string
  entityId: string
  /** Ids, counts and codes only. */
  details: AuditDetails
}
