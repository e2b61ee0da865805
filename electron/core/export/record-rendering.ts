import type { ExportFormat, OutpatientRecordFile, PaperSize } from '../../contract/outpatient-record.ts'
import { WorkstationError } from '../errors.ts'
import { signedRecordFile } from '../clinical/outpatient-record/record-file.ts'
import { fhirDocumentJson } from './fhir/fhir-document.ts'
import { documentIdOf } from './fhir/fhir-ids.ts'
import type { IdentifierSystems } from './fhir/fhir-systems.ts'
import { recordHisText } from './his-text-export.ts'
import { recordMarkdown } from './markdown-export.ts'
import type { PdfRenderer } from './pdf-renderer.ts'
import { printableRecordHtml } from './printable-html.ts'

export interface RenderOptions {
  identifierSystems: IdentifierSystems
  paper?: PaperSize
  /** IANA time zone of the clinic; default: this machine's. */
  timeZone?: string
  /** Needed for PDF only. */
  pdfRenderer?: PdfRenderer
}

export interface RenderedRecord {
  bytes: Uint8Array
  mediaType: string
  /** The usual file name extension for the format. */
  extension: string
}

const encoder = new TextEncoder()

/** A signed or amended record in one export format; a draft is refused with RECORD_NOT_SIGNED. */
export async function renderRecord(file: OutpatientRecordFile, format: ExportFormat, options: RenderOptions): Promise<RenderedRecord> {
  const record = signedRecordFile(file)
  const presentation = options.timeZone === undefined ? {} : { timeZone: options.timeZone }
  switch (format) {
    case 'fhir':
      return {
        bytes: encoder.encode(fhirDocumentJson(record, { ...presentation, identifierSystems: options.identifierSystems })),
        mediaType: 'application/fhir+json',
        extension: 'json',
      }
    case 'md':
      return { bytes: encoder.encode(recordMarkdown(record, presentation)), mediaType: 'text/markdown; charset=utf-8', extension: 'md' }
    case 'txt':
      return { bytes: encoder.encode(recordHisText(record, presentation)), mediaType: 'text/plain; charset=utf-8', extension: 'txt' }
    case 'pdf': {
      if (!options.pdfRenderer) throw new WorkstationError('PDF_RENDERER_UNAVAILABLE', 'no PDF renderer given')
      const paper = options.paper ?? 'a4'
      const html = printableRecordHtml(record, { ...presentation, paper, documentId: documentIdOf(record) })
      return { bytes: await options.pdfRenderer.render(html, paper), mediaType: 'application/pdf', extension: 'pdf' }
    }
  }
}
