import { randomBytes } from 'node:crypto'
import { basename, dirname, join } from 'node:path'
import { WorkstationError } from '../errors.ts'
import { createOwnerOnlyFile, readOwnerOnlyFile, replaceOwnerOnlyFile, replaceOwnerOnlyFileSync, type OwnerOnlyFileOptions } from './owner-only-file.ts'

/**
 * Where the audit chain's key lives, outside the database. Core ships two: a key file readable by
 * its owner only (the CLI and the browser host), and the same file sealed by an OS facility that
 * the shell provides (Electron's safeStorage in the app) — core itself never imports Electron.
 */
export interface AuditKeyVault {
  /** Where the key is, for messages and logs (a path, a keychain name); never the key. */
  readonly location: string
  /** The key, made (32 random bytes) and stored on first use. */
  obtainKey(): Promise<{ key: Uint8Array; created: boolean }>
  /** The key if one exists; null otherwise. Verifying never creates a key. */
  findKey(): Promise<Uint8Array | null>
  /**
   * The audit chain's anchored head (see audit-chain-anchor.ts) is kept beside the key, one per
   * chain: outside the database, so removing the newest entries from the database shows. The
   * anchor is MACed with the key by its writer; the vault only stores it (mode 0600).
   */
  anchorLocation(chainId: string): string
  readAnchor(chainId: string): Promise<Uint8Array | null>
  /** Replaces the anchor unless `stillWanted()` says no right before (a newer one was written); true when replaced. */
  writeAnchor(chainId: string, anchor: Uint8Array, stillWanted?: () => boolean): Promise<boolean>
  /** The same, synchronously: the last anchor as a store closes. */
  writeAnchorSync(chainId: string, anchor: Uint8Array): void
}

/** Encrypts and decrypts with a secret the OS keeps for the user (e.g. safeStorage.encryptString/decryptString). */
export interface KeySealer {
  /** e.g. "safeStorage (libsecret)", for messages. */
  readonly name: string
  seal(key: Uint8Array): Uint8Array | Promise<Uint8Array>
  unseal(sealed: Uint8Array): Uint8Array | Promise<Uint8Array>
}

const keyBytes = 32

/** keys/audit-chain.key in the data folder (hospital config `auditKeyFile` overrides it). */
export function defaultAuditKeyPath(dataDir: string): string {
  return join(dataDir, 'keys', 'audit-chain.key')
}

function encode(header: string, bytes: Uint8Array): Buffer {
  return Buffer.from(`${header}\n${Buffer.from(bytes).toString('base64')}\n`, 'utf8')
}

function decode(header: string, content: Buffer, path: string): Buffer {
  const match = new RegExp(`^${header}\\n([A-Za-z0-9+/]+={0,2})\\n?$`).exec(content.toString('utf8'))
  if (match === null) throw new WorkstationError('AUDIT_KEY_INVALID', `${path}: not a ${header} file`)
  return Buffer.from(match[1] as string, 'base64')
}

function fileVault(
  path: string,
  header: string,
  location: string,
  store: (key: Uint8Array) => Promise<Uint8Array>,
  load: (stored: Buffer) => Promise<Uint8Array>,
  options: OwnerOnlyFileOptions,
): AuditKeyVault {
  const findKey = async (): Promise<Uint8Array | null> => {
    const content = await readOwnerOnlyFile(path, options)
    if (content === null) return null
    const key = await load(decode(header, content, path))
    if (key.length < keyBytes) throw new WorkstationError('AUDIT_KEY_INVALID', `${path}: key of ${key.length} bytes`)
    return key
  }
  const anchorLocation = (chainId: string): string => {
    if (!/^[0-9a-f]{8,64}$/.test(chainId)) throw new WorkstationError('INTERNAL', 'audit chain id must be hex')
    return join(dirname(path), `${basename(path)}.${chainId}.anchor`)
  }
  return {
    location,
    findKey,
    anchorLocation,
    readAnchor: (chainId) => readOwnerOnlyFile(anchorLocation(chainId), options),
    writeAnchor: (chainId, anchor, stillWanted) => replaceOwnerOnlyFile(anchorLocation(chainId), anchor, stillWanted),
    writeAnchorSync: (chainId, anchor) => replaceOwnerOnlyFileSync(anchorLocation(chainId), anchor),
    async obtainKey() {
      const existing = await findKey()
      if (existing !== null) return { key: existing, created: false }
      const key = randomBytes(keyBytes)
      if (await createOwnerOnlyFile(path, encode(header, await store(key)))) return { key, created: true }
      // Another process (the app and the CLI at once) made it first: theirs is the key.
      const theirs = await findKey()
      if (theirs === null) throw new WorkstationError('AUDIT_KEY_UNAVAILABLE', `${path}: created but not readable`)
      return { key: theirs, created: false }
    },
  }
}

/** The key in a file of its own, mode 0600; for the CLI and the browser host. */
export function keyFileVault(path: string, options: OwnerOnlyFileOptions = {}): AuditKeyVault {
  return fileVault(path, 'huatuo-audit-key v1', path, async (key) => key, async (stored) => stored, options)
}

/** The key sealed by the OS (the app's safeStorage), in a file that is itself mode 0600. */
export function sealedKeyFileVault(path: string, sealer: KeySealer, options: OwnerOnlyFileOptions = {}): AuditKeyVault {
  const unseal = async (stored: Buffer): Promise<Uint8Array> => {
    try {
      return await sealer.unseal(stored)
    } catch (error) {
      throw new WorkstationError('AUDIT_KEY_UNAVAILABLE', `${path}: ${sealer.name} could not unseal it`, { cause: error })
    }
  }
  const seal = async (key: Uint8Array): Promise<Uint8Array> => {
    try {
      return await sealer.seal(key)
    } catch (error) {
      throw new WorkstationError('AUDIT_KEY_UNAVAILABLE', `${path}: ${sealer.name} could not seal it`, { cause: error })
    }
  }
  return fileVault(path, 'huatuo-audit-key-sealed v1', `${path} (sealed by ${sealer.name})`, seal, unseal, options)
}
