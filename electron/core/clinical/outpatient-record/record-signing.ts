import { icd10CodePattern, maxSectionLength, type OutpatientRecordSections, type OutpatientRecordVersion } from '../../../contract/record-versions.ts'
import { WorkstationError } from '../../errors.ts'
import type { RecordStore } from '../../records/record-store.ts'
import { checkRecord, missingForSignature } from './record-check.ts'

/** The clinician who signs, as the caller (later: the PIN-checked session) names them. */
export interface RecordSigner {
  id: string
  name: string
}

/**
 * What a signature requires: a 主诉 and a 初步诊断 the doctor stands behind ("未提及" is not one), an
 * ICD-10 code that is one, and no section beyond what the exports carry. Messages name the field only.
 */
export function checkSignable(sections: OutpatientRecordSections): void {
  const missing = missingForSignature(sections).map((finding) => finding.item)
  if (missing.length > 0) throw new WorkstationError('RECORD_INCOMPLETE', `missing: ${missing.join(', ')}`, { data: { missing: missing.join(',') } })
  const code = sections.diagnosisCode
  if (code !== undefined && code !== '' && !icd10CodePattern.test(code)) throw new WorkstationError('USAGE', 'diagnosisCode must be an ICD-10 code such as J06.9')
  for (const [key, text] of Object.entries(sections)) {
    if (typeof text === 'string' && text.length > maxSectionLength) throw new WorkstationError('USAGE', `${key} is longer than ${maxSectionLength} characters`)
  }
}

/**
 * Signs the record's draft: checked as `record.check` checks it (a block refuses with
 * RECORD_INCOMPLETE, naming what is missing), then locked, stamped, hashed and audited by the store.
 */
export function signOutpatientRecord(store: Pick<RecordStore, 'records' | 'consultations' | 'drafts' | 'evidence'>, recordId: number, signer: RecordSigner): OutpatientRecordVersion {
  const latest = store.records.versions(recordId).at(-1)
  if (latest !== undefined && latest.status === 'draft') {
    const check = checkRecord(store, recordId)
    const missing = check.findings.filter((finding) => finding.level === 'block').map((finding) => finding.item)
    if (missing.length > 0) throw new WorkstationError('RECORD_INCOMPLETE', `missing: ${missing.join(', ')}`, { data: { missing: missing.join(',') } })
    checkSignable(latest.sections)
  }
  return store.records.sign(recordId, signer.id)
}

/** A signed correction: a new version that replaces the earlier one; every version stays readable. */
export function amendOutpatientRecord(
  store: Pick<RecordStore, 'records'>,
  recordId: number,
  sections: OutpatientRecordSections,
  reason: string,
  signer: RecordSigner,
): OutpatientRecordVersion {
  checkSignable(sections)
  return store.records.amend(recordId, sections, reason, signer.id)
}
