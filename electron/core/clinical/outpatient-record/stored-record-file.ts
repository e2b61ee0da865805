import type { OutpatientRecordFile } from '../../../contract/outpatient-record.ts'
import type { OutpatientRecordVersion } from '../../../contract/record-versions.ts'
import { demoClinicNameOf } from '../../records/demo-database.ts'
import type { RecordStore } from '../../records/record-store.ts'
import { checkedRecordFile } from './record-file.ts'
import { sectionAuthorsOf } from './section-authors.ts'

export interface StoredRecordContext {
  /** The hospital configuration's clinic name (a demo database names its demo clinic instead). */
  clinicName: string | null
  /** The signature row of a version (clinician accounts): the signer's name as it was then, and what kind of signature it is. */
  signatureOf?: (recordVersionId: number) => { name: string; statement: string } | null
  /** A clinician's current name, for versions signed before accounts existed; the id stands in when there is none. */
  clinicianName?: (clinicianId: string) => string | null
}

/** Printed where IT has not yet set the clinic's name, so the gap shows rather than a wrong name. */
export const unconfiguredClinicName = '（医疗机构名称未配置）'

/** A version's document id: stable, and unique across workstations as consultation ids are. */
export function recordDocumentId(version: Pick<OutpatientRecordVersion, 'consultationId' | 'version'>): string {
  return `${version.consultationId}-v${version.version}`
}

/**
 * One stored signed or amended version as a whole record (the record file format every exporter
 * reads): header from the consultation and patient, sections and signature from the version,
 * provenance from what the model drafted and cited, red flags raised during the consultation. A draft is
 * refused (RECORD_NOT_SIGNED), by the store's `records.signedVersion`.
 */
export function storedRecordFile(
  store: Pick<RecordStore, 'records' | 'consultations' | 'patients' | 'drafts' | 'evidence' | 'redFlags' | 'connection'>,
  versionId: number,
  context: StoredRecordContext,
): OutpatientRecordFile {
  const version = store.records.signedVersion({ recordVersionId: versionId })
  const consultation = store.consultations.get(version.consultationId)
  const patient = store.patients.get(consultation.patientId)
  const draft = store.drafts.latest(version.recordId)
  const doctorId = version.signedBy ?? version.author
  const amended = version.amendsVersionId === null ? null : store.records.version(version.amendsVersionId)
  const redFlags = store.redFlags.list(consultation.id)
  const signature = context.signatureOf?.(version.id) ?? null
  const sectionSources: Partial<Record<string, { kind: 'patient-message' | 'clinician-note'; id: number }[]>> = {}
  for (const link of store.evidence.list(version.id)) {
    const id = link.source.kind === 'patient-message' ? link.source.messageId : link.source.noteId
    ;(sectionSources[link.section] ??= []).push({ kind: link.source.kind, id })
  }
  const record = {
    id: recordDocumentId(version),
    // A demo database's records name the demo clinic, never the real one configured.
    clinic: { name: demoClinicNameOf(store) ?? context.clinicName ?? unconfiguredClinicName },
    department: consultation.department.trim() || '门诊',
    patient: {
      id: patient.clinicNumber ?? patient.id,
      name: patient.name,
      sex: patient.sex,
      ...(patient.ageYears === null ? {} : { age: patient.ageYears }),
      ...(patient.birthDate === null ? {} : { birthDate: patient.birthDate }),
    },
    visit: { id: consultation.id, start: consultation.createdAt },
    doctor: { id: doctorId, name: signature?.name ?? context.clinicianName?.(doctorId) ?? doctorId },
    ...(signature === null ? {} : { signatureStatement: signature.statement }),
    sections: version.sections,
    sectionAuthors: sectionAuthorsOf(version.sections, draft?.sections ?? null),
    ...(Object.keys(sectionSources).length === 0 ? {} : { sectionSources }),
    ...(draft === null ? {} : { model: draft.model }),
    status: version.status,
    ...(version.signedAt === null ? {} : { signedAt: version.signedAt }),
    ...(version.amendmentReason === null ? {} : { amendmentReason: version.amendmentReason }),
    ...(amended === null || amended.signedAt === null ? {} : { amends: { id: recordDocumentId(amended), signedAt: amended.signedAt } }),
    ...(redFlags.length === 0 ? {} : { redFlags: redFlags.map((flag) => ({ category: flag.category, level: flag.level, matched: flag.matchedWords })) }),
  }
  return checkedRecordFile(record)
}
