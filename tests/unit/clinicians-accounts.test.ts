import { afterEach, describe, expect, it } from 'vitest'
import { ClinicianAccounts } from '../../electron/core/clinicians/clinician-accounts.ts'
import { testScryptCost } from '../../electron/core/clinicians/pin-hashing.ts'
import type { WorkstationError } from '../../electron/core/errors.ts'
import { account, codeOf, errorOf, openClinic, people, type Clinic } from './clinicians-support.ts'

// Accounts as IT and clinicians meet them: the first run creates the admin, an admin adds,
// disables, unlocks and resets accounts (never deletes), wrong PINs are rate-limited and then lock
// the account until an admin unlocks it, and every change is audited without a PIN in sight.

let clinic: (Clinic & { remove(): Promise<void> }) | undefined

afterEach(async () => {
  await clinic?.remove()
  clinic = undefined
})

function failures(staffId: string): number {
  return (clinic?.store.connection.prepare('SELECT failed_attempts AS n FROM clinicians WHERE staff_id = ?').get(staffId) as { n: number }).n
}

describe('first run', () => {
  it('a new workstation needs its administrator first; after that only an admin adds accounts', async () => {
    clinic = await openClinic('first-run', { people: [] })
    const { accounts } = clinic
    expect(accounts.needsFirstAdmin()).toBe(false)
    expect(accounts.list().map((c) => [c.staffId, c.roles, c.createdBy])).toEqual([['A001', ['admin'], 'A001']])
    expect(await codeOf(() => accounts.createFirstAdmin({ staffId: 'A002', name: '另一个管理员', roles: ['admin'] }, '918273'))).toBe('FORBIDDEN')
    expect(await codeOf(() => accounts.add(account('doctor'), people.doctor.pin, 'D9999'))).toBe('FORBIDDEN')
    const created = clinic.store.audit.list().items.find((e) => e.action === 'clinician.add')
    expect(created).toMatchObject({ actor: 'A001', entityId: 'A001', details: { roles: 'admin', firstAdmin: true } })
  })

  it('the first account must be an administrator', async () => {
    clinic = await openClinic('first-run-role', { people: [] })
    const fresh = new ClinicianAccounts({ ...clinic.store, connection: clinic.store.connection }, { scryptCost: testScryptCost })
    clinic.store.connection.exec('DROP TRIGGER clinicians_are_kept; DELETE FROM clinicians')
    expect(fresh.needsFirstAdmin()).toBe(true)
    expect(await codeOf(() => fresh.createFirstAdmin(account('doctor'), people.doctor.pin))).toBe('USAGE')
  })
})

