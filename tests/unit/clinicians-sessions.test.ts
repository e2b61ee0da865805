import { writeFile } from 'node:fs/promises'
import { afterEach, describe, expect, it } from 'vitest'
import type { ClinicianSession } from '../../electron/contract/clinicians.ts'
import { readHospitalConfig } from '../../electron/core/config/hospital-config.ts'
import { ClinicianAccounts } from '../../electron/core/clinicians/clinician-accounts.ts'
import { ClinicianSessions, type IdleTimers } from '../../electron/core/clinicians/clinician-sessions.ts'
import { testScryptCost } from '../../electron/core/clinicians/pin-hashing.ts'
import { codeOf, errorOf, openClinic, people, signIn, temporaryFolder, type Clinic } from './clinicians-support.ts'

// One clinician at a time at a shared workstation: sign in, switch user, lock when left idle
// (patient data is no longer served until the PIN is entered again), and stop at once when an
// account is locked or disabled. The clock is the test's: nobody waits five minutes.

const fiveMinutes = 5 * 60_000
let clinic: (Clinic & { remove(): Promise<void> }) | undefined

afterEach(async () => {
  await clinic?.remove()
  clinic = undefined
})

function stateOf(session: ClinicianSession): string {
  return session.state === 'signed-out' ? 'signed-out' : `${session.state} ${session.clinician.staffId}`
}

describe('signing in', () => {
  it('nobody is signed in at first; a clinician signs in with staff id and PIN and acts under their own id', async () => {
    clinic = await openClinic('sign-in')
    const { sessions } = clinic
    expect(sessions.current()).toEqual({ state: 'signed-out', firstAdminNeeded: false })
    expect(await codeOf(() => sessions.require('consultation.read'))).toBe('NOT_SIGNED_IN')
    expect(await codeOf(() => sessions.signIn('D1024', '975310'))).toBe('PIN_WRONG')
    const session = await sessions.signIn('ｄ1024', people.doctor.pin)
    expect(session).toMatchObject({
      state: 'active',
      clinician: { staffId: 'D1024', name: '张医生', roles: ['doctor'], department: '内科' },
      method: 'pin',
      pinChangeRequired: false,
      lockedAt: null,
    })
    expect(session.state === 'active' && session.permissions).toContain('record.sign')
    expect(sessions.require('record.sign')).toEqual({ staffId: 'D1024', name: '张医生', roles: ['doctor'], department: '内科' })
    expect(clinic.store.audit.list().items[0]).toMatchObject({ actor: 'D1024', action: 'session.sign-in', details: { method: 'pin' } })
  })

  it('switching user is one step, from an active or a locked session; a wrong PIN leaves the session as it was', async () => {
    clinic = await openClinic('switch')
    const { sessions } = clinic
    await signIn(clinic, 'nurse')
    sessions.lock()
    expect(await codeOf(() => sessions.switchUser('D1024', '975310'))).toBe('PIN_WRONG')
    expect(stateOf(sessions.current())).toBe('locked N0007')
    expect(stateOf(await sessions.switchUser('D1024', people.doctor.pin))).toBe('active D1024')
    expect(sessions.require('record.sign').staffId).toBe('D1024')
    const sessionEvents = clinic.store.audit.list().items.filter((e) => e.entityType === 'session')
    const actions = sessionEvents.slice(0, 3).map((e) => `${e.actor} ${e.action} ${JSON.stringify(e.details)}`)
    expect(actions).toEqual(['N0007 session.sign-out {"reason":"switch-user"}', 'D1024 session.sign-in {"method":"pin","after":"N0007"}', 'N0007 session.lock {"reason":"requested"}'])
    expect(stateOf(sessions.signOut())).toBe('signed-out')
    expect(await codeOf(() => sessions.require('consultation.read'))).toBe('NOT_SIGNED_IN')
  })

  it('a workstation without accounts asks for its first administrator', async () => {
    clinic = await openClinic('empty', { people: [] })
    clinic.store.connection.exec('DROP TRIGGER clinicians_are_kept; DELETE FROM clinicians')
    expect(clinic.sessions.current()).toEqual({ state: 'signed-out', firstAdminNeeded: true })
    expect(await codeOf(() => clinic?.sessions.signIn('A001', people.admin.pin))).toBe('FIRST_ADMIN_NEEDED')
  })
})

