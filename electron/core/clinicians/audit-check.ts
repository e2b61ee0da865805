import type { AnchorFinding, AuditCheckReport } from '../../contract/administration.ts'
import type { ErrorCode } from '../../contract/errors.ts'
import type { RecordStore } from '../records/record-store.ts'
import { isoTime } from '../records/record-time.ts'
import { anchorProblem, readAnchorReport, type AnchorReport } from './audit-chain-anchor.ts'
import { verifyAuditChain } from './audit-chain-verification.ts'
import type { AuditKeyVault } from './audit-key-vault.ts'
import { isKeyedScheme, keyedChainHasher } from './keyed-chain-hasher.ts'

// The check `huatuo audit verify` makes, on the open store of a running workstation: the keyed hash
// chain from its first entry, the chain head against its anchor beside the key, and every signed or
// amended record version re-hashed. It reads only; the check itself is then kept in the audit log.

export function anchorFinding(anchor: AnchorReport): AnchorFinding {
  if (anchor.state === 'anchored' || anchor.state === 'truncated') return { state: anchor.state, anchoredSeq: anchor.anchored.seq, headSeq: anchor.head?.seq ?? 0 }
  return { state: anchor.state, anchoredSeq: null, headSeq: null }
}

export async function checkAudit(store: Pick<RecordStore, 'audit' | 'connection' | 'records'>, vault: AuditKeyVault, now: number): Promise<AuditCheckReport> {
  const key = await vault.findKey()
  const keys = key === null ? [] : [keyedChainHasher(key)]
  const chain = verifyAuditChain(store, keys)
  const anchor = await readAnchorReport(store.audit, vault, key)
  const signed = store.records.verifySigned()
  let problem: ErrorCode | null
  if (chain.firstBroken !== null) {
    // A key that is not here is not evidence of tampering: that is said as the missing key.
    const row = store.connection.prepare('SELECT hash_scheme FROM audit_entries WHERE seq = ?').get(chain.firstBroken.seq) as { hash_scheme: string } | undefined
    problem = chain.firstBroken.reason === 'unknown-scheme' && row !== undefined && isKeyedScheme(row.hash_scheme) ? 'AUDIT_KEY_UNAVAILABLE' : 'AUDIT_CHAIN_BROKEN'
  } else problem = anchorProblem(anchor)?.code ?? (signed.tampered.length > 0 ? 'RECORD_TAMPERED' : null)
  return {
    ok: problem === null,
    checkedAt: isoTime(now),
    chain,
    keyed: keys.length > 0,
    anchor: anchorFinding(anchor),
    signedVersions: { checked: signed.checked, tampered: signed.tampered.map(({ recordId, recordVersionId, version, reason }) => ({ recordId, recordVersionId, version, reason })) },
    problem,
  }
}
