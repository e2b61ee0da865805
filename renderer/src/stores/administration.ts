import { defineStore } from 'pinia'
import type { AccessLogEntry, AuditCheckReport, BackupList, RestoreReport } from '../../../electron/contract/administration.ts'
import type { Clinician, NewClinician } from '../../../electron/contract/clinicians.ts'
import { workstationClient } from '../api/connect.ts'
import { failureOf, type Failure } from './failure.ts'

type AccountAction = 'accounts.disable' | 'accounts.enable' | 'accounts.unlock'

// What an administrator manages: accounts, backups, the audit check and the access log. Ids,
// clinicians' names and counts only — never a patient's words. The last restore is kept across the
// sign-in it forces (file names only), so the administrator reads what it did when they return.
export const useAdministrationStore = defineStore('administration', {
  state: () => ({
    accounts: [] as Clinician[],
    backups: null as BackupList | null,
    audit: null as AuditCheckReport | null,
    accessLog: [] as AccessLogEntry[],
    accessCursor: null as string | null,
    lastRestore: null as RestoreReport | null,
    failure: null as Failure | null,
    /** What is running now: one of the actions' names, or null. */
    busy: null as string | null,
  }),
  actions: {
    async run<T>(what: string, work: () => Promise<T>): Promise<T | null> {
      this.busy = what
      this.failure = null
      try {
        return await work()
      } catch (error) {
        this.failure = failureOf(error)
        return null
      } finally {
        this.busy = null
      }
    },
    async loadAccounts() {
      const accounts = await this.run('accounts', () => workstationClient().request('accounts.list', {}))
      if (accounts) this.accounts = accounts
    },
    async addAccount(account: NewClinician & { pin: string }): Promise<boolean> {
      const added = await this.run('add', () => workstationClient().request('accounts.add', account))
      if (added) await this.loadAccounts()
      return added !== null
    },
    async accountAction(action: AccountAction, staffId: string) {
      if (await this.run(action, () => workstationClient().request(action, { staffId }))) await this.loadAccounts()
    },
    async resetPin(staffId: string, newPin: string): Promise<boolean> {
      const done = await this.run('accounts.resetPin', () => workstationClient().request('accounts.resetPin', { staffId, newPin }))
      if (done) await this.loadAccounts()
      return done !== null
    },
    async loadBackups() {
      const backups = await this.run('backups', () => workstationClient().request('backups.list', {}))
      if (backups) this.backups = backups
    },
    async backUpNow() {
      if (await this.run('backups.create', () => workstationClient().request('backups.create', {}))) await this.loadBackups()
    },
    async restore(fileName: string) {
      const report = await this.run('backups.restore', () => workstationClient().request('backups.restore', { fileName, confirmed: true }))
      if (report) this.lastRestore = report
    },
    async verifyAudit() {
      const report = await this.run('audit.verify', () => workstationClient().request('audit.verify', {}))
      if (report) this.audit = report
    },
    /** The access log from its newest entry, or (more) the next page. */
    async loadAccessLog(more = false) {
      const cursor = more ? this.accessCursor : null
      const page = await this.run('audit.accessLog', () => workstationClient().request('audit.accessLog', { limit: 50, ...(cursor ? { cursor } : {}) }))
      if (!page) return
      this.accessLog = more ? [...this.accessLog, ...page.items] : page.items
      this.accessCursor = page.nextCursor
    },
    /** Sign-out or another clinician: what the previous administrator saw goes (the restore's outcome stays). */
    clear() {
      this.accounts = []
      this.backups = null
      this.audit = null
      this.accessLog = []
      this.accessCursor = null
      this.failure = null
    },
  },
})