describe('the idle lock', () => {
  it('locks after five minutes without activity; activity starts the five minutes again', async () => {
    clinic = await openClinic('idle')
    const { sessions, clock } = clinic
    await signIn(clinic, 'doctor')
    clock.advance(fiveMinutes - 1000)
    expect(sessions.require('consultation.read').staffId).toBe('D1024')
    sessions.activity()
    clock.advance(fiveMinutes - 1000)
    expect(sessions.current().state).toBe('active')
    clock.advance(1000)
    const locked = sessions.current()
    expect(locked).toMatchObject({ state: 'locked', lockReason: 'idle', idleLockAt: null, clinician: { staffId: 'D1024' } })
    // Locked: nothing clinical is served, and activity does not reopen it.
    expect(await codeOf(() => sessions.require('consultation.read'))).toBe('SESSION_LOCKED')
    sessions.activity()
    expect(await codeOf(() => sessions.require('consultation.read'))).toBe('SESSION_LOCKED')
    expect(await codeOf(() => sessions.unlock(people.nurse.pin))).toBe('PIN_WRONG')
    expect(sessions.current().state).toBe('locked')
    expect(stateOf(await sessions.unlock(people.doctor.pin))).toBe('active D1024')
    expect(sessions.require('consultation.read').staffId).toBe('D1024')
    const actions = clinic.store.audit.list().items.slice(0, 3).map((e) => `${e.actor} ${e.action} ${JSON.stringify(e.details)}`)
    // The nurse's PIN at the doctor's lock screen counts against the doctor's account.
    expect(actions).toEqual([
      'D1024 session.unlock {"after":"idle"}',
      'system clinician.pin-wrong {"purpose":"unlock","failures":1}',
      'D1024 session.lock {"reason":"idle"}',
    ])
  })

  it('the hospital configures the idle time (idleLockMinutes)', async () => {
    const folder = await temporaryFolder('clinicians-config')
    const path = `${folder.path}/hospital.json`
    await writeFile(path, JSON.stringify({ idleLockMinutes: 2, pinAttemptsBeforeLock: 3, osUserAccounts: { zhangsan: 'D1024' } }))
    const config = await readHospitalConfig(path, {})
    expect(config).toMatchObject({ idleLockMs: 120_000, pinAttemptsBeforeLock: 3, osUserAccounts: { zhangsan: 'D1024' }, certifiedSignature: null, auditKeyFile: null })
    expect((await readHospitalConfig(`${folder.path}/none.json`, {})).idleLockMs).toBe(fiveMinutes)
    await folder.remove()
    clinic = await openClinic('idle-config', { idleLockMs: config.idleLockMs })
    await signIn(clinic, 'nurse')
    clinic.clock.advance(120_000)
    expect(await codeOf(() => clinic?.sessions.require('consultation.read'))).toBe('SESSION_LOCKED')
  })

  it('the idle timer locks the workstation by itself and tells the window', async () => {
    const pending: Array<{ callback: () => void; ms: number }> = []
    const timers: IdleTimers = {
      set: (callback, ms) => {
        const timer = { callback, ms }
        pending.push(timer)
        return timer
      },
      clear: (handle) => {
        const index = pending.indexOf(handle as (typeof pending)[number])
        if (index >= 0) pending.splice(index, 1)
      },
    }
    clinic = await openClinic('timer', { timers })
    const seen: string[] = []
    clinic.sessions.onChange((session) => seen.push(stateOf(session)))
    await signIn(clinic, 'doctor')
    expect(pending).toHaveLength(1)
    expect(pending[0]?.ms).toBeGreaterThan(fiveMinutes - 10)
    expect(pending[0]?.ms).toBeLessThanOrEqual(fiveMinutes)
    clinic.clock.advance(60_000)
    clinic.sessions.activity()
    expect(pending).toHaveLength(1)
    // Fired early by the platform: it only reschedules.
    pending.shift()?.callback()
    expect(seen).toEqual(['active D1024'])
    expect(pending).toHaveLength(1)
    clinic.clock.advance(fiveMinutes)
    pending.shift()?.callback()
    expect(seen).toEqual(['active D1024', 'locked D1024'])
    expect(pending).toHaveLength(0)
  })
})

