import { createHash, createHmac } from 'node:crypto'
import { WorkstationError } from '../errors.ts'
import type { ChainHasher } from '../records/chain-hasher.ts'

export const keyedSchemePrefix = 'hmac-sha256:'

/** The key's public name, stored with every entry it hashed: which key verifies them, and nothing about the key. */
export function auditKeyId(key: Uint8Array): string {
  return createHash('sha256').update('huatuo audit key id\n').update(key).digest('hex').slice(0, 16)
}

/**
 * The audit chain keyed with a secret kept outside the database: HMAC-SHA256 of the previous hash
 * and the entry. Without the key, someone who edits the database file cannot compute a hash that
 * verifies, so an edit, a removal or a re-hashed chain shows at the first entry touched.
 */
export function keyedChainHasher(key: Uint8Array): ChainHasher {
  if (key.length < 32) throw new WorkstationError('AUDIT_KEY_INVALID', `a key is at least 32 bytes, this one ${key.length}`)
  const secret = Buffer.from(key)
  return {
    scheme: `${keyedSchemePrefix}${auditKeyId(secret)}`,
    hash: (previousHash, entryText) => createHmac('sha256', secret).update(previousHash).update('\n').update(entryText).digest('hex'),
  }
}

export function isKeyedScheme(scheme: string): boolean {
  return scheme.startsWith(keyedSchemePrefix)
}
