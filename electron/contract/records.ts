// What crosses a process boundary about the consultation record: patients, consultations, their
// messages, notes, red flags, outpatient records, exports, the audit log, search and backups.
// Plain data only (structured-clone and JSON safe); times are ISO 8601 strings in UTC.
import { z } from 'zod'
import type { ErrorCode } from './errors.ts'
import type { AnswerStatus, AnswerTiming } from './inference.ts'

/** Every list pages by keyset cursor; no call returns more rows than this. */
export const maxPageSize = 200

export interface Page<T> {
  items: T[]
  /** Opaque; pass it back for the next page. Null on the last page. */
  nextCursor: string | null
}

export interface PageRequest {
  cursor?: string
  /** 1–200; each list has its own default. */
  limit?: number
}

export type PatientSex = 'male' | 'female' | 'other' | 'unknown'

export interface Patient {
  id: string
  /** 门诊号: the clinic's own patient number, when known. */
  clinicNumber: string | null
  name: string
  sex: PatientSex
  /** YYYY-MM-DD, when known; otherwise ageYears. */
  birthDate: string | null
  ageYears: number | null
  createdAt: string
}

export interface NewPatient {
  clinicNumber?: string
  name: string
  sex?: PatientSex
  birthDate?: string
  ageYears?: number
}

/** open: in progress; closed: finished without a signed record; signed: its outpatient record is signed. */
export type ConsultationStatus = 'open' | 'closed' | 'signed'
export const consultationStatuses = ['open', 'closed', 'signed'] as const satisfies readonly ConsultationStatus[]

export interface Consultation {
  id: string
  patientId: string
  department: string
  /** The model and prompt format that answered (null before the first answer or when imported without them). */
  modelName: string | null
  promptFormat: string | null
  status: ConsultationStatus
  createdAt: string
  updatedAt: string
  /** Set while the consultation is in the trash (nothing clinical is ever physically deleted). */
  trashedAt: string | null
  trashedBy: string | null
}

export interface NewConsultation {
  /** Kept when given (imports); a new UUID otherwise. */
  id?: string
  patientId: string
  department?: string
  modelName?: string
  promptFormat?: string
  createdAt?: string
}

/** `streaming` only while an answer is being generated; reopening the store turns it into `interrupted`. */
export type MessageStatus = AnswerStatus | 'streaming'

interface StoredMessageBase {
  id: number
  consultationId: string
  /** Order within the consultation, from 1. */
  seq: number
  text: string
  status: MessageStatus
  createdAt: string
  /** Set when a later message (an edit or a regenerated answer) took this one's place. */
  supersededAt: string | null
  replacesMessageId: number | null
}

export interface PatientMessage extends StoredMessageBase {
  role: 'patient'
}

export interface StoredAnswer extends StoredMessageBase {
  role: 'model'
  /** HuatuoGPT-o1's reasoning, kept apart from the answer. */
  thinking: string
  timing: AnswerTiming | null
  errorCode: ErrorCode | null
  /** The last checkpoint while streaming; the end afterwards. */
  updatedAt: string
  finishedAt: string | null
}

export type ConsultationMessage = PatientMessage | StoredAnswer

export interface AnswerOutcome {
  text: string
  thinking?: string
  status: AnswerStatus
  timing?: AnswerTiming
  errorCode?: ErrorCode
}

/** As triage (contract/triage.ts) grades a flag. */
export type StoredRedFlagLevel = 'emergency' | 'urgent'

/** A red flag as the record keeps it: raised by triage on a patient message, acknowledged by a clinician. */
export interface StoredRedFlag {
  id: number
  consultationId: string
  messageId: number
  /** The triage rule that raised it, when known. */
  ruleId: string | null
  category: string
  level: StoredRedFlagLevel
  /** The patient's own words that raised it. */
  matchedWords: string[]
  ruleVersion: string
  raisedAt: string
  acknowledgedBy: string | null
  acknowledgedAt: string | null
}

export interface NewRedFlag {
  ruleId?: string
  category: string
  level: StoredRedFlagLevel
  matchedWords: string[]
  ruleVersion: string
}

export interface ClinicianNote {
  id: number
  consultationId: string
  author: string
  text: string
  /** 1 for the note as first written; each edit adds a version and keeps the earlier ones. */
  version: number
  createdAt: string
  editedAt: string
  editedBy: string
}

export interface ClinicianNoteVersion {
  noteId: number
  version: number
  text: string
  editedBy: string
  editedAt: string
}

/** Sections of a 门诊病历 (LOINC codes in REFERENCE.md §4). */
export const outpatientSectionKeys = [
  'chiefComplaint',
  'presentIllness',
  'pastHistory',
  'allergies',
  'physicalExam',
  'investigations',
  'diagnosis',
  /** ICD-10 code of the diagnosis, kept with the sections so the signature covers it. */
  'diagnosisCode',
  'plan',
  'orders',
] as const
export type OutpatientSectionKey = (typeof outpatientSectionKeys)[number]
/** A missing key means "not recorded"; an empty string or "无" is a real value. */
export type OutpatientRecordSections = Partial<Record<OutpatientSectionKey, string>>

