// What a drafted record section rests on, and whether a record is complete enough to sign: the
// links from sections to the conversation turns the model cited, and the completeness check that
// signing shares with the editor. Plain data only.
import type { DraftingModel, ModelDraftedSectionKey, RecordSectionKey, SectionAuthors } from './outpatient-record.ts'
import type { OutpatientRecordVersion, RecordExport } from './record-versions.ts'

/** The most turns one section may cite: the strongest few, not the whole conversation. */
export const maxSourcesPerSection = 3

/**
 * What a section may cite: what the patient said and what the clinician noted. Never the model's own
 * answers: a record resting on them would be the model citing itself.
 */
export type EvidenceSource = { kind: 'patient-message'; messageId: number } | { kind: 'clinician-note'; noteId: number }

/** One section's link to a turn of the conversation, made when the model drafted the section. */
export interface EvidenceLink {
  id: number
  recordVersionId: number
  section: ModelDraftedSectionKey
  source: EvidenceSource
  /** The model draft that cited it (every link today comes from one: "from the draft"). */
  draftId: number
}

/** The items 《病历书写基本规范》 expects of an outpatient record, as the check names them. */
export const recordCheckItems = [
  'chiefComplaint',
  'diagnosis',
  'visitTime',
  'department',
  'presentIllness',
  'pastHistory',
  'physicalExam',
  'plan',
  /** A section still as the model drafted it, citing nothing in the conversation. */
  'unsupported',
] as const
export type RecordCheckItem = (typeof recordCheckItems)[number]

/** block: signing is refused until it is fixed; warn: signing may go on, the clinician has been told. */
export interface RecordCheckFinding {
  item: RecordCheckItem
  level: 'block' | 'warn'
  /** The section concerned (for `unsupported`, the one with no source). */
  section?: RecordSectionKey
}

/** `record.check`: what the latest version lacks. Signing runs the same check and refuses on a block. */
export interface RecordCheck {
  recordId: number
  version: number
  signable: boolean
  findings: RecordCheckFinding[]
}

/** The record as its editor opens it: the latest version, who wrote what, and what it rests on. */
export interface RecordWorkspace {
  consultationId: string
  /** null until a draft is started. */
  version: OutpatientRecordVersion | null
  sectionAuthors: SectionAuthors
  /** The latest version's links (the doctor's removals left out). */
  evidence: EvidenceLink[]
  /** The model that drafted the record, and when; null when the doctor wrote it all. */
  draft: { model: DraftingModel; draftedAt: string } | null
  check: RecordCheck | null
}

/** One version as the history lists it: who signed it, when, and why it replaced the one before. */
export interface RecordHistoryVersion extends OutpatientRecordVersion {
  /** The signer's name as the signature row keeps it (or the account's); null for a draft. */
  signerName: string | null
  authorName: string
}

/** `record.history`: every version and every export of the record, oldest first. */
export interface RecordHistory {
  recordId: number
  versions: RecordHistoryVersion[]
  exports: (RecordExport & { version: number; exportedByName: string })[]
}

/** `record.printable`: the version as it prints, for the print preview (the same HTML the PDF is made from). */
export interface PrintableRecord {
  html: string
  fileName: string
}
