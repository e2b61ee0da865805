// Shared set-up of the clinician tests (tests/unit/clinicians-*.test.ts): a keyed record store in
// a temporary folder, a clock the test moves, and the clinic's people.
import type { NewClinician } from '../../electron/contract/clinicians.ts'
import { keyFileVault } from '../../electron/core/clinicians/audit-key-vault.ts'
import { clinicianServices, type ClinicianServices } from '../../electron/core/clinicians/clinician-services.ts'
import type { IdleTimers } from '../../electron/core/clinicians/clinician-sessions.ts'
import { openKeyedRecordStore } from '../../electron/core/clinicians/keyed-record-store.ts'
import { testScryptCost } from '../../electron/core/clinicians/pin-hashing.ts'
import type { ChainHasher } from '../../electron/core/records/chain-hasher.ts'
import type { RecordStore } from '../../electron/core/records/record-store.ts'
import { temporaryFolder, testClock } from './records-support.ts'

export { codeOf, errorOf, temporaryFolder, testClock } from './records-support.ts'

/** The clinic: an IT administrator, a doctor, a nurse, and a clinic director who is doctor and admin. */
export const people = {
  admin: { staffId: 'A001', name: '王工', roles: ['admin'], department: '信息科', pin: '246813' },
  doctor: { staffId: 'D1024', name: '张医生', roles: ['doctor'], department: '内科', pin: '135792' },
  nurse: { staffId: 'N0007', name: '李护士', roles: ['nurse'], department: '内科', pin: '571393' },
  director: { staffId: 'D0001', name: '陈主任', roles: ['doctor', 'admin'], department: '内科', pin: '918273' },
} as const satisfies Record<string, NewClinician & { pin: string }>

export type Person = keyof typeof people

export function account(person: Person): NewClinician {
  const { pin: _pin, roles, ...rest } = people[person]
  return { ...rest, roles: [...roles] }
}

export interface Clinic extends ClinicianServices {
  store: RecordStore
  hasher: ChainHasher
  clock: ReturnType<typeof testClock>
  folder: string
  keyPath: string
  close(): void
}

/**
 * A record store keyed with a key file in its folder, with the clinic's accounts (hashing at test
 * cost) and sessions on a test clock (no timers unless given). `people` lists who gets an account;
 * the admin always does, first, and the others start without a pending PIN change.
 */
export async function openClinic(
  label: string,
  options: { people?: Person[]; idleLockMs?: number; timers?: IdleTimers | null; osUserAccounts?: Record<string, string>; certifiedSignature?: { provider: string; description: string } } = {},
): Promise<Clinic & { remove(): Promise<void> }> {
  const folder = await temporaryFolder(`clinicians-${label}`)
  const clock = testClock()
  const keyPath = `${folder.path}/keys/audit-chain.key`
  const { store, auditHasher } = await openKeyedRecordStore({ path: `${folder.path}/records.db`, keyVault: keyFileVault(keyPath), now: clock.now, scheduledBackups: false })
  const services = clinicianServices(
    store,
    {
      idleLockMs: options.idleLockMs ?? 5 * 60_000,
      pinAttemptsBeforeLock: 5,
      osUserAccounts: options.osUserAccounts ?? {},
      certifiedSignature: options.certifiedSignature ?? null,
    },
    { now: clock.now, timers: options.timers ?? null, scryptCost: testScryptCost },
  )
  await services.accounts.createFirstAdmin(account('admin'), people.admin.pin)
  for (const person of options.people ?? ['doctor', 'nurse', 'director']) {
    if (person === 'admin') continue
    await services.accounts.add(account(person), people[person].pin, people.admin.staffId, { pinChangeRequired: false })
  }
  return {
    ...services,
    store,
    hasher: auditHasher as ChainHasher,
    clock,
    folder: folder.path,
    keyPath,
    close: () => {
      services.sessions.dispose()
      store.close()
    },
    remove: async () => {
      services.sessions.dispose()
      if (store.connection.isOpen) store.close()
      await folder.remove()
    },
  }
}

/** Signs the person in (at test cost). */
export async function signIn(clinic: Pick<Clinic, 'sessions'>, person: Person): Promise<void> {
  await clinic.sessions.signIn(people[person].staffId, people[person].pin)
}

/** A consultation with a draft outpatient record, as a doctor would leave it before signing. */
export function draftRecord(store: RecordStore, author = people.doctor.staffId): number {
  const patient = store.patients.register({ name: '测试病人', sex: 'female', ageYears: 42 }, author)
  const consultation = store.consultations.create({ patientId: patient.id, department: '内科' }, author)
  store.messages.appendPatientMessage(consultation.id, '头痛三天，伴恶心。')
  return store.records.saveDraft(consultation.id, { chiefComplaint: '头痛3天', diagnosis: '偏头痛' }, author).recordId
}
