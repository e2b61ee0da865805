import type { DraftingModel, ModelDraftedSectionKey } from '../../contract/outpatient-record.ts'
import type { EvidenceSource } from '../../contract/record-evidence.ts'
import type { OutpatientRecordSections, OutpatientRecordVersion } from '../../contract/record-versions.ts'
import type { EngineKind } from '../../contract/remote-engine.ts'
import type { AuditLog } from './audit-log.ts'
import type { OutpatientRecords } from './outpatient-records.ts'
import type { RecordDatabase } from './record-database.ts'
import type { RecordEvidence } from './record-evidence.ts'
import { isoTime } from './record-time.ts'

/** One run of the model over a consultation: which model, and exactly what it wrote. */
export interface ModelDraft {
  id: number
  recordId: number
  model: DraftingModel
  /** The model's text for the sections it drafted (never 体格检查, 辅助检查 or 医嘱). */
  sections: OutpatientRecordSections
  /** What each section cited (null for drafts made before sections cited anything). */
  sources: Partial<Record<ModelDraftedSectionKey, EvidenceSource[]>> | null
  draftedBy: string
  draftedAt: string
}

interface DraftRow {
  id: number
  record_id: number
  model_name: string
  model_quantization: string
  /** '' for a model on the hospital inference server: it has no file (the column is NOT NULL since schema 4). */
  model_sha256: string
  prompt_format: string
  /** Schema 9: 'local' for every older draft. */
  engine: EngineKind
  server: string | null
  sections: string
  sources: string | null
  drafted_by: string
  drafted_at: number
}

function toDraft(row: DraftRow): ModelDraft {
  return {
    id: row.id,
    recordId: row.record_id,
    model: {
      name: row.model_name,
      quantization: row.model_quantization,
      sha256: row.model_sha256 === '' ? null : row.model_sha256,
      promptFormat: row.prompt_format,
      engine: row.engine,
      server: row.server,
    },
    sections: JSON.parse(row.sections) as OutpatientRecordSections,
    sources: row.sources === null ? null : (JSON.parse(row.sources) as Partial<Record<ModelDraftedSectionKey, EvidenceSource[]>>),
    draftedBy: row.drafted_by,
    draftedAt: isoTime(row.drafted_at),
  }
}

/**
 * The provenance of model-drafted text. The draft version itself is an ordinary record draft; this
 * keeps beside it what the model wrote, so a section whose text still equals the model's is known
 * to be the model's, and an export can name the model that drafted the record.
 */
export class RecordDrafts {
  private readonly store: RecordDatabase
  private readonly audit: AuditLog
  private readonly records: OutpatientRecords
  private readonly evidence: RecordEvidence

  constructor(store: RecordDatabase, audit: AuditLog, records: OutpatientRecords, evidence: RecordEvidence) {
    this.store = store
    this.audit = audit
    this.records = records
    this.evidence = evidence
  }

  /**
   * Stores the merged sections as the record's draft, what the model wrote and cited, and the links
   * of the sections whose text is now the model's (`taken`), in one transaction.
   */
  saveModelDraft(
    consultationId: string,
    sections: OutpatientRecordSections,
    drafted: OutpatientRecordSections,
    model: DraftingModel,
    author: string,
    cited: { sources: Partial<Record<ModelDraftedSectionKey, EvidenceSource[]>>; taken: readonly ModelDraftedSectionKey[] } = { sources: {}, taken: [] },
  ): { version: OutpatientRecordVersion; draft: ModelDraft } {
    return this.store.transaction('record.model-draft', () => {
      const version = this.records.saveDraft(consultationId, sections, author)
      const row = this.store
        .statement(
          `INSERT INTO record_drafts (record_id, model_name, model_quantization, model_sha256, prompt_format, sections, sources, drafted_by, drafted_at, engine, server)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
        )
        .get(
          version.recordId,
          model.name,
          model.quantization,
          model.sha256 ?? '',
          model.promptFormat,
          JSON.stringify(drafted),
          JSON.stringify(cited.sources),
          author,
          this.store.now(),
          model.engine,
          model.server,
        ) as unknown as DraftRow
      this.evidence.replaceDrafted(version.id, row.id, Object.fromEntries(cited.taken.map((key) => [key, cited.sources[key] ?? []])))
      this.audit.append({
        actor: author,
        action: 'record.model-draft',
        entityType: 'record',
        entityId: version.recordId,
        details: {
          draftId: row.id,
          version: version.version,
          modelSha256: model.sha256,
          // A remote model has no file hash: the server it ran on names it (audit details are short texts).
          ...(model.engine === 'remote' ? { engine: model.engine, server: model.server?.slice(0, 200) ?? null } : {}),
          sections: Object.keys(drafted).length,
        },
      })
      return { version, draft: toDraft(row) }
    })
  }

  /** The newest draft the model wrote for the record, or null when the doctor wrote it all. */
  latest(recordId: number): ModelDraft | null {
    const row = this.store.read('record.model-draft.get', () =>
      this.store.statement('SELECT * FROM record_drafts WHERE record_id = ? ORDER BY id DESC LIMIT 1').get(recordId),
    ) as DraftRow | undefined
    return row === undefined ? null : toDraft(row)
  }
}
