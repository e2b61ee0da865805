// The outpatient record (门诊病历) as it crosses a process boundary and as it is kept in a file: its
// sections with their LOINC codes (REFERENCE.md §4), who wrote each section, the record JSON file
// format (import/export and the CLI), drafting progress and export requests. Plain data and zod
// schemas only.
import { z } from 'zod'
import { patientSexes } from './patients.ts'
import { engineKinds, type EngineKind } from './remote-engine.ts'
import { icd10CodePattern, outpatientSectionKeys, outpatientSectionsSchema, recordStatuses, type OutpatientSectionKey, type RecordExport } from './record-versions.ts'

/** The nine sections of a 门诊病历, in the order a clinic prints them: the stored sections but the diagnosis's code. */
export type RecordSectionKey = Exclude<OutpatientSectionKey, 'diagnosisCode'>
export const recordSectionKeys = outpatientSectionKeys.filter((key): key is RecordSectionKey => key !== 'diagnosisCode')

/**
 * What the model may draft. 体格检查 and 辅助检查 are what the doctor observes and reads, and 医嘱 are
 * the doctor's orders: China's 《互联网诊疗监管细则（试行）》 (2022) forbids AI-generated prescriptions.
 */
export const modelDraftedSectionKeys = ['chiefComplaint', 'presentIllness', 'pastHistory', 'allergies', 'diagnosis', 'plan'] as const
export type ModelDraftedSectionKey = (typeof modelDraftedSectionKeys)[number]
export const doctorOnlySectionKeys = ['physicalExam', 'investigations', 'orders'] as const satisfies readonly RecordSectionKey[]

/** What the model writes for a section the consultation does not cover, instead of inventing one. */
export const notMentioned = '未提及'

export interface LocalizedText {
  'zh-CN': string
  en: string
}

export interface RecordSectionDefinition {
  key: RecordSectionKey
  title: LocalizedText
  /** LOINC code and display, as both WS/T 500 and FHIR use them. */
  loinc: { code: string; display: string }
  /** Where the section sits in a SOAP note. */
  soap: 'S' | 'O' | 'A' | 'P'
}

export const recordSections: readonly RecordSectionDefinition[] = [
  { key: 'chiefComplaint', title: { 'zh-CN': '主诉', en: 'Chief complaint' }, loinc: { code: '10154-3', display: 'Chief complaint Narrative - Reported' }, soap: 'S' },
  { key: 'presentIllness', title: { 'zh-CN': '现病史', en: 'History of present illness' }, loinc: { code: '10164-2', display: 'History of Present illness Narrative' }, soap: 'S' },
  { key: 'pastHistory', title: { 'zh-CN': '既往史', en: 'Past history' }, loinc: { code: '11348-0', display: 'History of Past illness Narrative' }, soap: 'S' },
  { key: 'allergies', title: { 'zh-CN': '过敏史', en: 'Allergies' }, loinc: { code: '48765-2', display: 'Allergies and adverse reactions Document' }, soap: 'S' },
  { key: 'physicalExam', title: { 'zh-CN': '体格检查', en: 'Physical examination' }, loinc: { code: '29545-1', display: 'Physical findings Narrative' }, soap: 'O' },
  { key: 'investigations', title: { 'zh-CN': '辅助检查', en: 'Investigations' }, loinc: { code: '30954-2', display: 'Relevant diagnostic tests/laboratory data Narrative' }, soap: 'O' },
  { key: 'diagnosis', title: { 'zh-CN': '初步诊断', en: 'Preliminary diagnosis' }, loinc: { code: '29548-5', display: 'Diagnosis Narrative' }, soap: 'A' },
  { key: 'plan', title: { 'zh-CN': '处理意见', en: 'Plan of care' }, loinc: { code: '18776-5', display: 'Plan of care note' }, soap: 'P' },
  { key: 'orders', title: { 'zh-CN': '医嘱', en: 'Orders' }, loinc: { code: '46209-3', display: 'Provider orders' }, soap: 'P' },
]

/** LOINC document type of an outpatient note. */
export const outpatientNoteLoinc = { code: '34108-1', display: 'Outpatient Note' }

