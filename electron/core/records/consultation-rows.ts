import type { Consultation, ConsultationStatus } from '../../contract/consultations.ts'
import { WorkstationError } from '../errors.ts'
import type { RecordDatabase } from './record-database.ts'
import { isoTime, isoTimeOrNull } from './record-time.ts'

// The consultations table as the services that hang off a consultation (messages, notes, records)
// see it: find the row, refuse the trash, and move its updated time. Consultations, which opens a
// consultation with all of those, is built on top of them and this; nothing here imports it back.

export interface ConsultationRow {
  id: string
  patient_id: string
  department: string
  model_name: string | null
  prompt_format: string | null
  status: ConsultationStatus
  created_at: number
  updated_at: number
  trashed_at: number | null
  trashed_by: string | null
}

export function toConsultation(row: ConsultationRow): Consultation {
  return {
    id: row.id,
    patientId: row.patient_id,
    department: row.department,
    modelName: row.model_name,
    promptFormat: row.prompt_format,
    status: row.status,
    createdAt: isoTime(row.created_at),
    updatedAt: isoTime(row.updated_at),
    trashedAt: isoTimeOrNull(row.trashed_at),
    trashedBy: row.trashed_by,
  }
}

export class ConsultationRows {
  private readonly store: RecordDatabase

  constructor(store: RecordDatabase) {
    this.store = store
  }

  /** The consultation, or CONSULTATION_NOT_FOUND; with `writable`, also CONSULTATION_IN_TRASH. */
  row(id: string, writable = false): ConsultationRow {
    const row = this.store.read('consultation.get', () => this.store.statement('SELECT * FROM consultations WHERE id = ?').get(id)) as
      | ConsultationRow
      | undefined
    if (row === undefined) throw new WorkstationError('CONSULTATION_NOT_FOUND')
    if (writable && row.trashed_at !== null) throw new WorkstationError('CONSULTATION_IN_TRASH')
    return row
  }

  /** Called inside the transaction of any change to the consultation's contents. */
  touch(id: string, at: number, fields: { modelName?: string; promptFormat?: string; status?: ConsultationStatus } = {}): void {
    this.store
      .statement(
        `UPDATE consultations SET updated_at = max(updated_at, :at), model_name = coalesce(:model, model_name),
           prompt_format = coalesce(:format, prompt_format), status = coalesce(:status, status) WHERE id = :id`,
      )
      .run({ id, at, model: fields.modelName ?? null, format: fields.promptFormat ?? null, status: fields.status ?? null })
  }
}
