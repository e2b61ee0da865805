import { stat } from 'node:fs/promises'
import { resolve } from 'node:path'
import { anchorProblem, type AnchorReport } from '../../core/clinicians/audit-chain-anchor.ts'
import { keyFileVault } from '../../core/clinicians/audit-key-vault.ts'
import { verifyAuditChain } from '../../core/clinicians/audit-chain-verification.ts'
import { ClinicianAccounts } from '../../core/clinicians/clinician-accounts.ts'
import { openKeyedRecordStore } from '../../core/clinicians/keyed-record-store.ts'
import { isKeyedScheme, keyedChainHasher } from '../../core/clinicians/keyed-chain-hasher.ts'
import { mayDo } from '../../core/clinicians/permissions.ts'
import { WorkstationError } from '../../core/errors.ts'
import type { ChainHasher } from '../../core/records/chain-hasher.ts'
import { cliAuditKeyVault, cliHospitalConfig, openKeyedStoreForCli } from '../audit-key.ts'
import { reportFailure, type CliIO } from '../output.ts'
import { SecretInput } from '../secret-input.ts'
import { parseRecordsArgs, requireDb, storeOptions } from './records-cli.ts'

const usage = `usage: huatuo audit verify --db FILE [--audit-key FILE]... [--json]
       huatuo audit acknowledge-truncation --db FILE --admin ADMIN_ID [--audit-key FILE] [--json]

verify: walks the record database's audit log from its first entry and checks that each entry's
hash covers the one before it, with the audit key: an HMAC whose key lives outside the database,
so editing the database file cannot produce a chain that verifies. Reports the first entry that
does not (edited, removed, reordered or re-hashed without the key). Then compares the chain's
newest entry with the head anchored beside the key (entries removed from the end of the log:
AUDIT_TRUNCATED), and re-hashes every signed and amended record version (content altered since
it was signed: RECORD_TAMPERED). Opens the database read-only and never creates a key. Exit
status 1 when anything does not verify.

acknowledge-truncation: when the workstation refuses a database with AUDIT_TRUNCATED and no backup
holds the missing entries, an administrator (PIN on standard input) records the gap in the audit
log itself — which entries were anchored and where the log now ends — and the anchor moves to the
new end, so the workstation opens again. Restoring a backup (huatuo records restore) is the other way.
  --audit-key FILE   the key file (default: hospital config auditKeyFile, else keys/audit-chain.key
                     beside the database); repeat it (verify) to add keys the chain used before
`

function describeAnchor(anchor: AnchorReport): string {
  switch (anchor.state) {
    case 'unchecked':
      return 'chain head anchor not checked: no audit key'
    case 'no-chain':
      return 'chain head anchor not checked: the log has no first entry'
    case 'unanchored':
      return `chain head not anchored yet (${anchor.location}): the next writable open anchors it`
    case 'anchored':
      return anchor.head.seq === anchor.anchored.seq
        ? `chain head anchored at entry ${anchor.anchored.seq}`
        : `chain head anchored at entry ${anchor.anchored.seq}; entries ${anchor.anchored.seq + 1}–${anchor.head.seq} were written after it`
    case 'truncated':
      return `chain head anchor: TRUNCATED (${anchorProblem(anchor)?.detail ?? ''})`
    case 'invalid':
      return `chain head anchor: INVALID (${anchor.location}: ${anchor.problem})`
  }
}

function anchorJson(anchor: AnchorReport): Record<string, unknown> {
  const { state } = anchor
  if (state === 'anchored' || state === 'truncated') return { state, anchoredSeq: anchor.anchored.seq, headSeq: anchor.head?.seq ?? 0 }
  return { state }
}

