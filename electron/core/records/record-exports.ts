import type { RecordExport } from '../../contract/record-versions.ts'
import type { AuditLog } from './audit-log.ts'
import type { OutpatientRecords } from './outpatient-records.ts'
import type { RecordDatabase } from './record-database.ts'
import { isoTime } from './record-time.ts'

interface ExportRow {
  id: number
  record_version_id: number
  format: string
  destination: string
  content_hash: string
  exported_by: string
  exported_at: number
}

function toExport(row: ExportRow): RecordExport {
  return {
    id: row.id,
    recordVersionId: row.record_version_id,
    format: row.format,
    destination: row.destination,
    contentHash: row.content_hash,
    exportedBy: row.exported_by,
    exportedAt: isoTime(row.exported_at),
  }
}

/** Every export of a signed record version: what, in which format, where to, and the exported bytes' hash. */
export class RecordExports {
  private readonly store: RecordDatabase
  private readonly audit: AuditLog
  private readonly records: OutpatientRecords

  constructor(store: RecordDatabase, audit: AuditLog, records: OutpatientRecords) {
    this.store = store
    this.audit = audit
    this.records = records
  }

  log(recordVersionId: number, entry: { format: string; destination: string; contentHash: string }, actor: string): RecordExport {
    return this.store.transaction('record.export', () => {
      const version = this.records.signedVersion({ recordVersionId })
      const row = this.store
        .statement(
          `INSERT INTO record_exports (record_version_id, format, destination, content_hash, exported_by, exported_at)
           VALUES (?, ?, ?, ?, ?, ?) RETURNING *`,
        )
        .get(recordVersionId, entry.format, entry.destination, entry.contentHash, actor, this.store.now()) as unknown as ExportRow
      // The destination may name the patient (a file name), so it stays in the export row, not the audit log.
      this.audit.append({
        actor,
        action: 'record.export',
        entityType: 'record',
        entityId: version.recordId,
        details: { exportId: row.id, version: version.version, format: entry.format },
      })
      return toExport(row)
    })
  }

  list(recordVersionId: number): RecordExport[] {
    const rows = this.store.read('record.exports', () =>
      this.store.statement('SELECT * FROM record_exports WHERE record_version_id = ? ORDER BY exported_at, id LIMIT 200').all(recordVersionId),
    ) as unknown as ExportRow[]
    return rows.map(toExport)
  }
}
