import { createHash } from 'node:crypto'
import type { OutpatientRecordFile } from '../../../contract/outpatient-record.ts'

/**
 * A `urn:uuid:` for one resource of one document, derived from the document's id: exporting the same
 * signed version twice gives the same bundle, byte for byte (RFC 9562 version 8, name-based).
 */
export function resourceUrn(documentId: string, role: string): string {
  const hex = createHash('sha256').update(`${documentId}\u0000${role}`).digest('hex')
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16)
  return `urn:uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`
}

/** The record's own id, or one derived from its content when the file names none. */
export function documentIdOf(record: OutpatientRecordFile): string {
  if (record.id !== undefined) return record.id
  return `sha256-${createHash('sha256').update(JSON.stringify(record)).digest('hex').slice(0, 32)}`
}
