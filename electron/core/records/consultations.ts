import { randomUUID } from 'node:crypto'
import type { Consultation, ConsultationListRequest, ConsultationView, NewConsultation } from '../../contract/consultations.ts'
import type { Page } from '../../contract/paging.ts'
import { WorkstationError } from '../errors.ts'
import type { AuditLog } from './audit-log.ts'
import type { ClinicianNotes } from './clinician-notes.ts'
import type { ConsultationMessages } from './consultation-messages.ts'
import { toConsultation, type ConsultationRow, type ConsultationRows } from './consultation-rows.ts'
import { decodeCursor, encodeCursor, pageLimit } from './keyset-cursor.ts'
import type { OutpatientRecords } from './outpatient-records.ts'
import type { Patients } from './patients.ts'
import type { RecordDatabase } from './record-database.ts'
import { parseIsoTime } from './record-time.ts'
import type { RedFlags } from './red-flags.ts'

/** What opening a consultation needs from the other services. */
export interface ConsultationParts {
  patients: Patients
  messages: ConsultationMessages
  notes: ClinicianNotes
  redFlags: RedFlags
  records: OutpatientRecords
}

export class Consultations {
  private readonly store: RecordDatabase
  private readonly audit: AuditLog
  private readonly rows: ConsultationRows
  private readonly parts: ConsultationParts

  constructor(store: RecordDatabase, audit: AuditLog, rows: ConsultationRows, parts: ConsultationParts) {
    this.store = store
    this.audit = audit
    this.rows = rows
    this.parts = parts
  }

  create(request: NewConsultation, actor: string): Consultation {
    const id = request.id ?? randomUUID()
    if (!/^[\w.:-]{1,100}$/.test(id)) throw new WorkstationError('USAGE', 'a consultation id is 1-100 letters, digits or . _ : -')
    const createdAt = request.createdAt === undefined ? this.store.now() : parseIsoTime(request.createdAt)
    if (createdAt === null) throw new WorkstationError('USAGE', 'createdAt must be an ISO 8601 time')
    return this.store.transaction('consultation.create', () => {
      if (this.store.statement('SELECT 1 FROM patients WHERE id = ?').get(request.patientId) === undefined) throw new WorkstationError('PATIENT_NOT_FOUND')
      if (this.store.statement('SELECT 1 FROM consultations WHERE id = ?').get(id) !== undefined) throw new WorkstationError('CONSULTATION_EXISTS', id)
      const row: ConsultationRow = {
        id,
        patient_id: request.patientId,
        department: request.department?.trim() ?? '',
        model_name: request.modelName ?? null,
        prompt_format: request.promptFormat ?? null,
        status: 'open',
        created_at: createdAt,
        updated_at: createdAt,
        trashed_at: null,
        trashed_by: null,
      }
      this.store
        .statement(
          `INSERT INTO consultations (id, patient_id, department, model_name, prompt_format, status, created_at, updated_at, started_by)
           VALUES (:id, :patient_id, :department, :model_name, :prompt_format, :status, :created_at, :updated_at, :started_by)`,
        )
        .run({
          id,
          patient_id: row.patient_id,
          department: row.department,
          model_name: row.model_name,
          prompt_format: row.prompt_format,
          status: row.status,
          created_at: createdAt,
          updated_at: createdAt,
          started_by: actor,
        })
      this.audit.append({ actor, action: 'consultation.create', entityType: 'consultation', entityId: id, details: { patientId: request.patientId } })
      return toConsultation(row)
    })
  }

  get(id: string): Consultation {
    return toConsultation(this.rows.row(id))
  }

  /**
   * Opening a consultation: header, patient, the first page of messages, notes, flags, record.
   * With `reader`, the opening goes into the access log (the consultation, and the record shown
   * with it): who and which ids, never the text.
   */
  open(id: string, messageLimit = 200, reader?: string): ConsultationView {
    const { parts } = this
    const consultation = this.get(id)
    const view = {
      consultation,
      patient: parts.patients.get(consultation.patientId),
      messages: parts.messages.list(id, { limit: messageLimit }),
      notes: parts.notes.list(id),
      redFlags: parts.redFlags.list(id),
      record: parts.records.latestFor(id, reader),
    }
    if (reader !== undefined) {
      this.audit.noteRead({
        actor: reader,
        action: 'access.consultation',
        entityType: 'consultation',
        entityId: id,
        details: { patientId: consultation.patientId, messages: view.messages.items.length, notes: view.notes.length, recordId: view.record?.recordId ?? null },
      })
      if (view.record !== null) {
        this.audit.noteRead({
          actor: reader,
          action: 'access.record',
          entityType: 'record',
          entityId: view.record.recordId,
          details: { recordVersionId: view.record.id, version: view.record.version, consultationId: id },
        })
      }
    }
    return view
  }

