import { dirname, join } from 'node:path'
import type { SafeStorage } from 'electron'
import type { HospitalConfig } from '../core/config/hospital-config.ts'
import { sealedKeyFileVault, type AuditKeyVault } from '../core/clinicians/audit-key-vault.ts'
import { auditKeyFileVault } from '../core/clinicians/clinician-services.ts'
import { plainSecretKeeper, type SecretKeeper } from '../core/inference/remote/remote-server-config.ts'

/**
 * The app keeps the audit chain's key sealed by the operating system (Electron's safeStorage:
 * DPAPI, Keychain, libsecret/kwallet). Where the OS offers no real store (Linux's `basic_text`
 * fallback, or none at all), it falls back to the owner-only key file the CLI and host use.
 * `safeStorage` works only once the app is ready.
 */
export function appAuditKeyVault(safeStorage: SafeStorage, config: HospitalConfig, databasePath: string): AuditKeyVault {
  const osStore = safeStorage.isEncryptionAvailable() && !(process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text')
  if (!osStore || config.auditKeyFile) return auditKeyFileVault(config, databasePath)
  return sealedKeyFileVault(join(dirname(databasePath), 'keys', 'audit-chain.sealed'), {
    name: 'Electron safeStorage',
    seal: (key) => safeStorage.encryptString(Buffer.from(key).toString('base64')),
    unseal: (sealed) => Buffer.from(safeStorage.decryptString(Buffer.from(sealed)), 'base64'),
  })
}

/**
 * The hospital inference server's API key, kept sealed by the operating system while the app runs
 * and opened only to build a request; as read where the OS offers no real store.
 */
export function appSecretKeeper(safeStorage: SafeStorage): SecretKeeper {
  const osStore = safeStorage.isEncryptionAvailable() && !(process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text')
  if (!osStore) return plainSecretKeeper
  return {
    keep: (secret) => {
      const sealed = safeStorage.encryptString(secret)
      return () => safeStorage.decryptString(sealed)
    },
  }
}