describe('an admin manages accounts', () => {
  it('adds accounts with a PIN stored only as a salted hash; staff ids are unique regardless of case and width', async () => {
    clinic = await openClinic('add')
    const { accounts, store } = clinic
    expect(accounts.list().map((c) => `${c.staffId} ${c.roles.join('+')} ${c.status}`)).toEqual(['A001 admin active', 'D0001 doctor+admin active', 'D1024 doctor active', 'N0007 nurse active'])
    const rows = store.connection.prepare('SELECT staff_id, pin_hash FROM clinicians').all() as Array<{ staff_id: string; pin_hash: string }>
    for (const row of rows) {
      expect(row.pin_hash).toMatch(/^scrypt\$/)
      for (const person of Object.values(people)) expect(row.pin_hash).not.toContain(person.pin)
    }
    expect(await codeOf(() => accounts.add({ ...account('doctor'), staffId: 'd1024' }, '975310', 'A001'))).toBe('CLINICIAN_EXISTS')
    expect(await codeOf(() => accounts.add({ ...account('doctor'), staffId: 'Ｄ１０２４' }, '975310', 'A001'))).toBe('CLINICIAN_EXISTS')
    // A doctor or nurse is not an admin; the director (doctor and admin) is.
    expect(await codeOf(() => accounts.add({ staffId: 'N0008', name: '赵护士', roles: ['nurse'] }, '975310', 'D1024'))).toBe('FORBIDDEN')
    const added = await accounts.add({ staffId: 'N0008', name: '赵护士', roles: ['nurse'], department: '儿科' }, '975310', 'D0001')
    expect(added).toMatchObject({ staffId: 'N0008', createdBy: 'D0001', pinChangeRequired: true, status: 'active' })
    expect(await codeOf(() => accounts.add({ staffId: 'N0009', name: '钱护士', roles: ['nurse'] }, '123456', 'A001'))).toBe('PIN_TOO_WEAK')
    expect(accounts.find('N0009')).toBeNull()
  })

  it('never deletes: a disabled account stays listed and named, cannot sign in, and can be enabled again', async () => {
    clinic = await openClinic('disable')
    const { accounts, store } = clinic
    expect(accounts.disable('D1024', 'A001')).toMatchObject({ status: 'disabled' })
    expect(await codeOf(() => accounts.verifyPin('D1024', people.doctor.pin, 'sign-in'))).toBe('ACCOUNT_DISABLED')
    expect(accounts.list().find((c) => c.staffId === 'D1024')?.status).toBe('disabled')
    expect(() => store.connection.exec("DELETE FROM clinicians WHERE staff_id = 'D1024'")).toThrow('CLINICIAN_KEPT')
    expect(() => store.connection.exec("UPDATE clinicians SET staff_id = 'D2048' WHERE staff_id = 'D1024'")).toThrow('CLINICIAN_KEPT')
    expect(accounts.enable('D1024', 'A001').status).toBe('active')
    expect((await accounts.verifyPin('D1024', people.doctor.pin, 'sign-in')).staffId).toBe('D1024')
    const actions = store.audit.list({ entityType: 'clinician', entityId: 'D1024' }).items.map((e) => `${e.actor} ${e.action}`)
    expect(actions).toEqual(['A001 clinician.enable', 'A001 clinician.disable', 'A001 clinician.add'])
  })

  it('keeps at least one usable administrator', async () => {
    clinic = await openClinic('last-admin', { people: ['doctor'] })
    const { accounts } = clinic
    expect(await codeOf(() => accounts.disable('A001', 'A001'))).toBe('LAST_ADMIN')
    await accounts.add(account('director'), people.director.pin, 'A001')
    expect(accounts.disable('A001', 'D0001').status).toBe('disabled')
    expect(await codeOf(() => accounts.disable('D0001', 'D0001'))).toBe('LAST_ADMIN')
  })
})

