import { userInfo } from 'node:os'
import type { Clinician, ClinicianSession, Permission } from '../../contract/clinicians.ts'
import { WorkstationError, isWorkstationError } from '../errors.ts'
import type { AuditEvent } from '../records/audit-log.ts'
import { isoTime, systemClock, type Clock } from '../records/record-time.ts'
import type { ClinicianAccounts } from './clinician-accounts.ts'
import { mayDo, permissionsOf } from './permissions.ts'
import { checkedStaffId } from './staff-id.ts'

/** The clinician a request acts for: `staffId` is the actor id to pass to the record store. */
export type SignedInClinician = Pick<Clinician, 'staffId' | 'name' | 'roles' | 'department'>

/** How the idle lock is scheduled; tests pass their own (or none, and read `current()`). */
export interface IdleTimers {
  set(callback: () => void, ms: number): unknown
  clear(handle: unknown): void
}

export const systemIdleTimers: IdleTimers = {
  set: (callback, ms) => setTimeout(callback, ms).unref(),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
}

export const defaultIdleLockMs = 5 * 60_000

export interface ClinicianSessionsOptions {
  accounts: ClinicianAccounts
  /** Where sign-ins, locks and sign-outs are recorded (the record store's audit log). */
  audit: { append(event: AuditEvent): unknown }
  now?: Clock
  /** Hospital config `idleLockMs` (default 5 minutes). */
  idleLockMs?: number
  /** null: no timer; the lock is still applied whenever the session is looked at. */
  timers?: IdleTimers | null
  /** Hospital config `osUserAccounts`: operating-system user → staff id. */
  osUserAccounts?: Readonly<Record<string, string>>
}

interface Session {
  staffId: string
  signedInAt: number
  method: 'pin' | 'os-user'
  lastActivityAt: number
  lockedAt: number | null
  lockReason: 'idle' | 'requested' | null
}

/**
 * Who is working at this workstation: one clinician at a time. After `idleLockMs` without activity
 * the session locks, and nothing clinical is served (SESSION_LOCKED) until that clinician's PIN is
 * entered again or another clinician switches in. Every request checks `require(permission)`; the
 * account is re-read each time, so an account disabled or locked elsewhere (the CLI) stops at once.
 */
export class ClinicianSessions {
  readonly #accounts: ClinicianAccounts
  readonly #audit: ClinicianSessionsOptions['audit']
  readonly #now: Clock
  #idleLockMs: number
  readonly #timers: IdleTimers | null
  readonly #osUserAccounts: Readonly<Record<string, string>>
  readonly #listeners = new Set<(session: ClinicianSession) => void>()
  #session: Session | null = null
  #timer: unknown = null

  constructor(options: ClinicianSessionsOptions) {
    this.#accounts = options.accounts
    this.#audit = options.audit
    this.#now = options.now ?? systemClock
    this.#idleLockMs = options.idleLockMs ?? defaultIdleLockMs
    this.#timers = options.timers === undefined ? systemIdleTimers : options.timers
    this.#osUserAccounts = options.osUserAccounts ?? {}
  }

