import { randomBytes } from 'node:crypto'
import type { StatementSync } from 'node:sqlite'
import type { Clinician, NewClinician } from '../../contract/clinicians.ts'
import { WorkstationError } from '../errors.ts'
import { demoActor, systemActor } from '../records/actor.ts'
import type { RecordStore } from '../records/record-store.ts'
import { isoTime, isoTimeOrNull, systemClock, type Clock } from '../records/record-time.ts'
import { storageFailure } from '../records/sqlite-failures.ts'
import { checkedRoles, rolesFromStored, storedRoles } from './clinician-roles.ts'
import { mayDo } from './permissions.ts'
import { defaultPinAttemptsBeforeLock, retryAfterMs, UnknownStaffIdAttempts, waitAfterFailures } from './pin-attempts.ts'
import { hashPin, productionScryptCost, spendPinCheck, verifyPin, weakerThan, type ScryptCost } from './pin-hashing.ts'
import { checkNewPin } from './pin-policy.ts'
import { checkedStaffId } from './staff-id.ts'

/** The actor of a break-glass recovery from the command line (see `recoverAdministrator`). */
export const recoveryActor = 'recovery'

/** Why a PIN is being checked; the audit log records it with every wrong PIN. */
export type PinPurpose = 'sign-in' | 'unlock' | 'signature' | 'admin' | 'pin-change'

export interface ClinicianAccountsOptions {
  /** Times of sign-ins, failures and locks. */
  now?: Clock
  /** Tests only: cheaper hashing. Production code never passes it. */
  scryptCost?: ScryptCost
  /** Wrong PINs in a row before the account locks (hospital config `pinAttemptsBeforeLock`). */
  pinAttemptsBeforeLock?: number
}

interface ClinicianRow {
  staff_id: string
  name: string
  roles: string
  department: string
  pin_hash: string
  pin_set_at: number
  pin_change_required: number
  failed_attempts: number
  last_failed_at: number | null
  locked_at: number | null
  disabled_at: number | null
  created_at: number
  created_by: string
  last_sign_in_at: number | null
}

function toClinician(row: ClinicianRow): Clinician {
  return {
    staffId: row.staff_id,
    name: row.name,
    roles: rolesFromStored(row.roles),
    department: row.department,
    status: row.disabled_at !== null ? 'disabled' : row.locked_at !== null ? 'locked' : 'active',
    pinChangeRequired: row.pin_change_required === 1,
    createdAt: isoTime(row.created_at),
    createdBy: row.created_by,
    lastSignInAt: isoTimeOrNull(row.last_sign_in_at),
    lockedAt: isoTimeOrNull(row.locked_at),
    disabledAt: isoTimeOrNull(row.disabled_at),
  }
}

/** The audit log's entity for a sign-in attempt with a staff id that has no account ("(" cannot start a staff id). */
export const unknownStaffIdEntity = '(unknown)'

function retryLater(waitMs: number): WorkstationError {
  return new WorkstationError('PIN_RETRY_LATER', `${Math.ceil(waitMs / 1000)} s`, { data: { retryAfterMs: waitMs } })
}

function wrongPin(attemptsLeft: number, failures: number): WorkstationError {
  return new WorkstationError('PIN_WRONG', undefined, { data: { attemptsLeft, retryAfterMs: waitAfterFailures(failures) } })
}

function lockedAfter(typed: string, failures: number): WorkstationError {
  return new WorkstationError('ACCOUNT_LOCKED', `${typed} after ${failures} wrong PINs`, { data: { failures } })
}

function checkedText(value: unknown, field: string, min: number, max: number): string {
  const text = typeof value === 'string' ? value.normalize('NFC').trim() : ''
  // eslint-disable-next-line no-control-regex
  if (text.length < min || text.length > max || /[\u0000-\u001f\u007f]/.test(text)) throw new WorkstationError('USAGE', `${field}: ${min}-${max} characters`)
  return text
}

/**
 * The workstation's clinician accounts, in the record database. Accounts are added, disabled,
 * re-enabled, unlocked and have their PIN reset by an admin, and never deleted: records and the
 * audit log keep naming them. Only a salted scrypt hash of a PIN is stored. Every change is audited.
 */
