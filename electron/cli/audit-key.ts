import { resolve } from 'node:path'
import { locateHospitalConfig, readHospitalConfig, type HospitalConfig } from '../core/config/hospital-config.ts'
import { keyFileVault, type AuditKeyVault } from '../core/clinicians/audit-key-vault.ts'
import { auditKeyFileVault } from '../core/clinicians/clinician-services.ts'
import { openKeyedRecordStore, type KeyedRecordStore } from '../core/clinicians/keyed-record-store.ts'
import type { ShellCapabilities } from '../core/shell-capabilities.ts'

let config: Promise<HospitalConfig> | undefined

/** The hospital configuration in force (HUATUO_HOSPITAL_CONFIG, else the machine-wide file). */
export function cliHospitalConfig(): Promise<HospitalConfig> {
  config ??= locateHospitalConfig(null).then((path) => readHospitalConfig(path))
  return config
}

/**
 * The audit key for a database: --audit-key, else the shell's vault (inside the app, `--cli`: the
 * app's safeStorage-sealed key), else the configured `auditKeyFile`, else keys/audit-chain.key
 * beside the database.
 */
export async function cliAuditKeyVault(db: string, auditKey: string | undefined, shell: ShellCapabilities = {}): Promise<AuditKeyVault> {
  if (auditKey !== undefined && auditKey !== '') return keyFileVault(resolve(auditKey))
  const config = await cliHospitalConfig()
  if (shell.auditKeyVault) return shell.auditKeyVault(config, resolve(db))
  return auditKeyFileVault(config, resolve(db))
}

/**
 * Opens the record store as the command line does everywhere: like the app (checks, migration,
 * crash recovery), scheduled backups left to the app, and the audit chain keyed by the key file
 * (made on first use by a writable open).
 */
export async function openKeyedStoreForCli(
  db: string,
  options: { readOnly?: boolean; now?: () => number; auditKey?: string; shell?: ShellCapabilities } = {},
): Promise<KeyedRecordStore> {
  const { auditKey, shell, ...storeOptions } = options
  // Backups of the workstation's own database are also copied to the configured second place.
  const config = await cliHospitalConfig().catch(() => null)
  const ownDatabase = config !== null && resolve(db) === resolve(config.dataDir, 'records.db')
  const secondBackupFolder = ownDatabase ? config.backupDir : null
  return openKeyedRecordStore({ path: db, scheduledBackups: false, secondBackupFolder, ...storeOptions, keyVault: await cliAuditKeyVault(db, auditKey, shell) })
}