  /** The department the patient is seen in, as corrected in the header. */
  setDepartment(id: string, department: string, actor: string): Consultation {
    return this.store.transaction('consultation.department', () => {
      const row = this.rows.row(id, true)
      if (row.department !== department) {
        this.store.statement('UPDATE consultations SET department = ?, updated_at = max(updated_at, ?) WHERE id = ?').run(department, this.store.now(), id)
        this.audit.append({ actor, action: 'consultation.department', entityType: 'consultation', entityId: id })
      }
      return this.get(id)
    })
  }

  /**
   * The consultation belongs to a patient already registered (the clinician typed their clinic
   * number): it moves to them. Only from a patient entered for this consultation alone, so no other
   * consultation changes hands.
   */
  linkToPatient(id: string, patientId: string, actor: string): Consultation {
    return this.store.transaction('consultation.link-patient', () => {
      const row = this.rows.row(id, true)
      const others = this.store.statement('SELECT count(*) AS n FROM consultations WHERE patient_id = ? AND id <> ?').get(row.patient_id, id) as { n: number }
      if (others.n > 0) throw new WorkstationError('PATIENT_EXISTS')
      this.store.statement('UPDATE consultations SET patient_id = ?, updated_at = max(updated_at, ?) WHERE id = ?').run(patientId, this.store.now(), id)
      this.audit.append({ actor, action: 'consultation.link-patient', entityType: 'consultation', entityId: id, details: { from: row.patient_id, to: patientId } })
      return this.get(id)
    })
  }

  /** Newest first; the trash separately. */
  list(request: ConsultationListRequest = {}): Page<Consultation> {
    const limit = pageLimit(request.limit, 50)
    const [beforeTime, beforeId] =
      request.cursor === undefined
        ? [Number.MAX_SAFE_INTEGER, '']
        : (decodeCursor('consultations', request.cursor, ['number', 'string']) as [number, string])
    const trash = request.trashed === true ? 'trashed_at IS NOT NULL' : 'trashed_at IS NULL'
    const keyset = '(created_at < :time OR (created_at = :time AND id < :id))'
    const rows = this.store.read('consultation.list', () =>
      request.patientId !== undefined
        ? this.store
            .statement(`SELECT * FROM consultations WHERE patient_id = :patient AND ${trash} AND ${keyset} ORDER BY created_at DESC, id DESC LIMIT :limit`)
            .all({ patient: request.patientId, time: beforeTime, id: beforeId, limit: limit + 1 })
        : this.store
            .statement(`SELECT * FROM consultations WHERE ${trash} AND ${keyset} ORDER BY created_at DESC, id DESC LIMIT :limit`)
            .all({ time: beforeTime, id: beforeId, limit: limit + 1 }),
    ) as unknown as ConsultationRow[]
    const items = rows.slice(0, limit).map(toConsultation)
    const last = rows[limit - 1]
    return { items, nextCursor: rows.length > limit && last ? encodeCursor('consultations', [last.created_at, last.id]) : null }
  }

  close(id: string, actor: string): Consultation {
    return this.store.transaction('consultation.close', () => {
      const row = this.rows.row(id, true)
      if (row.status === 'open') {
        this.store.statement("UPDATE consultations SET status = 'closed', updated_at = ? WHERE id = ?").run(this.store.now(), id)
        this.audit.append({ actor, action: 'consultation.close', entityType: 'consultation', entityId: id })
      }
      return this.get(id)
    })
  }

  /** To the trash: hidden from lists and search, kept in full, restorable. */
  trash(id: string, actor: string): Consultation {
    return this.store.transaction('consultation.trash', () => {
      const row = this.rows.row(id)
      if (row.trashed_at === null) {
        this.store.statement('UPDATE consultations SET trashed_at = ?, trashed_by = ? WHERE id = ?').run(this.store.now(), actor, id)
        this.audit.append({ actor, action: 'consultation.trash', entityType: 'consultation', entityId: id })
      }
      return this.get(id)
    })
  }

  restore(id: string, actor: string): Consultation {
    return this.store.transaction('consultation.restore', () => {
      const row = this.rows.row(id)
      if (row.trashed_at !== null) {
        this.store.statement('UPDATE consultations SET trashed_at = NULL, trashed_by = NULL WHERE id = ?').run(id)
        this.audit.append({ actor, action: 'consultation.restore', entityType: 'consultation', entityId: id })
      }
      return this.get(id)
    })
  }
}