export class ClinicianAccounts {
  readonly #store: Pick<RecordStore, 'connection' | 'transaction' | 'audit'>
  readonly #now: Clock
  readonly #cost: ScryptCost
  readonly #attemptsBeforeLock: number
  readonly #statements = new Map<string, StatementSync>()
  /** One PIN check per account at a time, so parallel guesses cannot outrun the failure count. */
  readonly #checks = new Map<string, Promise<void>>()
  /** Wrong PINs for ids without an account, so that they are answered like accounts (see verifyPin). */
  readonly #unknownIds = new UnknownStaffIdAttempts()

  constructor(store: Pick<RecordStore, 'connection' | 'transaction' | 'audit'>, options: ClinicianAccountsOptions = {}) {
    this.#store = store
    this.#now = options.now ?? systemClock
    this.#cost = options.scryptCost ?? productionScryptCost
    this.#attemptsBeforeLock = options.pinAttemptsBeforeLock ?? defaultPinAttemptsBeforeLock
  }

  get pinAttemptsBeforeLock(): number {
    return this.#attemptsBeforeLock
  }

  /**
   * First run: no administrator account exists yet, so the next account to create is the
   * administrator's. Every account but the demo's is made by an administrator (or is the first
   * one), so this is "no account yet" — except on a demo database, whose demo clinicians (never
   * administrators, disabled, with a PIN nobody knows) leave the first-admin step to the window.
   */
  needsFirstAdmin(): boolean {
    return this.#read('clinician.count', () => (this.#sql("SELECT count(*) AS n FROM clinicians WHERE roles LIKE '%admin'").get() as { n: number }).n === 0)
  }

  /** Creates the first administrator; refused once any account exists. */
  async createFirstAdmin(input: NewClinician, pin: string): Promise<Clinician> {
    const account = this.#checkedNew(input)
    if (!account.roles.includes('admin')) throw new WorkstationError('USAGE', 'the first account must be an admin')
    if (!this.needsFirstAdmin()) throw new WorkstationError('FORBIDDEN', 'accounts exist: an admin adds the next one')
    checkNewPin(pin, account.staffId)
    const hash = await hashPin(pin, this.#cost)
    return this.#store.transaction('clinician.add', () => {
      if (!this.needsFirstAdmin()) throw new WorkstationError('FORBIDDEN', 'accounts exist: an admin adds the next one')
      if (this.#row(account.staffId) !== undefined) throw new WorkstationError('CLINICIAN_EXISTS', account.staffId)
      return this.#insert(account, hash, account.staffId, false, { firstAdmin: true })
    })
  }