describe('the account behind a session', () => {
  it('too many wrong PINs at the lock screen lock the account and end the session', async () => {
    clinic = await openClinic('unlock-lockout')
    const { sessions, clock } = clinic
    await signIn(clinic, 'doctor')
    sessions.lock()
    for (let i = 0; i < 4; i++) {
      expect(await codeOf(() => sessions.unlock(`97531${i}`))).toBe('PIN_WRONG')
      clock.advance(120_000)
    }
    expect(await codeOf(() => sessions.unlock('975319'))).toBe('ACCOUNT_LOCKED')
    expect(sessions.current().state).toBe('signed-out')
    expect(await codeOf(() => sessions.signIn('D1024', people.doctor.pin))).toBe('ACCOUNT_LOCKED')
  })

  it('an account disabled or locked elsewhere (by IT on the command line) stops at the next request', async () => {
    clinic = await openClinic('elsewhere')
    const { sessions, store } = clinic
    await signIn(clinic, 'doctor')
    const it = new ClinicianAccounts(store, { scryptCost: testScryptCost })
    it.disable('D1024', 'A001')
    expect(await codeOf(() => sessions.require('consultation.read'))).toBe('ACCOUNT_DISABLED')
    expect(sessions.current().state).toBe('signed-out')
    await signIn(clinic, 'nurse')
    store.connection.prepare("UPDATE clinicians SET locked_at = 1 WHERE staff_id = 'N0007'").run()
    expect(await codeOf(() => sessions.require('note.write'))).toBe('ACCOUNT_LOCKED')
    expect(sessions.current().state).toBe('signed-out')
  })

  it('after an admin reset, the clinician chooses a new PIN before any clinical work', async () => {
    clinic = await openClinic('pin-change')
    const { sessions, accounts } = clinic
    await accounts.resetPin('D1024', '864209', 'A001')
    const session = await sessions.signIn('D1024', '864209')
    expect(session).toMatchObject({ state: 'active', pinChangeRequired: true })
    expect(await codeOf(() => sessions.require('consultation.read'))).toBe('PIN_CHANGE_REQUIRED')
    expect(await codeOf(() => sessions.changePin('864208', '753102'))).toBe('PIN_WRONG')
    expect(await sessions.changePin('864209', '753102')).toMatchObject({ state: 'active', pinChangeRequired: false })
    expect(sessions.require('consultation.read').staffId).toBe('D1024')
  })

  it('confirming a PIN for a signature counts toward the lock like any other', async () => {
    clinic = await openClinic('confirm')
    const { sessions } = clinic
    await signIn(clinic, 'doctor')
    const wrong = await errorOf(() => sessions.confirmPin('975310', 'record.sign'))
    expect(wrong.code).toBe('PIN_WRONG')
    expect(wrong.data).toMatchObject({ attemptsLeft: 4 })
    expect((await sessions.confirmPin(people.doctor.pin, 'record.sign')).staffId).toBe('D1024')
    await signIn(clinic, 'nurse')
    expect(await codeOf(() => sessions.confirmPin(people.nurse.pin, 'record.sign'))).toBe('FORBIDDEN')
  })
})

describe('the operating-system user', () => {
  it('a mapped OS user is signed in without a PIN; unlocking after idle still asks for it', async () => {
    clinic = await openClinic('os-user', { osUserAccounts: { zhangsan: 'D1024', 'it-admin': 'A001' } })
    const { sessions, clock } = clinic
    expect(await codeOf(() => sessions.signInAsOsUser('lisi'))).toBe('OS_USER_NOT_MAPPED')
    expect(await codeOf(() => sessions.signInAsOsUser('constructor'))).toBe('OS_USER_NOT_MAPPED')
    expect(sessions.signInAsOsUser('zhangsan')).toMatchObject({ state: 'active', method: 'os-user', clinician: { staffId: 'D1024' } })
    clock.advance(fiveMinutes)
    expect(await codeOf(() => sessions.require('consultation.read'))).toBe('SESSION_LOCKED')
    expect(stateOf(await sessions.unlock(people.doctor.pin))).toBe('active D1024')
    clinic.accounts.disable('D1024', 'A001')
    sessions.signOut()
    expect(await codeOf(() => sessions.signInAsOsUser('zhangsan'))).toBe('ACCOUNT_DISABLED')
  })

  it('a separate sessions object over the same accounts starts signed out (one per workstation process)', async () => {
    clinic = await openClinic('separate')
    await signIn(clinic, 'doctor')
    const other = new ClinicianSessions({ accounts: clinic.accounts, audit: clinic.store.audit, timers: null })
    expect(other.current().state).toBe('signed-out')
  })
})
