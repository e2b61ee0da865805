import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ConsultationOpened, RequestOutput } from '../../electron/contract/channels.ts'
import type { ConsultationSummary } from '../../electron/contract/consultations.ts'
import type { Page } from '../../electron/contract/paging.ts'
import { triagePatientMessage } from '../../electron/core/clinical/triage/triage.ts'
import { readHospitalConfig } from '../../electron/core/config/hospital-config.ts'
import { Workstation } from '../../electron/core/workstation.ts'

// The patient header of a consultation: filled after the consultation started, corrected field by
// field, linked to a registered patient by clinic number, and audited without the values.

let dir: string
let databasePath: string
let workstation: Workstation

async function call<T>(name: string, input: unknown = {}): Promise<T> {
  const reply = await workstation.invoke(name, input)
  if (!reply.ok) throw Object.assign(new Error(`${name}: ${reply.error.code}`), { code: reply.error.code })
  return reply.value as T
}
const update = (input: Record<string, unknown>) => call<RequestOutput<'patient.update'>>('patient.update', input)
const open = async () => (await call<ConsultationOpened>('consultation.open', {})).consultationId

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'huatuo-header-'))
  databasePath = join(dir, 'data', 'records.db')
  const config = await readHospitalConfig(join(dir, 'no-hospital.json'), { HUATUO_DATA_DIR: join(dir, 'data') })
  workstation = await Workstation.open({
    config,
    about: { name: 'Huatuo Workstation', version: 'test', electron: '', node: process.versions.node },
    databasePath,
    triage: triagePatientMessage,
    threads: 1,
  })
  await call('session.firstAdmin', { staffId: 'D0001', name: '李医生', roles: ['doctor', 'admin'], pin: '482915' })
})

afterAll(async () => {
  await workstation?.dispose()
  await rm(dir, { recursive: true, force: true })
})

describe('patient.update', () => {
  it('fills the header of a consultation started before the patient was identified', async () => {
    const consultationId = await open()
    const { patient, consultation, linkedToRegistered } = await update({ consultationId, name: '王芳', sex: 'female', ageYears: 34, clinicNumber: 'MZ2026001', department: '心内科' })
    expect(linkedToRegistered).toBe(false)
    expect(patient).toMatchObject({ name: '王芳', sex: 'female', ageYears: 34, clinicNumber: 'MZ2026001' })
    expect(consultation.department).toBe('心内科')
    const reopened = await call<ConsultationOpened>('consultation.open', { consultationId })
    expect(reopened.patient).toMatchObject({ name: '王芳', sex: 'female', ageYears: 34 })
    expect(reopened.consultation.department).toBe('心内科')
    // Null clears an optional field; fields not given stay.
    const cleared = await update({ consultationId, ageYears: null })
    expect(cleared.patient).toMatchObject({ name: '王芳', ageYears: null, clinicNumber: 'MZ2026001' })
  })

  it("links the consultation to the registered patient whose clinic number is typed, keeping that patient's details", async () => {
    const registered = await call<{ id: string }>('patient.register', { name: '赵强', clinicNumber: 'MZ0042', sex: 'male', ageYears: 61 })
    const consultationId = await open()
    const { patient, consultation, linkedToRegistered } = await update({ consultationId, clinicNumber: 'MZ0042', name: '赵' })
    expect(linkedToRegistered).toBe(true)
    expect(consultation.patientId).toBe(registered.id)
    expect(patient).toMatchObject({ id: registered.id, name: '赵强', ageYears: 61 })
    const listed = await call<Page<ConsultationSummary>>('consultation.summaries', { patient: 'MZ0042' })
    expect(listed.items.map((item) => item.consultationId)).toContain(consultationId)
  })

  it('refuses another patient’s clinic number for a patient seen in other consultations too', async () => {
    const first = await open()
    await update({ consultationId: first, name: '孙丽', clinicNumber: 'MZ0100' })
    const patientId = (await call<ConsultationOpened>('consultation.open', { consultationId: first })).patient.id
    const second = (await call<ConsultationOpened>('consultation.open', { patientId })).consultationId
    await expect(update({ consultationId: second, clinicNumber: 'MZ0042' })).rejects.toMatchObject({ code: 'PATIENT_EXISTS' })
    // Nothing moved: both consultations are still 孙丽's.
    for (const consultationId of [first, second]) {
      expect((await call<ConsultationOpened>('consultation.open', { consultationId })).patient).toMatchObject({ name: '孙丽', clinicNumber: 'MZ0100' })
    }
  })

  it('refuses what the schema does not allow, and a consultation that does not exist', async () => {
    const consultationId = await open()
    await expect(update({ consultationId, ageYears: 200 })).rejects.toMatchObject({ code: 'CONTRACT_INVALID_INPUT' })
    await expect(update({ consultationId, name: '   ' })).rejects.toMatchObject({ code: 'CONTRACT_INVALID_INPUT' })
    await expect(update({ consultationId, path: '/etc/passwd' })).rejects.toMatchObject({ code: 'CONTRACT_INVALID_INPUT' })
    await expect(update({ consultationId: 'no-such-consultation', name: '某' })).rejects.toMatchObject({ code: 'CONSULTATION_NOT_FOUND' })
  })

  it('audits which fields changed, never their values', async () => {
    const consultationId = await open()
    await update({ consultationId, name: '周敏慧', clinicNumber: 'MZ7777', department: '神经内科' })
    const db = new DatabaseSync(databasePath, { readOnly: true })
    try {
      const rows = db.prepare("SELECT action, details FROM audit_entries WHERE action IN ('patient.update', 'consultation.department')").all() as Array<{ action: string; details: string }>
      const updates = rows.filter((row) => row.action === 'patient.update').map((row) => JSON.parse(row.details) as { fields: string })
      expect(updates.some((details) => details.fields.split(',').sort().join(',') === 'clinicNumber,name')).toBe(true)
      expect(rows.some((row) => row.action === 'consultation.department')).toBe(true)
      for (const row of rows) expect(row.details).not.toMatch(/周敏慧|MZ7777|神经内科/)
    } finally {
      db.close()
    }
  })
})
