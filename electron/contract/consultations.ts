// Consultations: one visit of one patient, with its messages, notes, red flags and outpatient record.
import { z } from 'zod'
import type { ClinicianNote } from './clinician-notes.ts'
import type { ConsultationMessage } from './consultation-messages.ts'
import { pageRequestSchema, recordIdSchema, type Page } from './paging.ts'
import type { Patient } from './patients.ts'
import { recordStatuses, type OutpatientRecordStatus, type OutpatientRecordVersion } from './record-versions.ts'
import type { StoredRedFlag } from './red-flags.ts'
import type { RedFlagLevel } from './triage.ts'

/** open: in progress; closed: finished without a signed record; signed: its outpatient record is signed. */
export const consultationStatuses = ['open', 'closed', 'signed'] as const
export type ConsultationStatus = (typeof consultationStatuses)[number]

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

export const consultationListRequestSchema = pageRequestSchema
  .extend({
    patientId: recordIdSchema.optional(),
    /** Lists the trash instead of the active consultations. */
    trashed: z.boolean().optional(),
  })
  .strict()
export type ConsultationListRequest = z.infer<typeof consultationListRequestSchema>

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

/** A record status to filter by, or `none`: consultations whose outpatient record was never started. */
export const recordStatusFilters = [...recordStatuses, 'none'] as const
export type RecordStatusFilter = (typeof recordStatusFilters)[number]

/** A clinician's staff id as a filter: who started the consultation. */
export const clinicianFilterSchema = z.string().trim().min(1).max(100)

/**
 * The consultation list a clinician picks from (`huatuo records list`, the history and records
 * screens): newest first. `patient` matches part of a name or clinic number; `from`/`to` bound when
 * the consultation began (inclusive, exclusive); `department` is exact; `clinician` is the staff id
 * who started it; `redFlag` keeps those with (true) or without (false) a red flag; `recordStatus`
 * keeps consultations whose record is in that status (`none`: no record); `trashed` lists the trash
 * instead.
 */
export const consultationSummaryRequestSchema = pageRequestSchema
  .extend({
    patient: z.string().trim().min(1).max(100).optional(),
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
    department: z.string().trim().max(100).optional(),
    clinician: clinicianFilterSchema.optional(),
    redFlag: z.boolean().optional(),
    recordStatus: z.enum(recordStatusFilters).optional(),
    trashed: z.boolean().optional(),
  })
  .strict()
export type ConsultationSummaryRequest = z.infer<typeof consultationSummaryRequestSchema>

/** What the history's filters offer: the departments and the clinicians consultations were started in and by. */
export interface ConsultationFilterOptions {
  departments: string[]
  clinicians: Array<{ staffId: string; name: string | null }>
}

/** One line of the consultation list: who, where, when, by whom, how urgent, and its record. */
export interface ConsultationSummary {
  consultationId: string
  patientId: string
  patientName: string
  clinicNumber: string | null
  department: string
  status: ConsultationStatus
  createdAt: string
  /** Who started it, as the audit log names them: a staff id, or "import" / "system". */
  startedBy: string | null
  /** That clinician's name, when the actor is a clinician account. */
  startedByName: string | null
  /** Red flags raised in it; `unacknowledged` are those no clinician has acknowledged yet. */
  redFlags: { count: number; highest: RedFlagLevel | null; unacknowledged: number }
  /** Its outpatient record (one per consultation): the latest version's number and status. */
  record: { recordId: number; version: number; status: OutpatientRecordStatus } | null
  /** Set while it is in the trash: when, and by whom. */
  trashedAt: string | null
  trashedBy: string | null
}
