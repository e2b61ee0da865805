import { createHash } from 'node:crypto'
import { basename, resolve } from 'node:path'
import { exportMediaTypes, type ExportFormat, type PaperSize, type RecordExportResult } from '../../contract/outpatient-record.ts'
import type { RecordExport } from '../../contract/record-versions.ts'
import { storedRecordFile, type StoredRecordContext } from '../clinical/outpatient-record/stored-record-file.ts'
import type { RecordStore } from '../records/record-store.ts'
import { exportFileName } from './export-file-name.ts'
import { removeUnloggedExport, writeNewFile } from './export-file.ts'
import type { PdfRenderer } from './pdf-renderer-interface.ts'
import { renderRecord, type RenderOptions } from './record-rendering.ts'

// The one path of every export of a stored record — the window's (a file the clinician chose, or
// bytes for the browser host's page), the CLI's (a file, or standard output): the version is
// chosen and checked once (a draft is refused, an altered signed version is RECORD_TAMPERED,
// audited), rendered, written or handed back, and logged with the audit chain.

/** Where an export goes, decided once its file name is known: a new file, or bytes for the caller to deliver. */
export type ExportDestination = { file: string } | { bytes: 'download' | 'stdout' }

export interface SignedRecordExportRequest {
  /** A version by its id, or a record's latest (or numbered) version. */
  which: { recordVersionId: number } | { recordId: number; version?: number }
  format: ExportFormat
  paper?: PaperSize
  /** The clinician (or "system") exporting: named in the export log and the access log. */
  actor: string
  /** Chooses the destination given the suggested file name; null when the clinician cancelled. */
  destination(fileName: string): Promise<ExportDestination | null>
}

export type StoredRecordExportContext = StoredRecordContext &
  Omit<RenderOptions, 'paper' | 'pdfRenderer'> & {
    /** Made only for a PDF, once the destination is chosen; closed afterwards. */
    pdfRenderer?: () => Promise<PdfRenderer>
  }

interface ExportCommon {
  export: RecordExport
  fileName: string
  mediaType: string
  bytes: number
  /** SHA-256 of the exported bytes. */
  contentHash: string
  /** The audit log's newest hash after the export was logged. */
  auditChainHead: string
}

export type SignedRecordExport =
  | ({ outcome: 'saved' } & ExportCommon & Pick<RecordExportResult, 'path'>)
  | ({ outcome: 'bytes'; content: Uint8Array } & ExportCommon)
  | { outcome: 'cancelled' }

/**
 * A file is written atomically and never over an existing one, then logged (exports table and
 * audit log, one transaction); if logging fails the file is removed again, so every file that
 * exists is in the log. Bytes are logged as `download:<file name>` or `stdout`.
 */
export async function exportSignedRecord(store: RecordStore, request: SignedRecordExportRequest, context: StoredRecordExportContext): Promise<SignedRecordExport> {
  const version = store.records.signedVersion(request.which, request.actor)
  const record = storedRecordFile(store, version.id, context)
  const fileName = exportFileName(record, request.format)
  const destination = await request.destination(fileName)
  if (destination === null) return { outcome: 'cancelled' }

  const pdfRenderer = request.format === 'pdf' && context.pdfRenderer ? await context.pdfRenderer() : undefined
  let rendered
  try {
    const { pdfRenderer: _factory, ...options } = context
    rendered = await renderRecord(record, request.format, { ...options, ...(request.paper ? { paper: request.paper } : {}), ...(pdfRenderer ? { pdfRenderer } : {}) })
  } finally {
    await pdfRenderer?.close()
  }
  const contentHash = createHash('sha256').update(rendered.bytes).digest('hex')
  const common = { fileName, mediaType: exportMediaTypes[request.format], bytes: rendered.bytes.byteLength, contentHash }
  const chainHead = () => store.audit.list({ limit: 1 }).items[0]?.hash ?? ''

  if ('bytes' in destination) {
    const label = destination.bytes === 'download' ? `download:${fileName}` : 'stdout'
    const logged = store.exports.log(version.id, { format: request.format, destination: label, contentHash }, request.actor)
    return { outcome: 'bytes', content: rendered.bytes, export: logged, ...common, auditChainHead: chainHead() }
  }
  const path = resolve(destination.file)
  await writeNewFile(path, rendered.bytes)
  let logged
  try {
    logged = store.exports.log(version.id, { format: request.format, destination: path, contentHash }, request.actor)
  } catch (error) {
    await removeUnloggedExport(path)
    throw error
  }
  return { outcome: 'saved', path, export: logged, ...common, fileName: basename(path), auditChainHead: chainHead() }
}
