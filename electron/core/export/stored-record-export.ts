import { createHash } from 'node:crypto'
import { resolve } from 'node:path'
import type { ExportFormat, PaperSize, RecordExportResult } from '../../contract/outpatient-record.ts'
import { WorkstationError } from '../errors.ts'
import { storedRecordFile, type StoredRecordContext } from '../clinical/outpatient-record/stored-record-file.ts'
import type { RecordStore } from '../records/record-store.ts'
import { removeUnloggedExport, writeNewFile } from './export-file.ts'
import { renderRecord, type RenderOptions } from './record-rendering.ts'

export interface StoredRecordExportRequest {
  recordVersionId: number
  format: ExportFormat
  /** The file to write; it must not exist yet. */
  destination: string
  paper?: PaperSize
  /** The clinician (or "system") exporting. */
  actor: string
}

export type StoredRecordExportContext = StoredRecordContext & Omit<RenderOptions, 'paper'>

/**
 * `export.run`: one signed or amended version to a file. Drafts are refused (RECORD_NOT_SIGNED),
 * and so is a version whose content no longer matches its signature (RECORD_TAMPERED), before
 * anything is made. The file is written atomically and never over an existing one, then the
 * export is logged (exports table and audit log, one transaction); if logging fails the file is
 * removed again, so every file that exists is in the log.
 */
export async function exportStoredRecord(
  store: RecordStore,
  request: StoredRecordExportRequest,
  context: StoredRecordExportContext,
): Promise<RecordExportResult> {
  // Re-hashed before anything is made: an altered signed version refuses (RECORD_TAMPERED), audited as the exporter.
  const version = store.records.version(request.recordVersionId, request.actor)
  if (version.amendsVersionId !== null) store.records.version(version.amendsVersionId, request.actor)
  if (version.status === 'draft') throw new WorkstationError('RECORD_NOT_SIGNED', `record ${version.recordId}`)
  const record = storedRecordFile(store, version.id, context)
  const rendered = await renderRecord(record, request.format, { ...context, ...(request.paper ? { paper: request.paper } : {}) })
  const path = resolve(request.destination)
  await writeNewFile(path, rendered.bytes)
  const contentHash = createHash('sha256').update(rendered.bytes).digest('hex')
  let logged
  try {
    logged = store.exports.log(version.id, { format: request.format, destination: path, contentHash }, request.actor)
  } catch (error) {
    await removeUnloggedExport(path)
    throw error
  }
  const head = store.audit.list({ limit: 1 }).items[0]
  return { export: logged, path, bytes: rendered.bytes.byteLength, contentHash, auditChainHead: head?.hash ?? '' }
}
