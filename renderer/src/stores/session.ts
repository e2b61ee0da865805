import { defineStore } from 'pinia'
import type { WorkstationEvent } from '../../../electron/contract/channels.ts'
import type { ClinicianRole, ClinicianSession, Permission } from '../../../electron/contract/clinicians.ts'
import { workstationClient } from '../api/connect.ts'
import { failureOf, type Failure } from './failure.ts'
import { rememberClinician } from './recent-clinicians.ts'

/** How often the window tells the workstation that someone is working (keeps the idle lock away). */
const ACTIVITY_INTERVAL_MS = 30_000

// Who works at the workstation. Until someone is signed in and unlocked, the page shows the gate
// and no patient data.
export const useSessionStore = defineStore('session', {
  state: () => ({
    session: null as ClinicianSession | null,
    failure: null as Failure | null,
    busy: false,
    lastActivity: 0,
    /** The gate asks for another clinician's staff id and PIN (the current one's work stays locked). */
    switching: false,
  }),
  getters: {
    active: (state): boolean => state.session?.state === 'active',
    /** Signed in, unlocked, and not held at the forced PIN change: the workspace may show. */
    working: (state): boolean => state.session?.state === 'active' && !state.session.pinChangeRequired,
    /** Whether the signed-in clinician holds consultations (doctors and nurses; administrators alone do not). */
    mayConsult: (state): boolean => state.session?.state === 'active' && !state.session.pinChangeRequired && state.session.permissions.includes('consultation.write'),
    permissions: (state): Permission[] => (state.session?.state === 'active' ? state.session.permissions : []),
    staffId: (state): string | null => (state.session && state.session.state !== 'signed-out' ? state.session.clinician.staffId : null),
    roles: (state): ClinicianRole[] => (state.session && state.session.state !== 'signed-out' ? state.session.clinician.roles : []),
    clinicianName: (state): string | null => (state.session && state.session.state !== 'signed-out' ? state.session.clinician.name : null),
  },
  actions: {
    async refresh() {
      try {
        this.session = await workstationClient().request('session.current', {})
        this.failure = null
      } catch (error) {
        this.failure = failureOf(error)
      }
    },
    /** Runs one session request; the workstation's answer becomes the session shown. */
    async apply(work: () => Promise<ClinicianSession>) {
      this.failure = null
      this.busy = true
      try {
        this.session = await work()
        if (this.session.state !== 'locked') this.switching = false
        // Remembered on this machine so the next sign-in or switch is a click on one's own name.
        if (this.session.state === 'active') rememberClinician(this.session.clinician)
      } catch (error) {
        this.failure = failureOf(error)
      } finally {
        this.busy = false
      }
    },
    signIn(staffId: string, pin: string) {
      return this.apply(() => workstationClient().request('session.signIn', { staffId, pin }))
    },
    createFirstAccount(staffId: string, name: string, pin: string) {
      // The first account administers the workstation and, in a small clinic, is its doctor too.
      return this.apply(() => workstationClient().request('session.firstAdmin', { staffId, name, roles: ['doctor', 'admin'], pin }))
    },
    /** The clinician's own new PIN: forced after an administrator set one, or chosen. */
    changePin(currentPin: string, newPin: string) {
      return this.apply(() => workstationClient().request('session.changePin', { currentPin, newPin }))
    },
    /** Switch user: the work on screen is locked away first, then the gate asks who comes next. */
    async beginSwitch() {
      if (this.active) await this.lock()
      if (this.session?.state === 'locked') this.switching = true
    },
    /** Another clinician signs in (from the lock screen too): the previous one's work stays locked away. */
    switchUser(staffId: string, pin: string) {
      return this.apply(() => workstationClient().request('session.switchUser', { staffId, pin }))
    },
    unlock(pin: string) {
      return this.apply(() => workstationClient().request('session.unlock', { pin }))
    },
    lock() {
      return this.apply(() => workstationClient().request('session.lock', {}))
    },
    signOut() {
      return this.apply(() => workstationClient().request('session.signOut', {}))
    },
    /** Called on the clinician's input; sent at most every 30 s. */
    activity() {
      const now = Date.now()
      if (!this.active || now - this.lastActivity < ACTIVITY_INTERVAL_MS) return
      this.lastActivity = now
      void workstationClient()
        .request('session.activity', {})
        .catch(() => undefined)
    },
    handleEvent(event: WorkstationEvent) {
      if (event.type !== 'session.changed') return
      const before = this.session
      this.session = event.session
      // A refusal shown to one clinician (a wrong PIN, FORBIDDEN) is not left for the next one.
      const who = (session: ClinicianSession | null) => (session && session.state !== 'signed-out' ? session.clinician.staffId : null)
      if (who(before) !== who(event.session) || before?.state !== event.session.state) this.failure = null
      if (event.session.state !== 'locked') this.switching = false
    },
  },
})
