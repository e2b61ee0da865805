import { dirname } from 'node:path'
import type { HospitalConfig } from '../config/hospital-config.ts'
import type { RecordStore } from '../records/record-store.ts'
import type { Clock } from '../records/record-time.ts'
import { defaultAuditKeyPath, keyFileVault, type AuditKeyVault } from './audit-key-vault.ts'
import { ClinicianAccounts } from './clinician-accounts.ts'
import { ClinicianSessions, type IdleTimers } from './clinician-sessions.ts'
import { PinConfirmedSigning } from './pin-confirmed-signing.ts'
import type { ScryptCost } from './pin-hashing.ts'

export interface ClinicianServices {
  accounts: ClinicianAccounts
  sessions: ClinicianSessions
  signing: PinConfirmedSigning
}

export type ClinicianConfig = Pick<HospitalConfig, 'idleLockMs' | 'pinAttemptsBeforeLock' | 'osUserAccounts' | 'certifiedSignature'>

/** Builds accounts, sessions and PIN-confirmed signing over one open record store, as the hospital configures them. */
export function clinicianServices(
  store: RecordStore,
  config: ClinicianConfig,
  options: { now?: Clock; timers?: IdleTimers | null; scryptCost?: ScryptCost } = {},
): ClinicianServices {
  const accounts = new ClinicianAccounts(store, {
    pinAttemptsBeforeLock: config.pinAttemptsBeforeLock,
    ...(options.now ? { now: options.now } : {}),
    ...(options.scryptCost ? { scryptCost: options.scryptCost } : {}),
  })
  const sessions = new ClinicianSessions({
    accounts,
    audit: store.audit,
    idleLockMs: config.idleLockMs,
    osUserAccounts: config.osUserAccounts,
    ...(options.now ? { now: options.now } : {}),
    ...(options.timers !== undefined ? { timers: options.timers } : {}),
  })
  const signing = new PinConfirmedSigning({ store, sessions, certifiedSignature: config.certifiedSignature })
  return { accounts, sessions, signing }
}

/** The key file for a database: the configured `auditKeyFile`, else keys/audit-chain.key in the database's folder. */
export function auditKeyFileVault(config: Pick<HospitalConfig, 'auditKeyFile'>, databasePath: string): AuditKeyVault {
  return keyFileVault(config.auditKeyFile ?? defaultAuditKeyPath(dirname(databasePath)))
}
