// @vitest-environment jsdom
import { enableAutoUnmount } from '@vue/test-utils'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import type { ConsultationOpened } from '../../electron/contract/channels.ts'
import { UNREGISTERED_PATIENT_NAME } from '../../electron/contract/patients.ts'
import PatientHeader from '../../renderer/src/components/PatientHeader.vue'
import SessionGate from '../../renderer/src/components/SessionGate.vue'
import { useConsultationStore } from '../../renderer/src/stores/consultation.ts'
import { recentClinicians } from '../../renderer/src/stores/recent-clinicians.ts'
import { useSessionStore } from '../../renderer/src/stores/session.ts'
import { useTodayStore } from '../../renderer/src/stores/today.ts'
import { openInProcessWorkstation, type OpenedWorkstation } from '../support/in-process-workstation.ts'
import { connectTo, freshWindow, mountInWindow, settled } from './window-harness.ts'

// The window's stores against the real workstation core in this process (no model needed): who
// works at the workstation, a consultation's patient header, today's list. Every request goes
// through the renderer's own client, every change of session arrives as the workstation's event.

enableAutoUnmount(afterEach)

const DOCTOR = { staffId: 'D0001', name: '李医生', pin: '482915' }
const NURSE = { staffId: 'N0001', name: '王护士', startingPin: '739104', pin: '560382' }

let opened: OpenedWorkstation
let stopEvents: (() => void) | undefined

beforeAll(async () => {
  opened = await openInProcessWorkstation()
  freshWindow()
})

afterEach(() => {
  stopEvents?.()
  stopEvents = undefined
})

afterAll(async () => {
  await opened?.close()
})

/** A new window on the same workstation (as after a reload): empty stores, the session read from core. */
async function newWindow() {
  const pinia = freshWindow({ keepStorage: true })
  stopEvents = connectTo(opened.workstation)
  const session = useSessionStore()
  await session.refresh()
  return { pinia, session, consultation: useConsultationStore(), today: useTodayStore() }
}

/** Core's own session, whatever any window shows. */
const coreSession = () => opened.call<{ state: string; clinician?: { staffId: string } }>('session.current')

/** The doctor at work in core, whatever a test before left (so one failure does not fail the rest). */
async function doctorAtWork() {
  const current = await coreSession()
  if (current.state === 'active' && current.clinician?.staffId === DOCTOR.staffId) return
  if (current.state === 'signed-out') await opened.call('session.signIn', { staffId: DOCTOR.staffId, pin: DOCTOR.pin })
  else if (current.state === 'locked' && current.clinician?.staffId === DOCTOR.staffId) await opened.call('session.unlock', { pin: DOCTOR.pin })
  else await opened.call('session.switchUser', { staffId: DOCTOR.staffId, pin: DOCTOR.pin })
}

