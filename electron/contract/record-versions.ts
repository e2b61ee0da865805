// The outpatient record (门诊病历) as the records store keeps it: its sections, declared here once,
// and its versions (a draft, then signed and amended versions that never change), and their exports.
import { z } from 'zod'

/** Long enough for any real section; bounds what a malformed request or file can make the exporters do. */
export const maxSectionLength = 20_000
const sectionText = z.string().max(maxSectionLength, `must be at most ${maxSectionLength} characters`)

/** An ICD-10 (国家临床版) code, e.g. J06.9. */
export const icd10CodePattern = /^[A-Z][0-9]{2}(\.[0-9A-Z]{1,4})?$/

/**
 * The sections of a 门诊病历 (LOINC codes in REFERENCE.md §4): known sections only (an unknown key
 * fails), each a string. A missing key means "not recorded"; an empty string or "无" is a real value.
 * The order of the keys is the order in which a version's content is hashed when it is signed.
 */
export const outpatientSectionsSchema = z
  .object({
    chiefComplaint: sectionText.optional(),
    presentIllness: sectionText.optional(),
    pastHistory: sectionText.optional(),
    allergies: sectionText.optional(),
    physicalExam: sectionText.optional(),
    investigations: sectionText.optional(),
    diagnosis: sectionText.optional(),
    /** ICD-10 code of the diagnosis, kept with the sections so the signature covers it; checked as one when signed. */
    diagnosisCode: sectionText.optional(),
    plan: sectionText.optional(),
    orders: sectionText.optional(),
  })
  .strict()
export type OutpatientRecordSections = z.infer<typeof outpatientSectionsSchema>
export type OutpatientSectionKey = keyof OutpatientRecordSections
/** Every stored section key, in hashing order. */
export const outpatientSectionKeys = outpatientSectionsSchema.keyof().options

/** draft: editable; signed: locked; amended: a signed correction of an earlier signed version. */
export const recordStatuses = ['draft', 'signed', 'amended'] as const
export type OutpatientRecordStatus = (typeof recordStatuses)[number]

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

export const amendmentSchema = z.object({ recordId: z.number().int().positive(), sections: outpatientSectionsSchema, reason: z.string().min(1).max(2000) }).strict()

export interface RecordExport {
  id: number
  recordVersionId: number
  format: string
  destination: string
  contentHash: string
  exportedBy: string
  exportedAt: string
}
