import type { ChainHasher } from '../records/chain-hasher.ts'
import { systemActor } from '../records/actor.ts'
import { openRecordStore, type RecordStore, type RecordStoreOptions } from '../records/record-store.ts'
import { storageFailure } from '../records/sqlite-failures.ts'
import type { AuditKeyVault } from './audit-key-vault.ts'
import { keyedChainHasher } from './keyed-chain-hasher.ts'

export interface KeyedRecordStore {
  store: RecordStore
  /** The keyed hasher in use; null only for a read-only open where no key exists yet. */
  auditHasher: ChainHasher | null
  /** The key was made by this open (the CLI says so, and that it needs a backup of its own). */
  keyCreated: boolean
  /** Where the key is (the vault's location), for messages. */
  keyLocation: string
}

/**
 * Opens the record store with its audit chain keyed by the vault's key. A writable open makes the
 * key on first use and, when the chain's newest entry was not hashed with this key (a database
 * from before accounts, or moved from another key), appends an `audit.key` entry with it: from
 * there on every entry needs the key. A read-only open never creates a key.
 */
export async function openKeyedRecordStore(options: RecordStoreOptions & { keyVault: AuditKeyVault }): Promise<KeyedRecordStore> {
  const { keyVault, ...storeOptions } = options
  let key: Uint8Array | null
  let keyCreated = false
  if (storeOptions.readOnly) key = await keyVault.findKey()
  else ({ key, created: keyCreated } = await keyVault.obtainKey())
  const auditHasher = key === null ? null : keyedChainHasher(key)
  const store = await openRecordStore({ ...storeOptions, ...(auditHasher ? { chainHasher: auditHasher } : {}) })
  try {
    if (auditHasher !== null && !storeOptions.readOnly) ensureChainKeyed(store, auditHasher)
  } catch (error) {
    store.close()
    throw error
  }
  return { store, auditHasher, keyCreated, keyLocation: keyVault.location }
}

/** Marks the point from which the chain is keyed with `hasher`, unless its newest entry already is. */
export function ensureChainKeyed(store: Pick<RecordStore, 'connection' | 'audit' | 'transaction'>, hasher: ChainHasher): void {
  store.transaction('audit.key', () => {
    let newest: { hash_scheme: string } | undefined
    try {
      newest = store.connection.prepare('SELECT hash_scheme FROM audit_entries ORDER BY seq DESC LIMIT 1').get() as { hash_scheme: string } | undefined
    } catch (error) {
      throw storageFailure(error, 'audit.key')
    }
    if (newest?.hash_scheme === hasher.scheme) return
    store.audit.append({
      actor: systemActor,
      action: 'audit.key',
      entityType: 'audit',
      entityId: 'chain',
      details: { scheme: hasher.scheme, previousScheme: newest?.hash_scheme ?? null },
    })
  })
}