describe('the session store with the workstation', () => {
  it('creates the first account on a new workstation, signs its clinician in and remembers them', async () => {
    const { session } = await newWindow()
    expect(session.session).toEqual({ state: 'signed-out', firstAdminNeeded: true })
    await session.createFirstAccount(DOCTOR.staffId, DOCTOR.name, DOCTOR.pin)
    expect(session.failure).toBeNull()
    expect(session.session).toMatchObject({ state: 'active', clinician: { staffId: 'D0001', name: '李医生', roles: ['doctor', 'admin'] }, pinChangeRequired: false })
    expect(session.working).toBe(true)
    expect(session.mayConsult).toBe(true)
    expect(session.permissions).toEqual(expect.arrayContaining(['consultation.write', 'record.sign', 'accounts.manage']))
    expect(recentClinicians()).toEqual([{ staffId: 'D0001', name: '李医生' }])
  })

  it('locks, refuses a wrong PIN, and unlocks the same clinician', async () => {
    const { session } = await newWindow()
    expect(session.staffId).toBe('D0001')
    await session.lock()
    expect(session.session).toMatchObject({ state: 'locked', lockReason: 'requested', clinician: { staffId: 'D0001' } })
    expect(session.working).toBe(false)
    expect(await coreSession()).toMatchObject({ state: 'locked' })

    await session.unlock('000000')
    expect(session.failure?.code).toBe('PIN_WRONG')
    expect(session.session?.state).toBe('locked')

    await session.unlock(DOCTOR.pin)
    expect(session.failure).toBeNull()
    expect(session.session).toMatchObject({ state: 'active', clinician: { staffId: 'D0001' }, lockedAt: null })
  })

  it('switches user: the doctor’s work is locked away, the nurse signs in and changes her PIN, and is remembered first', async () => {
    await opened.call('accounts.add', { staffId: NURSE.staffId, name: NURSE.name, roles: ['nurse'], pin: NURSE.startingPin })
    const { session, consultation } = await newWindow()
    await consultation.open()
    await consultation.updatePatient({ name: '王芳' })
    expect(consultation.patient?.name).toBe('王芳')

    await session.beginSwitch()
    await settled()
    expect(session.session).toMatchObject({ state: 'locked', clinician: { staffId: 'D0001' } })
    expect(session.switching).toBe(true)
    // Locked: the page holds no patient's data any more.
    expect(consultation.patient).toBeNull()

    await session.switchUser(NURSE.staffId, NURSE.startingPin)
    await settled()
    expect(session.failure).toBeNull()
    expect(session.session).toMatchObject({ state: 'active', clinician: { staffId: 'N0001', name: '王护士' }, pinChangeRequired: true })
    expect(session.switching).toBe(false)
    expect(session.working).toBe(false)
    // Another clinician: the doctor's consultation is not kept for her.
    expect(consultation.consultationId).toBeNull()
    expect(recentClinicians().map((clinician) => clinician.staffId)).toEqual(['N0001', 'D0001'])

    await session.changePin(NURSE.startingPin, NURSE.pin)
    expect(session.failure).toBeNull()
    expect(session.working).toBe(true)
    expect(session.permissions).toContain('consultation.write')
    expect(session.permissions).not.toContain('record.draft')
    expect(await coreSession()).toMatchObject({ state: 'active', clinician: { staffId: 'N0001' } })
  })

  it('signs a clinician in from the gate with a click on their name and their PIN', async () => {
    await doctorAtWork()
    const { pinia, session } = await newWindow()
    await session.signOut()
    expect(session.session).toMatchObject({ state: 'signed-out', firstAdminNeeded: false })
    const gate = mountInWindow(SessionGate, pinia)
    expect(gate.get('[data-testid=session-gate]').attributes('data-mode')).toBe('sign-in')
    await gate.get('[data-testid=recent-clinician][data-staff-id=D0001]').trigger('click')
    await gate.get('input[type=password]').setValue(DOCTOR.pin)
    await gate.get('form').trigger('submit')
    expect(session.busy).toBe(true)
    // The PIN is checked against its slow hash: the gate waits for the workstation's answer.
    await vi.waitFor(() => expect(session.busy).toBe(false), { timeout: 10_000 })
    await settled()
    expect(session.failure).toBeNull()
    expect(session.session).toMatchObject({ state: 'active', clinician: { staffId: 'D0001' } })
    expect(recentClinicians()[0]).toEqual({ staffId: 'D0001', name: '李医生' })
  })

  it('gives the same clinician their consultation back after unlocking, read again from the record', async () => {
    await doctorAtWork()
    const { session, consultation } = await newWindow()
    await consultation.open()
    const consultationId = consultation.consultationId
    await consultation.updatePatient({ name: '孙丽', department: '神经内科' })
    await session.lock()
    await settled()
    expect(consultation.patient).toBeNull()
    expect(consultation.department).toBe('')
    await session.unlock(DOCTOR.pin)
    await settled()
    expect(consultation.consultationId).toBe(consultationId)
    expect(consultation.patient?.name).toBe('孙丽')
    expect(consultation.department).toBe('神经内科')
  })
})