describe('wrong PINs', () => {
  it('are rate-limited with a growing wait, then lock the account until an admin unlocks it', async () => {
    clinic = await openClinic('lockout')
    const { accounts, clock } = clinic
    const wrong = () => errorOf(() => accounts.verifyPin('D1024', '975310', 'sign-in'))
    expect((await wrong()).data).toEqual({ attemptsLeft: 4, retryAfterMs: 0 })
    expect((await wrong()).data).toEqual({ attemptsLeft: 3, retryAfterMs: 1000 })
    // During the wait even the right PIN is refused, unchecked and uncounted.
    const tooSoon = await errorOf(() => accounts.verifyPin('D1024', people.doctor.pin, 'sign-in'))
    expect(tooSoon.code).toBe('PIN_RETRY_LATER')
    expect(tooSoon.data?.['retryAfterMs']).toBeGreaterThan(900)
    expect(failures('D1024')).toBe(2)
    clock.advance(1000)
    expect((await wrong()).data).toEqual({ attemptsLeft: 2, retryAfterMs: 4000 })
    clock.advance(3000)
    expect((await wrong()).code).toBe('PIN_RETRY_LATER')
    clock.advance(1000)
    expect((await wrong()).data).toEqual({ attemptsLeft: 1, retryAfterMs: 16_000 })
    clock.advance(16_000)
    const locked = await wrong()
    expect(locked.code).toBe('ACCOUNT_LOCKED')
    // Locked: no wait ends it, and the right PIN does not either.
    clock.advance(24 * 3600_000)
    expect(await codeOf(() => accounts.verifyPin('D1024', people.doctor.pin, 'sign-in'))).toBe('ACCOUNT_LOCKED')
    expect(accounts.get('D1024').status).toBe('locked')
    expect(await codeOf(() => accounts.unlock('D1024', 'N0007'))).toBe('FORBIDDEN')
    expect(accounts.unlock('D1024', 'A001').status).toBe('active')
    expect((await accounts.verifyPin('D1024', people.doctor.pin, 'sign-in')).lastSignInAt).not.toBeNull()
    const audit = clinic.store.audit.list({ entityType: 'clinician', entityId: 'D1024' }).items.map((e) => `${e.actor} ${e.action}`)
    expect(audit.slice(0, 3)).toEqual(['A001 clinician.unlock', 'system clinician.lock', 'system clinician.pin-wrong'])
    expect(audit.filter((a) => a === 'system clinician.pin-wrong')).toHaveLength(5)
  })

  it('a right PIN resets the count; the count survives a restart of the app', async () => {
    clinic = await openClinic('count')
    await codeOf(() => clinic?.accounts.verifyPin('N0007', '975310', 'unlock'))
    expect(failures('N0007')).toBe(1)
    await clinic.accounts.verifyPin('N0007', people.nurse.pin, 'unlock')
    expect(failures('N0007')).toBe(0)
    await codeOf(() => clinic?.accounts.verifyPin('N0007', '975310', 'unlock'))
    await codeOf(() => clinic?.accounts.verifyPin('N0007', '975311', 'unlock'))
    const restarted = new ClinicianAccounts(clinic.store, { now: clinic.clock.now, scryptCost: testScryptCost })
    expect(await codeOf(() => restarted.verifyPin('N0007', people.nurse.pin, 'sign-in'))).toBe('PIN_RETRY_LATER')
  })

  it('guesses sent in parallel are checked one at a time, so they cannot outrun the wait', async () => {
    clinic = await openClinic('parallel')
    const { accounts } = clinic
    const codes = await Promise.all(['975310', '975311', '975312', '975313', '975314', '975315'].map((pin) => codeOf(() => accounts.verifyPin('D1024', pin, 'sign-in'))))
    expect(codes).toEqual(['PIN_WRONG', 'PIN_WRONG', 'PIN_RETRY_LATER', 'PIN_RETRY_LATER', 'PIN_RETRY_LATER', 'PIN_RETRY_LATER'])
    expect(failures('D1024')).toBe(2)
  })

  it('an unknown staff id gets the same answer as a wrong PIN', async () => {
    clinic = await openClinic('unknown')
    expect(await codeOf(() => clinic?.accounts.verifyPin('X9999', '975310', 'sign-in'))).toBe('PIN_WRONG')
    expect(await codeOf(() => clinic?.accounts.verifyPin('not a staff id', '975310', 'sign-in'))).toBe('PIN_WRONG')
  })

  it('the hospital decides how many wrong PINs lock an account', async () => {
    clinic = await openClinic('threshold')
    const strict = new ClinicianAccounts(clinic.store, { now: clinic.clock.now, scryptCost: testScryptCost, pinAttemptsBeforeLock: 3 })
    for (const pin of ['975310', '975311']) {
      await codeOf(() => strict.verifyPin('N0007', pin, 'sign-in'))
      clinic.clock.advance(60_000)
    }
    expect(await codeOf(() => strict.verifyPin('N0007', '975312', 'sign-in'))).toBe('ACCOUNT_LOCKED')
  })
})

