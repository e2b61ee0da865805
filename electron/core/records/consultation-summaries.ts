import {
  recordStatusFilters,
  type ConsultationFilterOptions,
  type ConsultationStatus,
  type ConsultationSummary,
  type ConsultationSummaryRequest,
} from '../../contract/consultations.ts'
import type { Page } from '../../contract/paging.ts'
import type { OutpatientRecordStatus } from '../../contract/record-versions.ts'
import type { RedFlagLevel } from '../../contract/triage.ts'
import { WorkstationError } from '../errors.ts'
import type { AuditLog } from './audit-log.ts'
import { decodeCursor, encodeCursor, pageLimit } from './keyset-cursor.ts'
import type { RecordDatabase } from './record-database.ts'
import { isoTime, isoTimeOrNull, parseIsoTime } from './record-time.ts'

interface SummaryRow {
  id: string
  patient_id: string
  department: string
  status: ConsultationStatus
  created_at: number
  name: string
  clinic_number: string | null
  record_id: number | null
  record_version: number | null
  record_status: OutpatientRecordStatus | null
  started_by: string | null
  started_by_name: string | null
  red_flags: number
  highest_level: number | null
  red_flags_open: number
  trashed_at: number | null
  trashed_by: string | null
}

const levels: Record<number, RedFlagLevel> = { 2: 'emergency', 1: 'urgent' }

// Who started a consultation is its own column since schema 8 (backfilled from the audit log); the
// rest are seeks on their own indexes. These columns are computed only for the rows of the page,
// after the filters and the limit.
const columns = `c.id, c.patient_id, c.department, c.status, c.created_at, c.trashed_at, c.trashed_by, p.name, p.clinic_number,
  r.id AS record_id, v.version AS record_version, v.status AS record_status, c.started_by,
  (SELECT k.name FROM clinicians k WHERE k.staff_id = c.started_by) AS started_by_name,
  (SELECT count(*) FROM red_flags f WHERE f.consultation_id = c.id) AS red_flags,
  (SELECT count(*) FROM red_flags f WHERE f.consultation_id = c.id AND f.acknowledged_at IS NULL) AS red_flags_open,
  (SELECT max(CASE f.level WHEN 'emergency' THEN 2 WHEN 'urgent' THEN 1 END) FROM red_flags f WHERE f.consultation_id = c.id) AS highest_level`

const from = `FROM consultations c
  JOIN patients p ON p.id = c.patient_id
  LEFT JOIN outpatient_records r ON r.consultation_id = c.id
  LEFT JOIN outpatient_record_versions v ON v.record_id = r.id
    AND v.version = (SELECT max(x.version) FROM outpatient_record_versions x WHERE x.record_id = r.id)`

function toSummary(row: SummaryRow): ConsultationSummary {
  return {
    consultationId: row.id,
    patientId: row.patient_id,
    patientName: row.name,
    clinicNumber: row.clinic_number,
    department: row.department,
    status: row.status,
    createdAt: isoTime(row.created_at),
    startedBy: row.started_by,
    startedByName: row.started_by_name,
    redFlags: { count: row.red_flags, unacknowledged: row.red_flags_open, highest: row.highest_level === null ? null : (levels[row.highest_level] ?? null) },
    record:
      row.record_id === null || row.record_version === null || row.record_status === null
        ? null
        : { recordId: row.record_id, version: row.record_version, status: row.record_status },
    trashedAt: isoTimeOrNull(row.trashed_at),
    trashedBy: row.trashed_by,
  }
}

function time(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined
  const ms = parseIsoTime(value)
  if (ms === null) throw new WorkstationError('USAGE', `${name} must be an ISO 8601 date or time`)
  return ms
}

/**
 * The consultation list a clinician picks a record from: patient, clinic number, department, date,
 * who started it, red flags and the record's id and status, newest first (the trash apart). Keyset
 * paged on (created_at, id): the walk follows consultations_by_created (or, filtered by clinician or
 * department, that column's index in the same order) and stops after one page of matching rows, so
 * no call loads the history.
 */
export class ConsultationSummaries {
  private readonly store: RecordDatabase
  private readonly audit: Pick<AuditLog, 'noteRead'>

  constructor(store: RecordDatabase, audit: Pick<AuditLog, 'noteRead'>) {
    this.store = store
    this.audit = audit
  }