describe('the consultation store’s patient header with the workstation', () => {
  beforeEach(doctorAtWork)

  it('opens a consultation for a patient not yet identified', async () => {
    const { consultation } = await newWindow()
    await consultation.open()
    expect(consultation.failure).toBeNull()
    expect(consultation.consultationId).toMatch(/\S/)
    expect(consultation.patient).toMatchObject({ name: UNREGISTERED_PATIENT_NAME, clinicNumber: null })
    expect(consultation.department).toBe('')
    expect(consultation.redFlags).toEqual([])
  })

  it('fills the patient and department with updatePatient, as the record keeps them', async () => {
    const { consultation } = await newWindow()
    await consultation.open()
    await consultation.updatePatient({ name: '王芳', sex: 'female', ageYears: 34, clinicNumber: 'MZ2026001', department: '心内科' })
    expect(consultation.failure).toBeNull()
    expect(consultation.patient).toMatchObject({ name: '王芳', sex: 'female', ageYears: 34, clinicNumber: 'MZ2026001' })
    expect(consultation.department).toBe('心内科')
    expect(consultation.header).toEqual({ saving: false, linkedTo: null })
    const stored = await opened.call<ConsultationOpened>('consultation.open', { consultationId: consultation.consultationId })
    expect(stored.patient).toMatchObject({ name: '王芳', sex: 'female', ageYears: 34, clinicNumber: 'MZ2026001' })
    expect(stored.consultation.department).toBe('心内科')
  })

  it('links the consultation to a registered patient by clinic number and shows that patient', async () => {
    const registered = await opened.call<{ id: string }>('patient.register', { name: '赵强', clinicNumber: 'MZ0042', sex: 'male', ageYears: 61 })
    const { consultation } = await newWindow()
    await consultation.open()
    await consultation.updatePatient({ clinicNumber: 'MZ0042' })
    expect(consultation.failure).toBeNull()
    expect(consultation.header.linkedTo).toBe('MZ0042')
    expect(consultation.patient).toMatchObject({ id: registered.id, name: '赵强', sex: 'male', ageYears: 61 })
  })

  it('keeps the header as it was when the workstation refuses a change', async () => {
    const { consultation } = await newWindow()
    await consultation.open()
    await consultation.updatePatient({ name: '周敏' })
    await consultation.updatePatient({ ageYears: 200 })
    expect(consultation.failure?.code).toBe('CONTRACT_INVALID_INPUT')
    expect(consultation.patient).toMatchObject({ name: '周敏', ageYears: null })
    expect(consultation.header.saving).toBe(false)
  })

  it('PatientHeader saves a typed clinic number and shows the registered patient it linked to', async () => {
    await opened.call('patient.register', { name: '钱芳', clinicNumber: 'MZ0077', sex: 'female', ageYears: 45 })
    const { pinia, consultation } = await newWindow()
    await consultation.open()
    const header = mountInWindow(PatientHeader, pinia)
    const clinicNumber = header.get('[data-testid=patient-clinic-number] input, input[data-testid=patient-clinic-number]')
    await clinicNumber.setValue('MZ0077')
    await clinicNumber.trigger('change')
    await settled()
    expect(consultation.header.linkedTo).toBe('MZ0077')
    expect(header.get('[data-testid=patient-linked]').text()).toContain('MZ0077')
    expect(header.get<HTMLInputElement>('[data-testid=patient-name] input, input[data-testid=patient-name]').element.value).toBe('钱芳')
    const stored = await opened.call<ConsultationOpened>('consultation.open', { consultationId: consultation.consultationId })
    expect(stored.patient).toMatchObject({ name: '钱芳', clinicNumber: 'MZ0077' })
  })

  it('PatientHeader keeps what is being typed in one field while another field’s save is on its way', async () => {
    const { pinia, consultation } = await newWindow()
    await consultation.open()
    const header = mountInWindow(PatientHeader, pinia)
    const field = (name: string) => header.get<HTMLInputElement>(`[data-testid=${name}] input, input[data-testid=${name}]`)
    // The clinic number is left (its save starts), and the name is typed before that save returns.
    await field('patient-clinic-number').setValue('MZ5150')
    await field('patient-clinic-number').trigger('change')
    await field('patient-name').setValue('孙红')
    await settled()
    expect(field('patient-name').element.value).toBe('孙红')
    await field('patient-name').trigger('change')
    await settled()
    const stored = await opened.call<ConsultationOpened>('consultation.open', { consultationId: consultation.consultationId })
    expect(stored.patient).toMatchObject({ name: '孙红', clinicNumber: 'MZ5150' })
  })
})

describe('the today store with the workstation', () => {
  beforeEach(doctorAtWork)

  it('lists today’s consultations, newest first, each with its red-flag counts', async () => {
    const { consultation, today } = await newWindow()
    await consultation.open()
    await consultation.updatePatient({ name: '今天的病人', department: '全科' })
    const newest = consultation.consultationId
    await today.refresh()
    expect(today.failure).toBeNull()
    expect(today.items.length).toBeGreaterThan(1)
    expect(today.items[0]).toMatchObject({ consultationId: newest, patientName: '今天的病人', department: '全科' })
    for (const item of today.items) {
      expect(item.redFlags).toEqual({ count: 0, highest: null, unacknowledged: 0 })
      expect(new Date(item.createdAt).getTime()).toBeGreaterThanOrEqual(new Date(new Date().setHours(0, 0, 0, 0)).getTime())
    }
  })

  it('is emptied when the workstation locks', async () => {
    const { session, today } = await newWindow()
    await today.refresh()
    expect(today.items.length).toBeGreaterThan(0)
    await session.lock()
    await settled()
    expect(today.items).toEqual([])
    await session.unlock(DOCTOR.pin)
  })
})
