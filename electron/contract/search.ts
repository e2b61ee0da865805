// Full-text search over messages, notes and records: the request and the hits.
import { z } from 'zod'
import { clinicianFilterSchema, consultationStatuses, recordStatusFilters } from './consultations.ts'
import { maxPageSize, recordIdSchema } from './paging.ts'

export type SearchSource = 'message' | 'note' | 'record'

const isoTime = z.iso.datetime({ offset: true })

export const recordSearchRequestSchema = z
  .object({
    /** Whitespace separates terms, all required; "quoted text" is one term. Each matches as a substring. */
    query: z.string().min(1).max(1000),
    filters: z
      .object({
        patientId: recordIdSchema.optional(),
        /** The patient by clinic number (门诊号); a text that is no clinic number is taken as a patient id. */
        clinicNumber: z.string().min(1).max(100).optional(),
        department: z.string().max(100).optional(),
        /** Inclusive lower and exclusive upper bound on when the matching text was written. */
        from: isoTime.optional(),
        to: isoTime.optional(),
        /** Only consultations with at least one red flag. */
        redFlag: z.boolean().optional(),
        status: z.enum(consultationStatuses).optional(),
        /** The staff id of the clinician who started the consultation. */
        clinician: clinicianFilterSchema.optional(),
        /** The status of the consultation's outpatient record (`none`: never started). */
        recordStatus: z.enum(recordStatusFilters).optional(),
      })
      .strict()
      .optional(),
    /** 1–200, default 20. */
    limit: z.number().int().min(1).max(maxPageSize).optional(),
    cursor: z.string().min(1).max(1000).optional(),
  })
  .strict()
export type RecordSearchRequest = z.infer<typeof recordSearchRequestSchema>
export type RecordSearchFilters = NonNullable<RecordSearchRequest['filters']>

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

/** A hit as the window and the CLI show it: with its patient's name and clinic number. */
export interface LabelledSearchHit extends SearchHit {
  patientName: string
  clinicNumber: string | null
}

export interface LabelledSearchPage extends Omit<SearchPage, 'hits'> {
  hits: LabelledSearchHit[]
}

export interface SearchPage {
  hits: SearchHit[]
  nextCursor: string | null
  /** `relevance` when the match set was small enough to rank; `newest` otherwise. */
  order: 'relevance' | 'newest'
  /** The terms as searched (normalized). */
  terms: string[]
}
