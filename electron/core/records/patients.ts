import { randomUUID } from 'node:crypto'
import type { Page, PageRequest } from '../../contract/paging.ts'
import { patientSexes, type NewPatient, type Patient, type PatientChanges, type PatientSex } from '../../contract/patients.ts'
import { WorkstationError } from '../errors.ts'
import type { AuditLog } from './audit-log.ts'
import { decodeCursor, encodeCursor, pageLimit } from './keyset-cursor.ts'
import type { RecordDatabase } from './record-database.ts'
import { isoTime } from './record-time.ts'

interface PatientRow {
  id: string
  clinic_number: string | null
  name: string
  sex: PatientSex
  birth_date: string | null
  age_years: number | null
  created_at: number
}

function toPatient(row: PatientRow): Patient {
  return {
    id: row.id,
    clinicNumber: row.clinic_number,
    name: row.name,
    sex: row.sex,
    birthDate: row.birth_date,
    ageYears: row.age_years,
    createdAt: isoTime(row.created_at),
  }
}

export class Patients {
  private readonly store: RecordDatabase
  private readonly audit: AuditLog

  constructor(store: RecordDatabase, audit: AuditLog) {
    this.store = store
    this.audit = audit
  }

  register(patient: NewPatient, actor: string): Patient {
    if (typeof patient.name !== 'string' || patient.name.trim() === '') throw new WorkstationError('USAGE', 'a patient needs a name')
    if (patient.sex !== undefined && !patientSexes.includes(patient.sex)) throw new WorkstationError('USAGE', 'sex must be male, female, other or unknown')
    if (patient.ageYears !== undefined && !(Number.isInteger(patient.ageYears) && patient.ageYears >= 0 && patient.ageYears <= 150)) {
      throw new WorkstationError('USAGE', 'age must be a whole number of years from 0 to 150')
    }
    if (patient.birthDate !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(patient.birthDate)) throw new WorkstationError('USAGE', 'birth date must be YYYY-MM-DD')
    return this.store.transaction('patient.register', () => {
      const row: PatientRow = {
        id: randomUUID(),
        clinic_number: patient.clinicNumber ?? null,
        name: patient.name.trim(),
        sex: patient.sex ?? 'unknown',
        birth_date: patient.birthDate ?? null,
        age_years: patient.ageYears ?? null,
        created_at: this.store.now(),
      }
      if (row.clinic_number !== null && this.byClinicNumber(row.clinic_number)) {
        throw new WorkstationError('PATIENT_EXISTS')
      }
      this.store
        .statement(
          `INSERT INTO patients (id, clinic_number, name, sex, birth_date, age_years, created_at)
           VALUES (:id, :clinic_number, :name, :sex, :birth_date, :age_years, :created_at)`,
        )
        .run({ ...row })
      this.audit.append({ actor, action: 'patient.register', entityType: 'patient', entityId: row.id })
      return toPatient(row)
    })
  }

  /**
   * Corrects a patient's details (the header a clinician fills during the consultation). The audit
   * entry names the fields changed, never their values: names and numbers stay out of the log.
   */
  update(id: string, changes: PatientChanges, actor: string): Patient {
    return this.store.transaction('patient.update', () => {
      const before = this.get(id)
      const columns: Record<keyof PatientChanges, keyof PatientRow> = {
        clinicNumber: 'clinic_number',
        name: 'name',
        sex: 'sex',
        birthDate: 'birth_date',
        ageYears: 'age_years',
      }
      const changed = (Object.keys(columns) as Array<keyof PatientChanges>).filter((field) => changes[field] !== undefined && changes[field] !== before[field])
      if (changed.length === 0) return before
      if (changes.clinicNumber != null && changed.includes('clinicNumber')) {
        const holder = this.byClinicNumber(changes.clinicNumber)
        if (holder !== null && holder.id !== id) throw new WorkstationError('PATIENT_EXISTS')
      }
      const assignments = changed.map((field) => `${columns[field]} = :${columns[field]}`).join(', ')
      const values = Object.fromEntries(changed.map((field) => [columns[field], changes[field] ?? null]))
      this.store.statement(`UPDATE patients SET ${assignments} WHERE id = :id`).run({ ...values, id })
      this.audit.append({ actor, action: 'patient.update', entityType: 'patient', entityId: id, details: { fields: changed.join(',') } })
      return this.get(id)
    })
  }

  get(id: string): Patient {
    const row = this.store.read('patient.get', () => this.store.statement('SELECT * FROM patients WHERE id = ?').get(id)) as PatientRow | undefined
    if (row === undefined) throw new WorkstationError('PATIENT_NOT_FOUND')
    return toPatient(row)
  }

  byClinicNumber(clinicNumber: string): Patient | null {
    const row = this.store.read('patient.find', () => this.store.statement('SELECT * FROM patients WHERE clinic_number = ?').get(clinicNumber)) as
      | PatientRow
      | undefined
    return row === undefined ? null : toPatient(row)
  }

  /** Newest registrations first. */
  list(request: PageRequest = {}): Page<Patient> {
    const limit = pageLimit(request.limit, 50)
    const [beforeTime, beforeId] =
      request.cursor === undefined ? [Number.MAX_SAFE_INTEGER, ''] : (decodeCursor('patients', request.cursor, ['number', 'string']) as [number, string])
    const rows = this.store.read('patient.list', () =>
      this.store
        .statement('SELECT * FROM patients WHERE created_at < ? OR (created_at = ? AND id < ?) ORDER BY created_at DESC, id DESC LIMIT ?')
        .all(beforeTime, beforeTime, beforeId, limit + 1),
    ) as unknown as PatientRow[]
    const items = rows.slice(0, limit).map(toPatient)
    const last = rows[limit - 1]
    return { items, nextCursor: rows.length > limit && last ? encodeCursor('patients', [last.created_at, last.id]) : null }
  }
}