  /** Called with the new state after every change, the idle lock included (the window hides patient data). */
  onChange(listener: (session: ClinicianSession) => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  /** The session as the window shows it; applies the idle lock if it is due. */
  current(): ClinicianSession {
    const session = this.#checkIdle()
    if (session === null) return { state: 'signed-out', firstAdminNeeded: this.#accounts.needsFirstAdmin() }
    const account = this.#accounts.find(session.staffId)
    if (account === null) return { state: 'signed-out', firstAdminNeeded: false }
    return {
      state: session.lockedAt === null ? 'active' : 'locked',
      clinician: { staffId: account.staffId, name: account.name, roles: account.roles, department: account.department },
      permissions: permissionsOf(account.roles),
      signedInAt: isoTime(session.signedInAt),
      method: session.method,
      pinChangeRequired: account.pinChangeRequired,
      idleLockAt: session.lockedAt === null ? isoTime(session.lastActivityAt + this.#idleLockMs) : null,
      lockedAt: session.lockedAt === null ? null : isoTime(session.lockedAt),
      lockReason: session.lockReason,
    }
  }

  /**
   * Signs a clinician in with staff id and PIN. Whoever was signed in (active or locked) is signed
   * out first; a wrong PIN leaves the previous session exactly as it was.
   */
  async signIn(staffId: string, pin: string): Promise<ClinicianSession> {
    if (this.#accounts.needsFirstAdmin()) throw new WorkstationError('FIRST_ADMIN_NEEDED')
    const account = await this.#accounts.verifyPin(staffId, pin, 'sign-in')
    this.#start(account, 'pin')
    return this.current()
  }

  /** Quick hand-over at a shared workstation: the same as signing in, from any state. */
  switchUser(staffId: string, pin: string): Promise<ClinicianSession> {
    return this.signIn(staffId, pin)
  }

  /**
   * Signs in the account the hospital configuration maps the operating-system user to, without a
   * PIN (the OS login vouched for them). Unlocking after idle and signing still ask for the PIN.
   */
  signInAsOsUser(osUser: string = userInfo().username): ClinicianSession {
    const staffId = Object.hasOwn(this.#osUserAccounts, osUser) ? this.#osUserAccounts[osUser] : undefined
    if (staffId === undefined) throw new WorkstationError('OS_USER_NOT_MAPPED')
    const account = this.#accounts.get(checkedStaffId(staffId))
    if (account.status === 'disabled') throw new WorkstationError('ACCOUNT_DISABLED', account.staffId)
    if (account.status === 'locked') throw new WorkstationError('ACCOUNT_LOCKED', account.staffId)
    this.#start(account, 'os-user')
    return this.current()
  }

  /** The clinician steps away: the session locks now. */
  lock(): ClinicianSession {
    const session = this.#checkIdle()
    if (session === null) throw new WorkstationError('NOT_SIGNED_IN')
    if (session.lockedAt === null) this.#lockNow(session, 'requested')
    return this.current()
  }

  /** The signed-in clinician's PIN lifts the lock. Too many wrong PINs lock the account and end the session. */
  async unlock(pin: string): Promise<ClinicianSession> {
    const session = this.#checkIdle()
    if (session === null) throw new WorkstationError('NOT_SIGNED_IN')
    if (session.lockedAt === null) return this.current()
    await this.#checkPin(session, pin, 'unlock')
    if (this.#session !== session) throw new WorkstationError('NOT_SIGNED_IN', 'another clinician signed in meanwhile')
    this.#record(session.staffId, 'session.unlock', { after: session.lockReason ?? 'requested' })
    session.lockedAt = null
    session.lockReason = null
    session.lastActivityAt = this.#now()
    this.#changed()
    return this.current()
  }

  signOut(): ClinicianSession {
    const session = this.#session
    if (session !== null) this.#end(session, 'sign-out')
    return this.current()
  }

  /** The staff id of the clinician signed in and unlocked now (the idle lock applied), or null. Reads no database. */
  unlockedStaffId(): string | null {
    const session = this.#checkIdle()
    return session !== null && session.lockedAt === null ? session.staffId : null
  }

  /** The clinician did something (typed, clicked): the idle timer starts again. No effect once locked. */
  activity(): void {
    const session = this.#checkIdle()
    if (session === null || session.lockedAt !== null) return
    session.lastActivityAt = this.#now()
    this.#schedule()
  }

  /**
   * The gate of every request that reads or writes clinical data: returns who acts, or throws
   * NOT_SIGNED_IN, SESSION_LOCKED, ACCOUNT_DISABLED / ACCOUNT_LOCKED (the session ends),
   * PIN_CHANGE_REQUIRED, or FORBIDDEN (with the permission in `data`).
   */
  require(permission: Permission): SignedInClinician {
    const session = this.#checkIdle()
    if (session === null) throw new WorkstationError('NOT_SIGNED_IN')
    if (session.lockedAt !== null) throw new WorkstationError('SESSION_LOCKED')
    const account = this.#accounts.find(session.staffId)
    if (account === null || account.status !== 'active') {
      this.#end(session, account === null ? 'account-missing' : `account-${account.status}`)
      throw new WorkstationError(account?.status === 'locked' ? 'ACCOUNT_LOCKED' : 'ACCOUNT_DISABLED', session.staffId)
    }
    if (account.pinChangeRequired) throw new WorkstationError('PIN_CHANGE_REQUIRED')
    if (!mayDo(account.roles, permission)) throw new WorkstationError('FORBIDDEN', permission, { data: { permission } })
    return { staffId: account.staffId, name: account.name, roles: account.roles, department: account.department }
  }

  /**
   * Asks the signed-in clinician for their PIN again before an act that carries their name (signing):
   * checks `permission` first, then the PIN, with the same rate limit as signing in.
   */
  async confirmPin(pin: string, permission: Permission): Promise<SignedInClinician> {
    this.require(permission)
    const session = this.#session as Session
    await this.#checkPin(session, pin, 'signature')
    if (this.#session !== session) throw new WorkstationError('NOT_SIGNED_IN', 'another clinician signed in meanwhile')
    this.activity()
    return this.require(permission)
  }

  /** The clinician's own PIN change (required after an admin reset); works while active, not while locked. */
  async changePin(currentPin: string, newPin: string): Promise<ClinicianSession> {
    const session = this.#checkIdle()
    if (session === null) throw new WorkstationError('NOT_SIGNED_IN')
    if (session.lockedAt !== null) throw new WorkstationError('SESSION_LOCKED')
    try {
      await this.#accounts.changePin(session.staffId, currentPin, newPin)
    } catch (error) {
      this.#endIfAccountStopped(session, error)
      throw error
    }
    this.activity()
    // Every window follows: a forced change done in one (or by the CLI) opens the workspace in all.
    this.#changed()
    return this.current()
  }

  /**
   * A new idle-lock time (the settings changed): applies at once to the session running, counted
   * from the clinician's last activity; a session already idle for longer locks now.
   */
  setIdleLockMs(ms: number): void {
    if (ms === this.#idleLockMs) return
    this.#idleLockMs = ms
    const session = this.#checkIdle()
    if (session === null || session.lockedAt !== null) return
    this.#schedule()
    // The window shows when the session locks: it follows the new time.
    this.#changed()
  }

  /** Stops the idle timer (app shutdown). */
  dispose(): void {
    this.#clearTimer()
    this.#listeners.clear()
  }

  async #checkPin(session: Session, pin: string, purpose: 'unlock' | 'signature'): Promise<void> {
    try {
      await this.#accounts.verifyPin(session.staffId, pin, purpose)
    } catch (error) {
      this.#endIfAccountStopped(session, error)
      throw error
    }
  }

  /** A PIN check that locked (or found disabled) the account ends the session: nobody is left to unlock it. */
  #endIfAccountStopped(session: Session, error: unknown): void {
    if (this.#session !== session) return
    if (isWorkstationError(error, 'ACCOUNT_LOCKED')) this.#end(session, 'account-locked')
    else if (isWorkstationError(error, 'ACCOUNT_DISABLED')) this.#end(session, 'account-disabled')
  }

  #start(account: Clinician, method: Session['method']): void {
    const previous = this.#session
    const now = this.#now()
    this.#record(account.staffId, 'session.sign-in', { method, ...(previous !== null && previous.staffId !== account.staffId ? { after: previous.staffId } : {}) })
    if (previous !== null) this.#recordQuietly(previous.staffId, 'session.sign-out', { reason: 'switch-user' })
    this.#session = { staffId: account.staffId, signedInAt: now, method, lastActivityAt: now, lockedAt: null, lockReason: null }
    this.#schedule()
    this.#changed()
  }

  #end(session: Session, reason: string): void {
    if (this.#session !== session) return
    this.#session = null
    this.#clearTimer()
    this.#recordQuietly(session.staffId, 'session.sign-out', { reason })
    this.#changed()
  }

  /** Applies the idle lock when it is due; returns the session (null when nobody is signed in). */
  #checkIdle(): Session | null {
    const session = this.#session
    if (session !== null && session.lockedAt === null && this.#now() - session.lastActivityAt >= this.#idleLockMs) this.#lockNow(session, 'idle')
    return this.#session
  }

  #lockNow(session: Session, reason: 'idle' | 'requested'): void {
    // The lock takes effect first; recording it must never be what keeps a workstation open.
    session.lockedAt = this.#now()
    session.lockReason = reason
    this.#clearTimer()
    this.#recordQuietly(session.staffId, 'session.lock', { reason })
    this.#changed()
  }

  #schedule(): void {
    this.#clearTimer()
    const session = this.#session
    if (this.#timers === null || session === null || session.lockedAt !== null) return
    const due = Math.max(0, session.lastActivityAt + this.#idleLockMs - this.#now())
    this.#timer = this.#timers.set(() => {
      this.#timer = null
      if (this.#checkIdle() === session && session.lockedAt === null) this.#schedule()
    }, due)
  }

  #clearTimer(): void {
    if (this.#timer !== null && this.#timers !== null) this.#timers.clear(this.#timer)
    this.#timer = null
  }

  #changed(): void {
    if (this.#listeners.size === 0) return
    const state = this.current()
    for (const listener of this.#listeners) listener(state)
  }

  #record(actor: string, action: string, details: Record<string, string>): void {
    this.#audit.append({ actor, action, entityType: 'session', entityId: actor, details })
  }

  #recordQuietly(actor: string, action: string, details: Record<string, string>): void {
    try {
      this.#record(actor, action, details)
    } catch {
      // A full disk must not keep a session open or a workstation unlocked; the change itself stands.
    }
  }
}