describe('an unknown staff id', () => {
  /** What the window is told, with the id as typed replaced, and a wait in whole seconds (the test clock ticks per call). */
  function answer(error: WorkstationError, typed: string): unknown {
    const data = { ...error.data }
    if (typeof data['retryAfterMs'] === 'number' && error.code === 'PIN_RETRY_LATER') data['retryAfterMs'] = Math.ceil(data['retryAfterMs'] / 1000)
    return { code: error.code, message: error.message, detail: error.detail?.replaceAll(typed, 'ID'), data }
  }

  it('is answered exactly like a known id with a wrong PIN: attempts left, waits and lock included', async () => {
    clinic = await openClinic('unknown-alike')
    const { accounts, clock } = clinic
    // The known account typed in lower case: answers must not reveal its stored spelling either.
    const both = async (pin: (typed: string) => string) => {
      const known = await errorOf(() => accounts.verifyPin('d1024', pin('d1024'), 'sign-in'))
      const unknown = await errorOf(() => accounts.verifyPin('x9999', pin('x9999'), 'sign-in'))
      expect(answer(unknown, 'x9999')).toEqual(answer(known, 'd1024'))
      return known
    }
    const wrong = () => '975310'
    expect((await both(wrong)).data).toEqual({ attemptsLeft: 4, retryAfterMs: 0 })
    expect((await both(wrong)).data).toEqual({ attemptsLeft: 3, retryAfterMs: 1000 })
    // During the wait even the right PIN of the known account is refused, like any PIN for the unknown one.
    expect((await both((typed) => (typed === 'd1024' ? people.doctor.pin : '975310'))).code).toBe('PIN_RETRY_LATER')
    clock.advance(1000)
    expect((await both(wrong)).data).toEqual({ attemptsLeft: 2, retryAfterMs: 4000 })
    clock.advance(4000)
    expect((await both(wrong)).data).toEqual({ attemptsLeft: 1, retryAfterMs: 16_000 })
    clock.advance(16_000)
    expect((await both(wrong)).code).toBe('ACCOUNT_LOCKED')
    clock.advance(24 * 3600_000)
    expect((await both((typed) => (typed === 'd1024' ? people.doctor.pin : '975310'))).code).toBe('ACCOUNT_LOCKED')
  })

  it('signing in: the window gets the same answer for an unknown id as for a wrong PIN', async () => {
    clinic = await openClinic('unknown-sign-in')
    const known = await errorOf(() => clinic?.sessions.signIn('D1024', '975310'))
    const unknown = await errorOf(() => clinic?.sessions.signIn('D9999', '975310'))
    expect(unknown.toPayload()).toEqual(known.toPayload())
    expect(unknown.toPayload()).toMatchObject({ code: 'PIN_WRONG', data: { attemptsLeft: 4 } })
    // Ids that cannot exist are answered alike too.
    expect((await errorOf(() => clinic?.accounts.verifyPin('not a staff id', '975310', 'sign-in'))).toPayload()).toEqual(known.toPayload())
  })

  it('a disabled account answers wrong PINs like an unknown id, and says it is disabled only to its own PIN', async () => {
    clinic = await openClinic('unknown-disabled')
    const { accounts } = clinic
    accounts.disable('N0007', 'A001')
    const disabled = await errorOf(() => accounts.verifyPin('N0007', '975310', 'sign-in'))
    const unknown = await errorOf(() => accounts.verifyPin('N9999', '975310', 'sign-in'))
    expect(answer(disabled, 'N0007')).toEqual(answer(unknown, 'N9999'))
    clinic.clock.advance(1000)
    expect(await codeOf(() => accounts.verifyPin('N0007', people.nurse.pin, 'sign-in'))).toBe('ACCOUNT_DISABLED')
  })

  it('is audited as an attempt with an unknown id, never with the id typed (it might be a PIN)', async () => {
    clinic = await openClinic('unknown-audit')
    await codeOf(() => clinic?.accounts.verifyPin('135792', '975310', 'sign-in'))
    const entries = clinic.store.audit.list().items.filter((e) => e.action === 'clinician.pin-wrong')
    expect(entries).toMatchObject([{ actor: 'system', entityType: 'clinician', entityId: '(unknown)', details: { purpose: 'sign-in', failures: 1 } }])
    expect(JSON.stringify(clinic.store.audit.list().items)).not.toContain('135792')
  })

  it('takes as long to refuse as a wrong PIN for a real account (a PIN is hashed either way)', async () => {
    clinic = await openClinic('unknown-timing')
    const { accounts, clock } = clinic
    // Hashing costs enough here that it, not bookkeeping, decides the time (as in production, a quarter of a second).
    const slow = new ClinicianAccounts(clinic.store, { now: clock.now, scryptCost: { log2N: 14, r: 8, p: 1 } })
    await slow.resetPin('N0007', '864209', 'A001')
    const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0
    const known: number[] = []
    const unknown: number[] = []
    for (let i = 0; i < 7; i++) {
      let started = performance.now()
      expect(await codeOf(() => slow.verifyPin('N0007', '975310', 'sign-in'))).toBe('PIN_WRONG')
      known.push(performance.now() - started)
      started = performance.now()
      expect(await codeOf(() => slow.verifyPin(`X${1000 + i}`, '975310', 'sign-in'))).toBe('PIN_WRONG')
      unknown.push(performance.now() - started)
      accounts.unlock('N0007', 'A001')
    }
    const ratio = median(unknown) / median(known)
    expect(ratio).toBeGreaterThan(0.6)
    expect(ratio).toBeLessThan(1.6)
  })
})

