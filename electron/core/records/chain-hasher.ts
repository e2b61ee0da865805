import { createHash } from 'node:crypto'

/**
 * How one audit entry's hash covers the previous one. The seam exists so the chain can later be
 * keyed (an HMAC whose secret lives outside the database, issue 6) without touching the log: each
 * entry stores the scheme it was hashed with, and verification picks the hasher by that name.
 */
export interface ChainHasher {
  /** Stored with every entry, e.g. "sha256" or "hmac-sha256:<key id>". */
  readonly scheme: string
  /** Hex digest of the previous entry's hash and this entry's canonical text. */
  hash(previousHash: string, entryText: string): string
}

/** The hash before the first entry. */
export const genesisHash = '0'.repeat(64)

/** Unkeyed SHA-256: detects accidental or naive edits; someone able to rewrite the whole file can recompute it. */
export const sha256ChainHasher: ChainHasher = {
  scheme: 'sha256',
  hash(previousHash, entryText) {
    return createHash('sha256').update(previousHash).update('\n').update(entryText).digest('hex')
  },
}