/** draft: editable; signed: locked; amended: a signed correction of an earlier signed version. */
export type OutpatientRecordStatus = 'draft' | 'signed' | 'amended'

export interface OutpatientRecordVersion {
  id: number
  recordId: number
  consultationId: string
  version: number
  status: OutpatientRecordStatus
  sections: OutpatientRecordSections
  author: string
  createdAt: string
  updatedAt: string
  signedBy: string | null
  signedAt: string | null
  /** SHA-256 of the signed content; null while a draft. */
  contentHash: string | null
  amendsVersionId: number | null
  amendmentReason: string | null
}

export interface RecordExport {
  id: number
  recordVersionId: number
  format: string
  destination: string
  contentHash: string
  exportedBy: string
  exportedAt: string
}

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

/** What opening a consultation shows at once: its header and the first page of messages. */
export interface ConsultationView {
  consultation: Consultation
  patient: Patient
  messages: Page<ConsultationMessage>
  notes: ClinicianNote[]
  redFlags: StoredRedFlag[]
  /** The latest version of its outpatient record, if one was started. */
  record: OutpatientRecordVersion | null
}

export type SearchSource = 'message' | 'note' | 'record'

export interface RecordSearchFilters {
  patientId?: string
  department?: string
  /** Inclusive lower and exclusive upper bound on when the matching text was written. */
  from?: string
  to?: string
  /** Only consultations with at least one red flag. */
  redFlag?: boolean
  status?: ConsultationStatus
}

export interface RecordSearchRequest {
  /** Whitespace separates terms, all required; "quoted text" is one term. Each matches as a substring. */
  query: string
  filters?: RecordSearchFilters
  /** 1–200, default 20. */
  limit?: number
  cursor?: string
}

export interface SearchHit {
  consultationId: string
  patientId: string
  department: string
  source: SearchSource
  /** Set for source `message`, so the UI can jump to the message. */
  messageId: number | null
  noteId: number | null
  recordId: number | null
  /** When the matching text was written. */
  at: string
  /** A window of the original text around the first match. */
  snippet: string
  /** [start, end) UTF-16 offsets of every match inside `snippet`. */
  highlights: Array<[number, number]>
  /** Relevance, higher is better; the order follows it only when `order` is `relevance`. */
  rank: number
}

export interface SearchPage {
  hits: SearchHit[]
  nextCursor: string | null
  /** `relevance` when the match set was small enough to rank; `newest` otherwise. */
  order: 'relevance' | 'newest'
  /** The terms as searched (normalized). */
  terms: string[]
}

export type BackupKind = 'manual' | 'daily' | 'pre-migration' | 'pre-restore'

export interface BackupInfo {
  path: string
  kind: BackupKind
  createdAt: string
  bytes: number
}

// Input schemas for the records requests: every handler validates with these before anything else.
const recordId = z.string().min(1).max(200)
const isoTime = z.iso.datetime({ offset: true })

export const pageRequestSchema = z
  .object({ cursor: z.string().min(1).max(1000).optional(), limit: z.number().int().min(1).max(maxPageSize).optional() })
  .strict()

export const recordSearchRequestSchema = z
  .object({
    query: z.string().min(1).max(1000),
    filters: z
      .object({
        patientId: recordId.optional(),
        department: z.string().max(100).optional(),
        from: isoTime.optional(),
        to: isoTime.optional(),
        redFlag: z.boolean().optional(),
        status: z.enum(consultationStatuses).optional(),
      })
      .strict()
      .optional(),
    limit: z.number().int().min(1).max(maxPageSize).optional(),
    cursor: z.string().min(1).max(1000).optional(),
  })
  .strict()

export const consultationListRequestSchema = pageRequestSchema.extend({ patientId: recordId.optional(), trashed: z.boolean().optional() }).strict()

export const newPatientSchema = z
  .object({
    clinicNumber: z.string().min(1).max(100).optional(),
    name: z.string().min(1).max(200),
    sex: z.enum(['male', 'female', 'other', 'unknown']).optional(),
    birthDate: z.iso.date().optional(),
    ageYears: z.number().int().min(0).max(150).optional(),
  })
  .strict()

export const newConsultationSchema = z
  .object({
    patientId: recordId,
    department: z.string().max(100).optional(),
    modelName: z.string().max(200).optional(),
    promptFormat: z.string().max(50).optional(),
  })
  .strict()

/** Known sections only (an unknown key fails), each a string. */
export const outpatientSectionsSchema = z.partialRecord(z.enum(outpatientSectionKeys), z.string().max(20_000))

export const noteTextSchema = z.string().min(1).max(20_000)
export const amendmentSchema = z.object({ recordId: z.number().int().positive(), sections: outpatientSectionsSchema, reason: z.string().min(1).max(2000) }).strict()
