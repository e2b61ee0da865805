import { resolve } from 'node:path'
import { keyFileVault } from '../../core/clinicians/audit-key-vault.ts'
import { verifyAuditChain } from '../../core/clinicians/audit-chain-verification.ts'
import { isKeyedScheme, keyedChainHasher } from '../../core/clinicians/keyed-chain-hasher.ts'
import { WorkstationError } from '../../core/errors.ts'
import type { ChainHasher } from '../../core/records/chain-hasher.ts'
import { cliAuditKeyVault, openKeyedStoreForCli } from '../audit-key.ts'
import { reportFailure, type CliIO } from '../output.ts'
import { parseRecordsArgs, requireDb, storeOptions } from './records-cli.ts'

const usage = `usage: huatuo audit verify --db FILE [--audit-key FILE]... [--json]

Walks the record database's audit log from its first entry and checks that each entry's hash
covers the one before it, with the audit key: an HMAC whose key lives outside the database, so
editing the database file cannot produce a chain that verifies. Reports the first entry that
does not (edited, removed, reordered or re-hashed without the key). Opens the database read-only
and never creates a key. Exit status 1 when the chain is broken or cannot be verified.
  --audit-key FILE   the key file (default: hospital config auditKeyFile, else keys/audit-chain.key
                     beside the database); repeat it to add keys the chain used before
`

export async function run(args: string[], io: CliIO): Promise<number> {
  let json = args.includes('--json')
  try {
    const [verb, ...rest] = args
    if (verb === '--help' || verb === '-h') {
      io.out(usage)
      return 0
    }
    if (verb !== 'verify') {
      io.err(usage)
      throw new WorkstationError('USAGE', verb === undefined ? 'audit needs a command: verify' : `unknown audit command: ${verb}`)
    }
    const { values } = parseRecordsArgs(rest, { ...storeOptions, 'audit-key': { type: 'string', multiple: true } }, usage, io)
    json = values.json === true
    if (values.help) {
      io.out(usage)
      return 0
    }
    const db = requireDb(values.db, usage, io)
    const [firstKey, ...olderKeys] = values['audit-key'] ?? []
    const vault = await cliAuditKeyVault(db, firstKey)
    const keys: ChainHasher[] = []
    for (const path of olderKeys) {
      const key = await keyFileVault(resolve(path)).findKey()
      if (key === null) throw new WorkstationError('AUDIT_KEY_UNAVAILABLE', `${path}: no such key file`)
      keys.push(keyedChainHasher(key))
    }
    const { store, auditHasher } = await openKeyedStoreForCli(db, { readOnly: true, ...(firstKey ? { auditKey: firstKey } : {}) })
    if (auditHasher !== null) keys.unshift(auditHasher)
    let result
    let unknownScheme: string | null = null
    try {
      result = verifyAuditChain(store, keys)
      if (result.firstBroken?.reason === 'unknown-scheme') {
        const row = store.connection.prepare('SELECT hash_scheme FROM audit_entries WHERE seq = ?').get(result.firstBroken.seq) as { hash_scheme: string }
        unknownScheme = row.hash_scheme
      }
    } finally {
      store.close()
    }
    const keyed = keys.map((key) => key.scheme)
    if (json) io.out(`${JSON.stringify({ ...result, keys: keyed })}\n`)
    if (result.firstBroken === null) {
      const how = keyed.length > 0 ? `keyed with ${keyed.join(', ')}` : `not keyed: no audit key at ${vault.location}, only unkeyed hashes checked`
      if (!json) io.out(`audit log intact: ${result.entriesChecked} entries (${how})\n`)
      return 0
    }
    const broken = result.firstBroken
    // A key that is not here is not evidence of tampering: say which key is missing instead.
    if (unknownScheme !== null && isKeyedScheme(unknownScheme) && !keyed.includes(unknownScheme)) {
      return reportFailure(
        io,
        new WorkstationError('AUDIT_KEY_UNAVAILABLE', `entry ${broken.seq} is hashed with ${unknownScheme}; that key is not at ${vault.location} (give it with --audit-key)`, {
          data: { seq: broken.seq, scheme: unknownScheme },
        }),
        false,
      )
    }
    return reportFailure(
      io,
      new WorkstationError('AUDIT_CHAIN_BROKEN', `entry ${broken.seq}: ${broken.reason}; ${result.entriesChecked} entries before it are intact`, {
        data: { seq: broken.seq, reason: broken.reason },
      }),
      false,
    )
  } catch (error) {
    return reportFailure(io, error, json)
  }
}
