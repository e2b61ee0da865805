import type { ChainHasher } from '../records/chain-hasher.ts'
import { systemActor } from '../records/actor.ts'
import { openRecordStore, type RecordStore, type RecordStoreOptions } from '../records/record-store.ts'
import { restoreRecordStore, type RestoreOutcome } from '../records/record-restore.ts'
import { storageFailure } from '../records/sqlite-failures.ts'
import { anchorProblem, AuditChainAnchor, readAnchorReport, refuseUnlessAnchored, type AnchorReport } from './audit-chain-anchor.ts'
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
  /** The database's chain compared with its anchored head, as found on open (before this open wrote). */
  anchor: AnchorReport
  /**
   * Only after an open with `truncation: 'report'` that found the chain cut (or its anchor invalid):
   * records the gap as `actor` (an administrator whose PIN the caller checked) and anchors again.
   */
  acknowledgeTruncation?: (actor: string) => Promise<void>
}

/**
 * Opens the record store with its audit chain keyed by the vault's key. A writable open makes the
 * key on first use and, when the chain's newest entry was not hashed with this key (a database
 * from before accounts, or moved from another key), appends an `audit.key` entry with it: from
 * there on every entry needs the key. A read-only open never creates a key.
 *
 * The chain head is anchored beside the key (audit-chain-anchor.ts). A writable open first compares
 * the database with that anchor, before anything is written to it: when entries were removed from
 * the end of the chain it refuses (AUDIT_TRUNCATED) and leaves the file exactly as it was, the
 * evidence included; a hospital's IT then restores a backup (which re-anchors, and logs what it
 * superseded) or an administrator records the loss (`truncation: 'report'`, then
 * `acknowledgeTruncation`). A read-only open reports what it found in `anchor` (audit verify), and
 * never refuses for it.
 */
export async function openKeyedRecordStore(options: RecordStoreOptions & { keyVault: AuditKeyVault; truncation?: 'refuse' | 'report' }): Promise<KeyedRecordStore> {
  const { keyVault, truncation = 'refuse', ...storeOptions } = options
  let key: Uint8Array | null
  let keyCreated = false
  if (storeOptions.readOnly) key = await keyVault.findKey()
  else ({ key, created: keyCreated } = await keyVault.obtainKey())
  const auditHasher = key === null ? null : keyedChainHasher(key)
  let anchor: AnchorReport = { state: key === null ? 'unchecked' : 'no-chain' }
  const store = await openRecordStore({
    ...storeOptions,
    ...(auditHasher ? { chainHasher: auditHasher } : {}),
    checkAuditHead: async (audit) => {
      if (key === null || auditHasher === null) return
      if (storeOptions.readOnly || truncation === 'report') anchor = await readAnchorReport(audit, keyVault, key)
      else anchor = await refuseUnlessAnchored(audit, keyVault, key, auditHasher)
    },
  })
  const opened: KeyedRecordStore = { store, auditHasher, keyCreated, keyLocation: keyVault.location, anchor }
  try {
    if (key !== null && auditHasher !== null && !storeOptions.readOnly) {
      ensureChainKeyed(store, auditHasher)
      const problem = anchorProblem(anchor)
      if (problem === null) await attachAnchor(store, keyVault, key)
      else {
        // Opened to look at, or to record the gap: anchored again only once an administrator has.
        const found = anchor
        opened.acknowledgeTruncation = async (actor: string) => {
          recordTruncation(store, found, actor)
          await attachAnchor(store, keyVault, key)
        }
      }
    }
  } catch (error) {
    store.close()
    throw error
  }
  return opened
}

/**
 * The way on when no backup holds the removed entries: an administrator records the gap in the
 * chain itself (an `audit.truncation` entry naming the anchored entry and where the chain now
 * ends), and the anchor moves to the new head. The removed entries stay missing; the record says so.
 */
function recordTruncation(store: RecordStore, anchor: AnchorReport, actor: string): void {
  if (anchor.state !== 'truncated' && anchor.state !== 'invalid') return
  store.audit.append({
    actor,
    action: 'audit.truncation',
    entityType: 'audit',
    entityId: 'chain',
    details:
      anchor.state === 'truncated'
        ? { anchoredSeq: anchor.anchored.seq, anchoredHash: anchor.anchored.hash, foundHeadSeq: anchor.head?.seq ?? 0, found: anchor.found }
        : { anchorInvalid: anchor.problem },
  })
}

/** Anchors the store's chain head from now on (after appends, and on close), and once at once. */
async function attachAnchor(store: RecordStore, vault: AuditKeyVault, key: Uint8Array): Promise<AuditChainAnchor> {
  const anchor = new AuditChainAnchor(store.audit, vault, key, () => !store.connection.isOpen || store.connection.isTransaction)
  store.audit.watchHead(anchor)
  await anchor.anchorNow()
  return anchor
}

/**
 * `records restore` on a keyed database: restores (restoreRecordStore), then compares the restored
 * chain with the anchor. Entries the anchor covers that the backup does not have (they are in the
 * pre-restore safety backup) are superseded: an `audit.reanchor` entry names their range and the
 * anchored head, and the anchor moves to the restored chain's head.
 */
export async function restoreKeyedRecordStore(
  options: RecordStoreOptions & { from: string; actor: string; keyVault: AuditKeyVault },
): Promise<RestoreOutcome & { superseded: { from: number | null; to: number } | null }> {
  const { keyVault, ...restoreOptions } = options
  const { key } = await keyVault.obtainKey()
  const hasher = keyedChainHasher(key)
  const outcome = await restoreRecordStore({ ...restoreOptions, chainHasher: hasher })
  const { store } = outcome
  try {
    const report = await readAnchorReport(store.audit, keyVault, key)
    // The restore's own entry is the newest; the backup's chain ends just before it.
    const keptThrough = (store.audit.head()?.seq ?? 1) - 1
    // Entries the anchor covers beyond the backup's end are superseded (kept in the safety backup).
    // When the anchored entry is within the backup but differs, the backup is of another lineage
    // and where they part is not known from the anchor alone (from: null).
    const superseded =
      report.state === 'truncated' ? { from: report.anchored.seq > keptThrough ? keptThrough + 1 : null, to: report.anchored.seq } : null
    store.audit.append({
      actor: options.actor,
      action: 'audit.reanchor',
      entityType: 'audit',
      entityId: 'chain',
      details: {
        reason: 'restore',
        keptThrough,
        supersededFrom: superseded?.from ?? null,
        supersededTo: superseded?.to ?? null,
        supersededHead: report.state === 'truncated' || report.state === 'anchored' ? report.anchored.hash : null,
        previousAnchor: report.state,
      },
    })
    ensureChainKeyed(store, hasher)
    await attachAnchor(store, keyVault, key)
    return { ...outcome, superseded }
  } catch (error) {
    store.close()
    throw error
  }
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