  /**
   * One page. With `reader`, the list goes into the access log: one entry for the list (how many,
   * which filters by name, never the patient text searched for) and one per consultation shown
   * (its id, patient id and record id), so a patient's access history includes being listed.
   */
  list(request: ConsultationSummaryRequest = {}, reader?: string): Page<ConsultationSummary> {
    const limit = pageLimit(request.limit, 50)
    if (request.recordStatus !== undefined && !recordStatusFilters.includes(request.recordStatus)) {
      throw new WorkstationError('USAGE', `record status must be one of ${recordStatusFilters.join(', ')}`)
    }
    const [beforeTime, beforeId] =
      request.cursor === undefined
        ? [Number.MAX_SAFE_INTEGER, '']
        : (decodeCursor('consultation-summaries', request.cursor, ['number', 'string']) as [number, string])
    const conditions = [request.trashed === true ? 'c.trashed_at IS NOT NULL' : 'c.trashed_at IS NULL', '(c.created_at, c.id) < (:time, :id)']
    const parameters: Record<string, string | number> = { time: beforeTime, id: beforeId, limit: limit + 1 }
    const patient = request.patient?.trim()
    if (patient !== undefined && patient !== '') {
      conditions.push("(instr(lower(p.name), lower(:patient)) > 0 OR instr(lower(coalesce(p.clinic_number, '')), lower(:patient)) > 0)")
      parameters['patient'] = patient
    }
    const fromMs = time(request.from, 'from')
    const toMs = time(request.to, 'to')
    if (fromMs !== undefined) {
      conditions.push('c.created_at >= :from')
      parameters['from'] = fromMs
    }
    if (toMs !== undefined) {
      conditions.push('c.created_at < :to')
      parameters['to'] = toMs
    }
    if (request.department !== undefined) {
      conditions.push('c.department = :department')
      parameters['department'] = request.department.trim()
    }
    if (request.clinician !== undefined) {
      conditions.push('c.started_by = :clinician')
      parameters['clinician'] = request.clinician.trim()
    }
    if (request.redFlag !== undefined) {
      conditions.push(`${request.redFlag ? '' : 'NOT '}EXISTS (SELECT 1 FROM red_flags f WHERE f.consultation_id = c.id)`)
    }
    if (request.recordStatus === 'none') {
      conditions.push('r.id IS NULL')
    } else if (request.recordStatus !== undefined) {
      conditions.push('v.status = :status')
      parameters['status'] = request.recordStatus
    }
    const sql = `SELECT ${columns} ${from} WHERE ${conditions.join(' AND ')} ORDER BY c.created_at DESC, c.id DESC LIMIT :limit`
    const rows = this.store.read('consultation.summaries', () => this.store.statement(sql).all(parameters)) as unknown as SummaryRow[]
    const items = rows.slice(0, limit).map(toSummary)
    const last = rows[limit - 1]
    const page = { items, nextCursor: rows.length > limit && last ? encodeCursor('consultation-summaries', [last.created_at, last.id]) : null }
    if (reader !== undefined) this.noteRead(request, page, reader)
    return page
  }

  /**
   * The departments and clinicians the history's filters offer: distinct values walked off their
   * indexes (no patient data, so no access entry). Bounded: a filter list longer than this is no use.
   */
  filterOptions(): ConsultationFilterOptions {
    return this.store.read('consultation.filter-options', () => {
      const departments = this.store
        .statement("SELECT DISTINCT department FROM consultations WHERE department <> '' ORDER BY department LIMIT 200")
        .all() as unknown as Array<{ department: string }>
      const clinicians = this.store
        .statement(
          `SELECT s.started_by AS staff_id, (SELECT k.name FROM clinicians k WHERE k.staff_id = s.started_by) AS name
           FROM (SELECT DISTINCT started_by FROM consultations WHERE started_by IS NOT NULL ORDER BY started_by LIMIT 200) s`,
        )
        .all() as unknown as Array<{ staff_id: string; name: string | null }>
      return {
        departments: departments.map((row) => row.department),
        clinicians: clinicians.map((row) => ({ staffId: row.staff_id, name: row.name })),
      }
    })
  }

  private noteRead(request: ConsultationSummaryRequest, page: Page<ConsultationSummary>, reader: string): void {
    const filters = (['patient', 'from', 'to', 'department', 'clinician', 'redFlag', 'recordStatus', 'trashed'] as const).filter((key) => request[key] !== undefined)
    const listing = request.cursor === undefined ? 'first' : 'next'
    this.audit.noteRead({
      actor: reader,
      action: 'access.consultation-list',
      entityType: 'consultation-list',
      entityId: 'records',
      details: {
        consultations: page.items.length,
        records: page.items.filter((item) => item.record !== null).length,
        more: page.nextCursor !== null,
        page: listing,
        filters: filters.join(',') || null,
      },
    })
    for (const item of page.items) {
      this.audit.noteRead({
        actor: reader,
        action: 'access.consultation-summary',
        entityType: 'consultation',
        entityId: item.consultationId,
        details: { patientId: item.patientId, recordId: item.record?.recordId ?? null, page: listing },
      })
    }
  }
}
