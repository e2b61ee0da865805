import type { ModelDraftedSectionKey } from '../../contract/outpatient-record.ts'
import type { EvidenceLink, EvidenceSource } from '../../contract/record-evidence.ts'
import { WorkstationError } from '../errors.ts'
import type { AuditLog } from './audit-log.ts'
import type { RecordDatabase } from './record-database.ts'

interface LinkRow {
  id: number
  record_version_id: number
  section: string
  source_kind: EvidenceSource['kind']
  source_id: number
  draft_id: number
}

function toLink(row: LinkRow): EvidenceLink {
  const source: EvidenceSource = row.source_kind === 'patient-message' ? { kind: 'patient-message', messageId: row.source_id } : { kind: 'clinician-note', noteId: row.source_id }
  return { id: row.id, recordVersionId: row.record_version_id, section: row.section as ModelDraftedSectionKey, source, draftId: row.draft_id }
}

export function sourceId(source: EvidenceSource): number {
  return source.kind === 'patient-message' ? source.messageId : source.noteId
}

/**
 * The links from a record version's drafted sections to the conversation turns they rest on. A
 * draft's links are replaced section by section when the model drafts the section again, and the
 * doctor may remove one (kept, marked removed, audited); a signed version's links are final (the
 * schema's triggers refuse a change); an amendment carries its predecessor's live links forward.
 */
export class RecordEvidence {
  private readonly store: RecordDatabase
  private readonly audit: AuditLog

  constructor(store: RecordDatabase, audit: AuditLog) {
    this.store = store
    this.audit = audit
  }

  /** Inside the draft's transaction: the sections the model (re)wrote get this draft's links, and lose the earlier ones. */
  replaceDrafted(recordVersionId: number, draftId: number, sources: Partial<Record<ModelDraftedSectionKey, readonly EvidenceSource[]>>): void {
    const remove = this.store.statement('DELETE FROM record_evidence WHERE record_version_id = ? AND section = ?')
    const insert = this.store.statement(
      'INSERT INTO record_evidence (record_version_id, section, source_kind, source_id, draft_id) VALUES (?, ?, ?, ?, ?)',
    )
    for (const [section, cited] of Object.entries(sources) as [ModelDraftedSectionKey, readonly EvidenceSource[]][]) {
      remove.run(recordVersionId, section)
      for (const source of cited) insert.run(recordVersionId, section, source.kind, sourceId(source), draftId)
    }
  }

  /** Inside an amendment's transaction: the new version starts with the live links of the one it replaces. */
  carryForward(fromVersionId: number, toVersionId: number): void {
    this.store
      .statement(
        `INSERT INTO record_evidence (record_version_id, section, source_kind, source_id, draft_id)
         SELECT ?, section, source_kind, source_id, draft_id FROM record_evidence WHERE record_version_id = ? AND removed_at IS NULL ORDER BY id`,
      )
      .run(toVersionId, fromVersionId)
  }

  /** A version's live links, in section and citation order. */
  list(recordVersionId: number): EvidenceLink[] {
    const rows = this.store.read('record.evidence', () =>
      this.store.statement('SELECT * FROM record_evidence WHERE record_version_id = ? AND removed_at IS NULL ORDER BY id LIMIT 500').all(recordVersionId),
    ) as unknown as LinkRow[]
    return rows.map(toLink)
  }

  /** The doctor takes a link away: only from a draft (RECORD_SIGNED otherwise); kept as removed, audited by ids. */
  remove(linkId: number, actor: string): EvidenceLink {
    return this.store.transaction('record.evidence-remove', () => {
      const row = this.store
        .statement(
          `SELECT e.*, v.status, v.record_id FROM record_evidence e JOIN outpatient_record_versions v ON v.id = e.record_version_id
           WHERE e.id = ? AND e.removed_at IS NULL`,
        )
        .get(linkId) as (LinkRow & { status: string; record_id: number }) | undefined
      if (row === undefined) throw new WorkstationError('EVIDENCE_NOT_FOUND', `link ${linkId}`)
      if (row.status !== 'draft') throw new WorkstationError('RECORD_SIGNED', `record ${row.record_id}`)
      this.store.statement('UPDATE record_evidence SET removed_by = ?, removed_at = ? WHERE id = ?').run(actor, this.store.now(), linkId)
      this.audit.append({ actor, action: 'record.evidence-removed', entityType: 'record', entityId: row.record_id, details: { linkId, section: row.section } })
      return toLink(row)
    })
  }
}