/** Who wrote a section's text as it stands: the model (unchanged since drafting) or the doctor. */
export type SectionAuthor = 'model' | 'doctor'
export type SectionAuthors = Partial<Record<RecordSectionKey, SectionAuthor>>

/** The model that drafted a record, as its provenance names it. */
export interface DraftingModel {
  name: string
  /** e.g. Q4_K_M, F16; "unknown" when the file (or the server) does not say. */
  quantization: string
  /** SHA-256 of the GGUF file, lowercase hex; null for a model on the hospital inference server (no file here). */
  sha256: string | null
  promptFormat: string
  /** Where it ran: on this workstation, or on the hospital inference server. */
  engine: EngineKind
  /** The hospital inference server's address for a remote model; null for a local one. */
  server: string | null
}

// ── The record JSON file ─────────────────────────────────────────────────────────────────────

const isoDateTime = z.iso.datetime({ offset: true, local: false, message: 'must be an ISO 8601 date-time with a time zone, e.g. 2024-03-01T09:30:00+08:00' })
const shortText = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`)
/** The stored sections; in a record file the diagnosis's code must be an ICD-10 (国家临床版) code, e.g. J06.9. */
const sectionsSchema = outpatientSectionsSchema.extend({ diagnosisCode: z.string().trim().regex(icd10CodePattern, 'must be an ICD-10 code such as J06.9').optional() }).strict()

export const outpatientRecordFileSchema = z
  .object({
    /** The document's id; exports derive one from the content when it is absent. */
    id: shortText(200).optional(),
    clinic: z.object({ name: shortText(200) }).strict(),
    department: shortText(100),
    patient: z
      .object({
        /** 门诊号 */
        id: shortText(100),
        name: shortText(100),
        sex: z.enum(patientSexes),
        /** Whole or fractional years (an infant of 3 months is 0.25); never turned into a birth date. */
        age: z.number().min(0).max(150).optional(),
        birthDate: z.iso.date({ message: 'must be a date, YYYY-MM-DD' }).optional(),
      })
      .strict(),
    /** `id`: the consultation (visit) number, when there is one. */
    visit: z.object({ id: shortText(200).optional(), start: isoDateTime }).strict(),
    doctor: z.object({ id: shortText(128), name: shortText(100) }).strict(),
    /** What the signature is (e.g. PIN-confirmed on this workstation, not CA-certified), printed with it. */
    signatureStatement: shortText(1000).optional(),
    sections: sectionsSchema,
    /** Who wrote each section; a section not named is the doctor's. */
    sectionAuthors: z.partialRecord(z.enum(recordSectionKeys), z.enum(['model', 'doctor'])).optional(),
    /**
     * What each drafted section rests on: the consultation's patient messages and clinician notes the
     * model cited, by id (exports reference them by identifier only, never quoting them).
     */
    sectionSources: z
      .partialRecord(
        z.enum(recordSectionKeys),
        z
          .array(z.object({ kind: z.enum(['patient-message', 'clinician-note']), id: z.number().int().positive() }).strict())
          .max(3),
      )
      .optional(),
    /**
     * The model that drafted the record; absent when the doctor wrote all of it. A local model (the
     * default `engine`) is named by its file's SHA-256; a model on the hospital inference server has
     * no file here and is named with the server's address instead.
     */
    model: z
      .object({
        name: shortText(200),
        quantization: shortText(50),
        sha256: z
          .string()
          .regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hexadecimal characters')
          .transform((hex) => hex.toLowerCase())
          .nullable()
          .optional(),
        promptFormat: shortText(50),
        engine: z.enum(engineKinds).optional(),
        server: z.url({ protocol: /^https?$/ }).max(2000).nullable().optional(),
      })
      .strict()
      .optional(),
    status: z.enum(recordStatuses),
    signedAt: isoDateTime.optional(),
    amendmentReason: shortText(2000).optional(),
    amends: z.object({ id: shortText(200), signedAt: isoDateTime }).strict().optional(),
    redFlags: z
      .array(
        z
          .object({
            category: shortText(100),
            level: z.enum(['emergency', 'urgent']),
            matched: z.array(z.string().min(1).max(200)).max(50),
          })
          .strict(),
      )
      .max(100)
      .optional(),
  })
  .strict()
  .superRefine((record, context) => {
    if (record.status !== 'draft' && record.signedAt === undefined) {
      context.addIssue({ code: 'custom', path: ['signedAt'], message: 'a signed or amended record needs signedAt' })
    }
    if (record.status === 'amended' && record.amendmentReason === undefined) {
      context.addIssue({ code: 'custom', path: ['amendmentReason'], message: 'an amended record needs amendmentReason' })
    }
    if (record.status === 'amended' && record.amends === undefined) {
      context.addIssue({ code: 'custom', path: ['amends'], message: 'an amended record names the version it replaces in amends' })
    }
    if (record.model && (record.model.engine ?? 'local') === 'local' && record.model.sha256 == null) {
      context.addIssue({ code: 'custom', path: ['model', 'sha256'], message: "a local model is named by its file's SHA-256" })
    }
    if (record.model?.engine === 'remote' && record.model.server == null) {
      context.addIssue({ code: 'custom', path: ['model', 'server'], message: 'a model on the hospital inference server needs its server' })
    }
  })

/** A whole outpatient record, as the record JSON file holds it and as every exporter reads it. */
export type OutpatientRecordFile = z.output<typeof outpatientRecordFileSchema>
export type OutpatientRecordFileSections = OutpatientRecordFile['sections']
export type RecordRedFlag = NonNullable<OutpatientRecordFile['redFlags']>[number]

// ── Drafting and exporting over IPC ──────────────────────────────────────────────────────────

export const recordDraftRequestSchema = z.object({ consultationId: z.string().min(1).max(100) }).strict()
export type RecordDraftRequest = z.infer<typeof recordDraftRequestSchema>

/** Pushed while the model drafts (coalesced like answer deltas). */
export interface RecordDraftProgress {
  consultationId: string
  generatedTokens: number
  /** The most the draft may take; the model usually stops far earlier. */
  budgetTokens: number
  /** The section the model is writing now, once its name has appeared. */
  section: ModelDraftedSectionKey | 'diagnosisCode' | null
}

export const exportFormats = ['fhir', 'pdf', 'md', 'txt'] as const
export type ExportFormat = (typeof exportFormats)[number]
export const paperSizes = ['a4', 'a5'] as const
export type PaperSize = (typeof paperSizes)[number]

export const recordExportRequestSchema = z
  .object({
    /** The version to export; or `recordId` for the record's latest version (or its numbered `version`). */
    recordVersionId: z.number().int().positive().optional(),
    recordId: z.number().int().positive().optional(),
    version: z.number().int().positive().optional(),
    format: z.enum(exportFormats),
    // No destination: a path never comes from the window. The app asks the clinician with the
    // operating system's save dialog; the browser host sends the bytes back for the page to save.
    paper: z.enum(paperSizes).optional(),
  })
  .strict()
  .refine((request) => (request.recordVersionId === undefined) !== (request.recordId === undefined) && (request.version === undefined || request.recordId !== undefined), {
    message: 'give recordVersionId, or recordId with an optional version',
  })
export type RecordExportRequest = z.infer<typeof recordExportRequestSchema>

/** The file's media type for each export format, as a download or a save dialog filter names it. */
export const exportMediaTypes: Readonly<Record<ExportFormat, string>> = {
  fhir: 'application/fhir+json',
  pdf: 'application/pdf',
  md: 'text/markdown; charset=utf-8',
  txt: 'text/plain; charset=utf-8',
}

/**
 * What `export.run` did: saved where the clinician chose (app), handed back as bytes for the page to
 * save as a download (browser host), or nothing because the clinician cancelled the save dialog.
 */
export type RecordExportOutcome =
  | ({ outcome: 'saved'; fileName: string } & RecordExportResult)
  | {
      outcome: 'download'
      export: RecordExport
      fileName: string
      mediaType: string
      /** The file itself, base64. */
      base64: string
      bytes: number
      contentHash: string
      auditChainHead: string
    }
  | { outcome: 'cancelled' }

export interface RecordExportResult {
  export: RecordExport
  path: string
  bytes: number
  /** SHA-256 of the written file. */
  contentHash: string
  /** The audit log's newest hash after the export was logged. */
  auditChainHead: string
}
