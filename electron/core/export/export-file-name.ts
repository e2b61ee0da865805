import type { ExportFormat, OutpatientRecordFile } from '../../contract/outpatient-record.ts'
import { clinicDate } from './record-presentation.ts'

const extensions: Readonly<Record<ExportFormat, string>> = { fhir: 'json', pdf: 'pdf', md: 'md', txt: 'txt' }

/**
 * The name an export is offered under (the CLI's default, the save dialog's suggestion, the
 * download's name): clinic number, visit date and version, never the patient's name — a file name
 * shows in folders, recent-file lists and download bars.
 */
export function exportFileName(record: OutpatientRecordFile, format: ExportFormat): string {
  const safe = record.patient.id.replace(/[^\p{L}\p{N}._-]+/gu, '_')
  const amended = record.status === 'amended' ? '-修订' : ''
  return `门诊病历-${safe}-${clinicDate(record.visit.start).replaceAll('-', '')}${amended}.${extensions[format]}`
}
