import type { RecordWorkspace } from '../../../contract/record-evidence.ts'
import type { RecordStore } from '../../records/record-store.ts'
import { checkRecord } from './record-check.ts'
import { storedSectionAuthors } from './record-drafting.ts'

/**
 * The record as its editor opens it: the consultation's latest version (a signed one checked against
 * its signature), who wrote each section, the live links to the conversation, which model drafted it,
 * and what the completeness check finds. The read is kept in the access log (ids only).
 */
export function recordWorkspace(store: Pick<RecordStore, 'records' | 'consultations' | 'drafts' | 'evidence' | 'audit'>, consultationId: string, reader: string): RecordWorkspace {
  store.consultations.get(consultationId)
  const version = store.records.latestFor(consultationId, reader)
  if (version === null) return { consultationId, version: null, sectionAuthors: {}, evidence: [], draft: null, check: null }
  const draft = store.drafts.latest(version.recordId)
  store.audit.noteRead({
    actor: reader,
    action: 'access.record',
    entityType: 'record',
    entityId: version.recordId,
    details: { recordVersionId: version.id, version: version.version, consultationId },
  })
  return {
    consultationId,
    version,
    sectionAuthors: storedSectionAuthors(store, version),
    evidence: store.evidence.list(version.id),
    draft: draft === null ? null : { model: draft.model, draftedAt: draft.draftedAt },
    check: checkRecord(store, version.recordId, reader),
  }
}
