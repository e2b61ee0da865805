import { modelDraftedSectionKeys, notMentioned, type SectionAuthors } from '../../../contract/outpatient-record.ts'
import type { EvidenceLink, RecordCheck, RecordCheckFinding } from '../../../contract/record-evidence.ts'
import type { OutpatientRecordSections } from '../../../contract/record-versions.ts'
import { WorkstationError } from '../../errors.ts'
import type { RecordStore } from '../../records/record-store.ts'
import { storedSectionAuthors } from './record-drafting.ts'

/** A section the doctor stands behind: written, and not the model's "未提及". */
export function filled(text: string | undefined): boolean {
  return text !== undefined && text.trim() !== '' && text.trim() !== notMentioned
}

/** What a signature cannot go without: a 主诉 and a 初步诊断. */
export function missingForSignature(sections: OutpatientRecordSections): RecordCheckFinding[] {
  return (['chiefComplaint', 'diagnosis'] as const).filter((key) => !filled(sections[key])).map((key) => ({ item: key, level: 'block', section: key }))
}

export interface RecordCheckInput {
  sections: OutpatientRecordSections
  /** The consultation's department ('' when nobody set one). */
  department: string
  /** When the consultation began; null when unknown. */
  visitTime: string | null
  sectionAuthors: SectionAuthors
  evidence: readonly EvidenceLink[]
}

/**
 * The completeness of an outpatient record as 《病历书写基本规范》 asks it of a first visit: without
 * 主诉 and 初步诊断 it is not signed (block); without visit time, department, 现病史, 既往史, 体格检查
 * or 处理意见 the doctor is warned, item by item; and a section still as the model drafted it that
 * cites nothing in the conversation is flagged, since nothing the patient said supports it.
 */
export function recordFindings(input: RecordCheckInput): RecordCheckFinding[] {
  const { sections } = input
  const findings: RecordCheckFinding[] = missingForSignature(sections)
  if (input.visitTime === null) findings.push({ item: 'visitTime', level: 'warn' })
  if (input.department.trim() === '') findings.push({ item: 'department', level: 'warn' })
  for (const key of ['presentIllness', 'pastHistory', 'physicalExam', 'plan'] as const) {
    if (!filled(sections[key])) findings.push({ item: key, level: 'warn', section: key })
  }
  const cited = new Set(input.evidence.map((link) => link.section))
  for (const key of modelDraftedSectionKeys) {
    if (input.sectionAuthors[key] === 'model' && filled(sections[key]) && !cited.has(key)) findings.push({ item: 'unsupported', level: 'warn', section: key })
  }
  return findings
}

/** `record.check`: the findings on the record's latest version. */
export function checkRecord(store: Pick<RecordStore, 'records' | 'consultations' | 'drafts' | 'evidence'>, recordId: number, reader?: string): RecordCheck {
  const version = store.records.versions(recordId, reader).at(-1)
  if (version === undefined) throw new WorkstationError('RECORD_NOT_FOUND')
  const consultation = store.consultations.get(version.consultationId)
  const findings = recordFindings({
    sections: version.sections,
    department: consultation.department,
    visitTime: consultation.createdAt,
    sectionAuthors: storedSectionAuthors(store, version),
    evidence: store.evidence.list(version.id),
  })
  return { recordId, version: version.version, signable: !findings.some((finding) => finding.level === 'block'), findings }
}