export async function run(args: string[], io: CliIO): Promise<number> {
  let json = args.includes('--json')
  try {
    const [verb, ...rest] = args
    if (verb === '--help' || verb === '-h') {
      io.out(usage)
      return 0
    }
    if (verb === 'acknowledge-truncation') return await acknowledge(rest, io)
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
    const vault = await cliAuditKeyVault(db, firstKey, io.shell)
    const keys: ChainHasher[] = []
    for (const path of olderKeys) {
      const key = await keyFileVault(resolve(path)).findKey()
      if (key === null) throw new WorkstationError('AUDIT_KEY_UNAVAILABLE', `${path}: no such key file`)
      keys.push(keyedChainHasher(key))
    }
    const { store, auditHasher, anchor } = await openKeyedStoreForCli(db, { readOnly: true, ...(firstKey ? { auditKey: firstKey } : {}), ...(io.shell ? { shell: io.shell } : {}) })
    if (auditHasher !== null) keys.unshift(auditHasher)
    let result
    let signed
    let unknownScheme: string | null = null
    try {
      result = verifyAuditChain(store, keys)
      if (result.firstBroken?.reason === 'unknown-scheme') {
        const row = store.connection.prepare('SELECT hash_scheme FROM audit_entries WHERE seq = ?').get(result.firstBroken.seq) as { hash_scheme: string }
        unknownScheme = row.hash_scheme
      }
      signed = store.records.verifySigned()
    } finally {
      store.close()
    }
    const keyed = keys.map((key) => key.scheme)
    if (json) io.out(`${JSON.stringify({ ...result, keys: keyed, anchor: anchorJson(anchor), signedVersions: signed })}\n`)
    else {
      if (result.firstBroken === null) {
        const how = keyed.length > 0 ? `keyed with ${keyed.join(', ')}` : `not keyed: no audit key at ${vault.location}, only unkeyed hashes checked`
        io.out(`audit log intact: ${result.entriesChecked} entries (${how})\n`)
      }
      io.out(`${describeAnchor(anchor)}\n`)
      if (signed.tampered.length === 0) io.out(`signed records intact: ${signed.checked} signed or amended versions re-hashed\n`)
      for (const version of signed.tampered) {
        io.out(`signed record TAMPERED: record ${version.recordId} version ${version.version} (version id ${version.recordVersionId}): ${version.reason}\n`)
      }
    }
    const broken = result.firstBroken
    // A key that is not here is not evidence of tampering: say which key is missing instead.
    if (broken !== null && unknownScheme !== null && isKeyedScheme(unknownScheme) && !keyed.includes(unknownScheme)) {
      return reportFailure(
        io,
        new WorkstationError('AUDIT_KEY_UNAVAILABLE', `entry ${broken.seq} is hashed with ${unknownScheme}; that key is not at ${vault.location} (give it with --audit-key)`, {
          data: { seq: broken.seq, scheme: unknownScheme },
        }),
        false,
      )
    }
    if (broken !== null) {
      return reportFailure(
        io,
        new WorkstationError('AUDIT_CHAIN_BROKEN', `entry ${broken.seq}: ${broken.reason}; ${result.entriesChecked} entries before it are intact`, {
          data: { seq: broken.seq, reason: broken.reason },
        }),
        false,
      )
    }
    const anchored = anchorProblem(anchor)
    if (anchored !== null) return reportFailure(io, anchored, false)
    const first = signed.tampered[0]
    if (first !== undefined) {
      const more = signed.tampered.length > 1 ? ` and ${signed.tampered.length - 1} more` : ''
      return reportFailure(
        io,
        new WorkstationError('RECORD_TAMPERED', `record ${first.recordId} version ${first.version}: ${first.reason}${more}`, {
          data: { recordId: first.recordId, recordVersionId: first.recordVersionId, version: first.version, tampered: signed.tampered.length },
        }),
        false,
      )
    }
    return 0
  } catch (error) {
    return reportFailure(io, error, json)
  }
}

/** `audit acknowledge-truncation`: an administrator records the gap, and the workstation opens again. */
async function acknowledge(args: string[], io: CliIO): Promise<number> {
  const { values } = parseRecordsArgs(args, { ...storeOptions, admin: { type: 'string' }, 'audit-key': { type: 'string' } }, usage, io)
  const json = values.json === true
  if (values.help) {
    io.out(usage)
    return 0
  }
  const db = requireDb(values.db, usage, io)
  if (values.admin === undefined || values.admin === '') {
    io.err(usage)
    throw new WorkstationError('USAGE', '--admin is required')
  }
  if (!(await stat(db).then((info) => info.size > 0, () => false))) throw new WorkstationError('DB_UNAVAILABLE', `${db}: no database at this path`)
  const config = await cliHospitalConfig()
  const secrets = new SecretInput(io)
  const opened = await openKeyedRecordStore({
    path: db,
    scheduledBackups: false,
    truncation: 'report',
    keyVault: await cliAuditKeyVault(db, values['audit-key'], io.shell),
  })
  try {
    if (opened.acknowledgeTruncation === undefined) {
      io.out(json ? `${JSON.stringify({ acknowledged: false, anchor: anchorJson(opened.anchor) })}\n` : `nothing to acknowledge: ${describeAnchor(opened.anchor)}\n`)
      return 0
    }
    const accounts = new ClinicianAccounts(opened.store, { pinAttemptsBeforeLock: config.pinAttemptsBeforeLock })
    const pin = await secrets.read(`Administrator PIN (${values.admin}): `)
    const admin = await accounts.verifyPin(values.admin, pin, 'admin')
    if (!mayDo(admin.roles, 'audit.verify')) throw new WorkstationError('FORBIDDEN', 'audit.verify', { data: { permission: 'audit.verify' } })
    await opened.acknowledgeTruncation(admin.staffId)
    if (json) io.out(`${JSON.stringify({ acknowledged: true, anchor: anchorJson(opened.anchor), by: admin.staffId })}\n`)
    else io.out(`recorded in the audit log by ${admin.staffId}: ${describeAnchor(opened.anchor)}; the chain head is anchored again\n`)
    return 0
  } finally {
    secrets.close()
    opened.store.close()
  }
}