  /**
   * A demo clinician for `huatuo records demo`, who signs the demo's records and never signs in:
   * never an administrator, created by the demo actor, with a random PIN that is hashed like any
   * other and then forgotten (never shown, never stored but as the hash), so nobody knows it. The
   * demo disables it when it is done (`disableDemoClinician`). An account of that staff id that the
   * demo made before is used again; one that a person made is refused (CLINICIAN_EXISTS).
   */
  async addDemoClinician(input: NewClinician): Promise<Clinician> {
    const account = this.#checkedNew(input)
    if (account.roles.includes('admin')) throw new WorkstationError('USAGE', 'a demo clinician is never an admin')
    const hash = await hashPin(randomBytes(32).toString('base64url'), this.#cost)
    return this.#store.transaction('clinician.add', () => {
      const existing = this.#row(account.staffId)
      if (existing !== undefined) {
        if (existing.created_by !== demoActor || rolesFromStored(existing.roles).includes('admin')) throw new WorkstationError('CLINICIAN_EXISTS', account.staffId)
        return toClinician(existing)
      }
      return this.#insert(account, hash, demoActor, true, { demo: true })
    })
  }

  /** Disables an account the demo made (audited as the demo); any other account is refused (FORBIDDEN). */
  disableDemoClinician(staffId: string): Clinician {
    return this.#store.transaction('clinician.disable', () => {
      const target = this.#target(staffId)
      if (target.created_by !== demoActor) throw new WorkstationError('FORBIDDEN', 'not a demo account')
      if (target.disabled_at !== null) return toClinician(target)
      this.#sql('UPDATE clinicians SET disabled_at = ? WHERE staff_id = ?').run(this.#now(), target.staff_id)
      this.#audit(demoActor, 'clinician.disable', target.staff_id)
      return toClinician(this.#target(target.staff_id))
    })
  }

  /**
   * An admin adds an account with a first PIN. By default the clinician must choose their own PIN
   * at first sign-in, since the admin knows this one.
   */
  async add(input: NewClinician, pin: string, by: string, options: { pinChangeRequired?: boolean } = {}): Promise<Clinician> {
    const account = this.#checkedNew(input)
    this.#administrator(by)
    checkNewPin(pin, account.staffId)
    const hash = await hashPin(pin, this.#cost)
    return this.#store.transaction('clinician.add', () => {
      const admin = this.#administrator(by)
      if (this.#row(account.staffId) !== undefined) throw new WorkstationError('CLINICIAN_EXISTS', account.staffId)
      return this.#insert(account, hash, admin.staff_id, options.pinChangeRequired ?? true, {})
    })
  }

  /** Every account, disabled ones included (marked), by staff id. */
  list(): Clinician[] {
    const rows = this.#read('clinician.list', () => this.#sql('SELECT * FROM clinicians ORDER BY staff_id LIMIT 10000').all()) as unknown as ClinicianRow[]
    return rows.map(toClinician)
  }

  find(staffId: string): Clinician | null {
    let id: string
    try {
      id = checkedStaffId(staffId)
    } catch {
      return null
    }
    const row = this.#read('clinician.get', () => this.#row(id))
    return row === undefined ? null : toClinician(row)
  }

  get(staffId: string): Clinician {
    const clinician = this.find(staffId)
    if (clinician === null) throw new WorkstationError('CLINICIAN_NOT_FOUND', staffId.slice(0, 32))
    return clinician
  }

  /** The account can no longer sign in; everything it did stays attributed to it. */
  disable(staffId: string, by: string): Clinician {
    return this.#store.transaction('clinician.disable', () => {
      const admin = this.#administrator(by)
      const target = this.#target(staffId)
      if (target.disabled_at !== null) return toClinician(target)
      if (rolesFromStored(target.roles).includes('admin') && this.#otherAdmins(target.staff_id, { includeLocked: true }) === 0) {
        throw new WorkstationError('LAST_ADMIN', target.staff_id)
      }
      this.#sql('UPDATE clinicians SET disabled_at = ? WHERE staff_id = ?').run(this.#now(), target.staff_id)
      this.#audit(admin.staff_id, 'clinician.disable', target.staff_id)
      return toClinician(this.#target(target.staff_id))
    })
  }

  enable(staffId: string, by: string): Clinician {
    return this.#store.transaction('clinician.enable', () => {
      const admin = this.#administrator(by)
      const target = this.#target(staffId)
      if (target.disabled_at === null) return toClinician(target)
      this.#sql('UPDATE clinicians SET disabled_at = NULL WHERE staff_id = ?').run(target.staff_id)
      this.#audit(admin.staff_id, 'clinician.enable', target.staff_id)
      return toClinician(this.#target(target.staff_id))
    })
  }

  /** Lifts a lock after too many wrong PINs. */
  unlock(staffId: string, by: string): Clinician {
    return this.#store.transaction('clinician.unlock', () => {
      const admin = this.#administrator(by)
      const target = this.#target(staffId)
      if (target.locked_at === null && target.failed_attempts === 0) return toClinician(target)
      this.#sql('UPDATE clinicians SET locked_at = NULL, failed_attempts = 0, last_failed_at = NULL WHERE staff_id = ?').run(target.staff_id)
      this.#audit(admin.staff_id, 'clinician.unlock', target.staff_id, { failures: target.failed_attempts })
      return toClinician(this.#target(target.staff_id))
    })
  }

  /**
   * A forgotten PIN: the admin sets a new one and the account is unlocked. The clinician must
   * choose their own PIN at the next sign-in (unless the admin reset their own).
   */
  async resetPin(staffId: string, newPin: string, by: string): Promise<Clinician> {
    this.#administrator(by)
    const target = this.#target(staffId)
    checkNewPin(newPin, target.staff_id)
    const hash = await hashPin(newPin, this.#cost)
    return this.#store.transaction('clinician.pin-reset', () => {
      const admin = this.#administrator(by)
      const current = this.#target(target.staff_id)
      if (current.disabled_at !== null) throw new WorkstationError('ACCOUNT_DISABLED', 'enable the account before resetting its PIN')
      const own = admin.staff_id === current.staff_id
      this.#sql(
        `UPDATE clinicians SET pin_hash = ?, pin_set_at = ?, pin_change_required = ?, failed_attempts = 0, last_failed_at = NULL, locked_at = NULL
         WHERE staff_id = ?`,
      ).run(hash, this.#now(), own ? 0 : 1, current.staff_id)
      this.#audit(admin.staff_id, 'clinician.pin-reset', current.staff_id, { unlocked: current.locked_at !== null })
      return toClinician(this.#target(current.staff_id))
    })
  }

  /**
   * Break-glass, for the command line only: when no other administrator could unlock or reset an
   * administrator's account (the only admin is locked out or forgot the PIN), whoever can write the
   * data folder and read its audit key sets a new PIN. Audited as "recovery". Never exposed to the window.
   */
  async recoverAdministrator(staffId: string, newPin: string): Promise<Clinician> {
    const target = this.#target(staffId)
    if (!rolesFromStored(target.roles).includes('admin')) throw new WorkstationError('FORBIDDEN', 'recovery is for administrator accounts')
    if (this.#otherAdmins(target.staff_id, { includeLocked: false }) > 0) throw new WorkstationError('FORBIDDEN', 'another administrator can do this')
    checkNewPin(newPin, target.staff_id)
    const hash = await hashPin(newPin, this.#cost)
    return this.#store.transaction('clinician.recover', () => {
      if (this.#otherAdmins(target.staff_id, { includeLocked: false }) > 0) throw new WorkstationError('FORBIDDEN', 'another administrator can do this')
      this.#sql(
        `UPDATE clinicians SET pin_hash = ?, pin_set_at = ?, pin_change_required = 0, failed_attempts = 0, last_failed_at = NULL, locked_at = NULL,
           disabled_at = NULL WHERE staff_id = ?`,
      ).run(hash, this.#now(), target.staff_id)
      this.#audit(recoveryActor, 'clinician.recover', target.staff_id)
      return toClinician(this.#target(target.staff_id))
    })
  }

  /** The clinician's own change, which needs the current PIN. */
  async changePin(staffId: string, currentPin: string, newPin: string): Promise<Clinician> {
    const target = this.#target(staffId)
    checkNewPin(newPin, target.staff_id)
    if (newPin.normalize('NFKC') === currentPin.normalize('NFKC')) throw new WorkstationError('PIN_TOO_WEAK', 'the same as the current PIN')
    await this.verifyPin(target.staff_id, currentPin, 'pin-change')
    const hash = await hashPin(newPin, this.#cost)
    return this.#store.transaction('clinician.pin-change', () => {
      this.#sql('UPDATE clinicians SET pin_hash = ?, pin_set_at = ?, pin_change_required = 0 WHERE staff_id = ?').run(hash, this.#now(), target.staff_id)
      this.#audit(target.staff_id, 'clinician.pin-change', target.staff_id)
      return toClinician(this.#target(target.staff_id))
    })
  }

  /**
   * Checks a PIN against the account, with the rate limit: an account that is locked is refused
   * without checking; during the wait after repeated failures the try is refused (PIN_RETRY_LATER)
   * without counting; a wrong PIN counts, and the last allowed one locks the account.
   *
   * Whoever types a staff id learns nothing about whether it exists: an unknown id (or a disabled
   * account, at sign-in, until its own PIN is given) is answered like a known one with a wrong PIN —
   * the same codes, attempts left, waits and lock, after hashing the PIN just as long — and errors
   * name the id as typed, never as stored.
   */
  async verifyPin(staffId: string, pin: string, purpose: PinPurpose): Promise<Clinician> {
    let id: string | null
    try {
      id = checkedStaffId(staffId)
    } catch {
      id = null
    }
    const typed = id ?? (typeof staffId === 'string' ? staffId.normalize('NFKC').trim().slice(0, 32) : '')
    // Ids match case-insensitively (COLLATE NOCASE); "!" cannot start a valid id, so invalid ones have keys of their own.
    const key = id === null ? `!${typed.toLowerCase()}` : id.toLowerCase()
    return this.#oneAtATime(key, async () => {
      const row = id === null ? undefined : this.#read('clinician.get', () => this.#row(id))
      if (row === undefined) return this.#refuseUnknown(key, typed, pin, purpose)
      // Outside sign-in the account is the caller's own (unlock, signing): its state is no secret to them.
      if (row.disabled_at !== null && purpose !== 'sign-in') throw new WorkstationError('ACCOUNT_DISABLED', typed)
      if (row.locked_at !== null) throw new WorkstationError('ACCOUNT_LOCKED', typed)
      const wait = retryAfterMs(row.failed_attempts, row.last_failed_at, this.#now())
      if (wait > 0) throw retryLater(wait)
      if (!(await verifyPin(pin, row.pin_hash))) this.#countFailure(row.staff_id, typed, purpose)
      if (row.disabled_at !== null) throw new WorkstationError('ACCOUNT_DISABLED', typed)
      return this.#succeeded(row, pin, purpose)
    })
  }

  /**
   * The answer for a staff id without an account, step for step the one a wrong PIN gets: the same
   * wait and lock (counted in memory), a PIN hashed at the same cost, and one audit transaction. The
   * log records that an unknown id was tried, never the id typed (a PIN typed into the staff id
   * field must not end up in the log).
   */
  async #refuseUnknown(key: string, typed: string, pin: string, purpose: PinPurpose): Promise<never> {
    const earlier = this.#unknownIds.get(key)
    if (earlier?.locked) throw new WorkstationError('ACCOUNT_LOCKED', typed)
    const wait = retryAfterMs(earlier?.failures ?? 0, earlier?.lastFailedAt ?? null, this.#now())
    if (wait > 0) throw retryLater(wait)
    await spendPinCheck(pin, this.#cost)
    const failure = this.#store.transaction('clinician.pin-wrong', () => {
      const { failures, locked } = this.#unknownIds.fail(key, this.#now(), this.#attemptsBeforeLock)
      this.#audit(systemActor, 'clinician.pin-wrong', unknownStaffIdEntity, { purpose, failures })
      if (locked) {
        this.#audit(systemActor, 'clinician.lock', unknownStaffIdEntity, { failures })
        return lockedAfter(typed, failures)
      }
      return wrongPin(this.#attemptsBeforeLock - failures, failures)
    })
    throw failure
  }

  #countFailure(staffId: string, typed: string, purpose: PinPurpose): never {
    const failure = this.#store.transaction('clinician.pin-wrong', () => {
      const now = this.#now()
      const { failed_attempts: failures } = this.#sql(
        'UPDATE clinicians SET failed_attempts = failed_attempts + 1, last_failed_at = ? WHERE staff_id = ? RETURNING failed_attempts',
      ).get(now, staffId) as { failed_attempts: number }
      // Nobody is known to be acting: the typist might not be the account's owner.
      this.#audit(systemActor, 'clinician.pin-wrong', staffId, { purpose, failures })
      if (failures >= this.#attemptsBeforeLock) {
        this.#sql('UPDATE clinicians SET locked_at = ? WHERE staff_id = ?').run(now, staffId)
        this.#audit(systemActor, 'clinician.lock', staffId, { failures })
        return lockedAfter(typed, failures)
      }
      return wrongPin(this.#attemptsBeforeLock - failures, failures)
    })
    throw failure
  }

  async #succeeded(row: ClinicianRow, pin: string, purpose: PinPurpose): Promise<Clinician> {
    if (row.failed_attempts > 0 || purpose === 'sign-in') {
      this.#store.transaction('clinician.pin-right', () => {
        this.#sql(
          `UPDATE clinicians SET failed_attempts = 0, last_failed_at = NULL, last_sign_in_at = CASE WHEN ? THEN ? ELSE last_sign_in_at END
           WHERE staff_id = ?`,
        ).run(purpose === 'sign-in' ? 1 : 0, this.#now(), row.staff_id)
      })
    }
    // A hash made with older, cheaper parameters is upgraded now that the PIN is known.
    if (weakerThan(row.pin_hash, this.#cost)) {
      const stronger = await hashPin(pin, this.#cost)
      this.#store.transaction('clinician.rehash', () => {
        this.#sql('UPDATE clinicians SET pin_hash = ? WHERE staff_id = ? AND pin_hash = ?').run(stronger, row.staff_id, row.pin_hash)
      })
    }
    return toClinician(this.#target(row.staff_id))
  }

  async #oneAtATime<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.#checks.get(key) ?? Promise.resolve()
    const run = previous.then(work)
    const settled = run.then(
      () => undefined,
      () => undefined,
    )
    this.#checks.set(key, settled)
    try {
      return await run
    } finally {
      if (this.#checks.get(key) === settled) this.#checks.delete(key)
    }
  }

  #checkedNew(input: NewClinician): Required<NewClinician> {
    return {
      staffId: checkedStaffId(input.staffId),
      name: checkedText(input.name, 'name', 1, 50),
      roles: checkedRoles(input.roles),
      department: checkedText(input.department ?? '', 'department', 0, 100),
    }
  }

  #insert(account: Required<NewClinician>, hash: string, by: string, pinChangeRequired: boolean, details: { firstAdmin?: boolean; demo?: boolean }): Clinician {
    const now = this.#now()
    this.#sql(
      `INSERT INTO clinicians (staff_id, name, roles, department, pin_hash, pin_set_at, pin_change_required, created_at, created_by)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(account.staffId, account.name, storedRoles(account.roles), account.department, hash, now, pinChangeRequired ? 1 : 0, now, by)
    this.#audit(by, 'clinician.add', account.staffId, { roles: storedRoles(account.roles), ...details })
    return toClinician(this.#target(account.staffId))
  }

  /** The acting admin: an active, unlocked account with accounts.manage. */
  #administrator(by: string): ClinicianRow {
    let row: ClinicianRow | undefined
    try {
      row = this.#row(checkedStaffId(by))
    } catch {
      row = undefined
    }
    if (row === undefined || row.disabled_at !== null || row.locked_at !== null || !mayDo(rolesFromStored(row.roles), 'accounts.manage')) {
      throw new WorkstationError('FORBIDDEN', 'accounts.manage', { data: { permission: 'accounts.manage' } })
    }
    return row
  }

  #target(staffId: string): ClinicianRow {
    const row = this.#read('clinician.get', () => this.#row(checkedStaffId(staffId)))
    if (row === undefined) throw new WorkstationError('CLINICIAN_NOT_FOUND', staffId.slice(0, 32))
    return row
  }

  /** Administrators other than `staffId` who are not disabled (and, unless asked, not locked either). */
  #otherAdmins(staffId: string, options: { includeLocked: boolean }): number {
    const sql = `SELECT count(*) AS n FROM clinicians WHERE roles LIKE '%admin' AND staff_id <> ? AND disabled_at IS NULL${options.includeLocked ? '' : ' AND locked_at IS NULL'}`
    return (this.#read('clinician.admins', () => this.#sql(sql).get(staffId)) as { n: number }).n
  }

  #row(staffId: string): ClinicianRow | undefined {
    return this.#sql('SELECT * FROM clinicians WHERE staff_id = ?').get(staffId) as ClinicianRow | undefined
  }

  #audit(actor: string, action: string, staffId: string, details: Record<string, string | number | boolean> = {}): void {
    this.#store.audit.append({ actor, action, entityType: 'clinician', entityId: staffId, details })
  }

  #sql(sql: string): StatementSync {
    let statement = this.#statements.get(sql)
    if (statement === undefined) {
      statement = this.#store.connection.prepare(sql)
      this.#statements.set(sql, statement)
    }
    return statement
  }

  #read<T>(operation: string, work: () => T): T {
    try {
      return work()
    } catch (error) {
      throw storageFailure(error, operation)
    }
  }
}