describe('PIN changes', () => {
  it('an admin reset unlocks the account, the old PIN stops working, and the clinician must choose a new one', async () => {
    clinic = await openClinic('reset')
    const { accounts, clock } = clinic
    for (let i = 0; i < 5; i++) {
      await codeOf(() => accounts.verifyPin('D1024', `97531${i}`, 'sign-in'))
      clock.advance(120_000)
    }
    expect(accounts.get('D1024').status).toBe('locked')
    const reset = await accounts.resetPin('D1024', '864209', 'A001')
    expect(reset).toMatchObject({ status: 'active', pinChangeRequired: true })
    expect(await codeOf(() => accounts.verifyPin('D1024', people.doctor.pin, 'sign-in'))).toBe('PIN_WRONG')
    clock.advance(1000)
    await accounts.verifyPin('D1024', '864209', 'sign-in')
    expect(await codeOf(() => accounts.changePin('D1024', '864209', '864209'))).toBe('PIN_TOO_WEAK')
    expect(await codeOf(() => accounts.changePin('D1024', '864209', '111111'))).toBe('PIN_TOO_WEAK')
    expect(await accounts.changePin('D1024', '864209', '753102')).toMatchObject({ pinChangeRequired: false })
    expect((await accounts.verifyPin('D1024', '753102', 'sign-in')).staffId).toBe('D1024')
    const audit = clinic.store.audit.list({ entityType: 'clinician', entityId: 'D1024' }).items
    expect(audit.find((e) => e.action === 'clinician.pin-reset')).toMatchObject({ actor: 'A001', details: { unlocked: true } })
    expect(audit.find((e) => e.action === 'clinician.pin-change')).toMatchObject({ actor: 'D1024' })
  })

  it('a hash made with cheaper parameters is upgraded at the next right PIN', async () => {
    clinic = await openClinic('rehash')
    const stronger = new ClinicianAccounts(clinic.store, { now: clinic.clock.now, scryptCost: { log2N: 11, r: 8, p: 1 } })
    const hashOf = () => (clinic?.store.connection.prepare("SELECT pin_hash FROM clinicians WHERE staff_id = 'N0007'").get() as { pin_hash: string }).pin_hash
    expect(hashOf()).toMatch(/^scrypt\$ln=10,/)
    await stronger.verifyPin('N0007', people.nurse.pin, 'sign-in')
    expect(hashOf()).toMatch(/^scrypt\$ln=11,/)
    await stronger.verifyPin('N0007', people.nurse.pin, 'sign-in')
  })

  it('break-glass recovery only when no other administrator can act, audited as recovery', async () => {
    clinic = await openClinic('recovery', { people: ['doctor'] })
    const { accounts, clock } = clinic
    expect(await codeOf(() => accounts.recoverAdministrator('D1024', '864209'))).toBe('FORBIDDEN')
    for (let i = 0; i < 5; i++) {
      await codeOf(() => accounts.verifyPin('A001', `97531${i}`, 'admin'))
      clock.advance(120_000)
    }
    expect(await accounts.recoverAdministrator('A001', '864209')).toMatchObject({ status: 'active' })
    expect(clinic.store.audit.list().items[0]).toMatchObject({ actor: 'recovery', action: 'clinician.recover', entityId: 'A001' })
    await accounts.add(account('director'), people.director.pin, 'A001')
    expect(await codeOf(() => accounts.recoverAdministrator('A001', '864209'))).toBe('FORBIDDEN')
  })
})

describe('the audit log', () => {
  it('names who acted on every account change, and never holds a PIN', async () => {
    clinic = await openClinic('audit-text')
    const { accounts, clock } = clinic
    await codeOf(() => accounts.verifyPin('D1024', '975310', 'sign-in'))
    clock.advance(60_000)
    await accounts.resetPin('N0007', '864209', 'A001')
    const text = JSON.stringify(clinic.store.audit.list({ limit: 200 }).items)
    for (const pin of [...Object.values(people).map((p) => p.pin), '975310', '864209']) expect(text).not.toContain(pin)
    for (const entry of clinic.store.audit.list({ limit: 200 }).items) expect(entry.actor).toMatch(/^(system|A001|D0001|D1024|N0007)$/)
  })
})
