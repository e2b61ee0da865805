import { createHash } from 'node:crypto'
import { resolve } from 'node:path'
import { exportMediaTypes, type ExportFormat, type PaperSize, type RecordExportOutcome, type RecordExportResult } from '../../contract/outpatient-record.ts'
import { WorkstationError } from '../errors.ts'
import { storedRecordFile, type StoredRecordContext } from '../clinical/outpatient-record/stored-record-file.ts'
import type { RecordStore } from '../records/record-store.ts'
import { exportFileName } from './export-file-name.ts'
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
 * One signed or amended version, checked and rendered; nothing written or logged yet. Drafts are
 * refused (RECORD_NOT_SIGNED), and so is a version whose content no longer matches its signature
 * (RECORD_TAMPERED, audited as the exporter), before anything is made.
 */
async function renderedVersion(store: RecordStore, request: Omit<StoredRecordExportRequest, 'destination'>, context: StoredRecordExportContext) {
  const version = store.records.version(request.recordVersionId, request.actor)
  if (version.amendsVersionId !== null) store.records.version(version.amendsVersionId, request.actor)
  if (version.status === 'draft') throw new WorkstationError('RECORD_NOT_SIGNED', `record ${version.recordId}`)
  const record = storedRecordFile(store, version.id, context)
  const rendered = await renderRecord(record, request.format, { ...context, ...(request.paper ? { paper: request.paper } : {}) })
  return { version, rendered, fileName: exportFileName(record, request.format), contentHash: createHash('sha256').update(rendered.bytes).digest('hex') }
}

/** The name the save dialog suggests for a version's export (checked like the export itself). */
export function suggestedExportFileName(store: RecordStore, request: { recordVersionId: number; format: ExportFormat; actor: string }, context: StoredRecordContext): string {
  const version = store.records.version(request.recordVersionId, request.actor)
  if (version.status === 'draft') throw new WorkstationError('RECORD_NOT_SIGNED', `record ${version.recordId}`)
  return exportFileName(storedRecordFile(store, version.id, context), request.format)
}

/**
 * `export.run` in the browser host: the file's bytes go back to the page, which saves them as a
 * download. Logged like a file export, its destination recorded as `download:<file name>`.
 */
export async function downloadStoredRecord(
  store: RecordStore,
  request: Omit<StoredRecordExportRequest, 'destination'>,
  context: StoredRecordExportContext,
): Promise<Extract<RecordExportOutcome, { outcome: 'download' }>> {
  const { version, rendered, fileName, contentHash } = await renderedVersion(store, request, context)
  const logged = store.exports.log(version.id, { format: request.format, destination: `download:${fileName}`, contentHash }, request.actor)
  const head = store.audit.list({ limit: 1 }).items[0]
  return {
    outcome: 'download',
    export: logged,
    fileName,
    mediaType: exportMediaTypes[request.format],
    base64: Buffer.from(rendered.bytes).toString('base64'),
    bytes: rendered.bytes.byteLength,
    contentHash,
    auditChainHead: head?.hash ?? '',
  }
}

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
  const { version, rendered, contentHash } = await renderedVersion(store, request, context)
  const path = resolve(request.destination)
  await writeNewFile(path, rendered.bytes)
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
