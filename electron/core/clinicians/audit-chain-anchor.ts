import { createHmac, timingSafeEqual } from 'node:crypto'
import type { AuditHead, AuditHeadWatcher, AuditLog } from '../records/audit-log.ts'
import type { ChainHasher } from '../records/chain-hasher.ts'
import { WorkstationError } from '../errors.ts'
import type { AuditKeyVault } from './audit-key-vault.ts'
import { auditKeyId } from './keyed-chain-hasher.ts'

/*
 * The chain head, anchored outside the database. The keyed chain makes an edited or removed entry
 * show wherever the chain continues after it; removing the newest entries leaves a shorter chain
 * that still verifies. So after every commit that appends, the latest sequence number and hash are
 * written beside the audit key, MACed with it (no one without the key can write an anchor that
 * verifies): an anchor ahead of the database means entries were removed (AUDIT_TRUNCATED).
 *
 * One anchor per chain, named by the chain's first entry, so databases that share a key file (IT
 * verifying several with --audit-key) never read each other's. Anchoring trails the commit by at
 * most a second (bursts are written once a second, and on close), so an anchor may be behind the
 * database after a crash: that is fine when the entries after it follow from it.
 */

const header = 'huatuo-audit-anchor v1'
/** How often the anchor is rewritten at most, under a burst of appends. */
export const anchorIntervalMs = 1000

export interface AnchoredHead extends AuditHead {
  /** The chain: the start of its first entry's hash. */
  chain: string
}

/** What the anchor says about the chain in the database. */
export type AnchorReport =
  /** No key at hand (a read-only check without one): nothing to compare with. */
  | { state: 'unchecked' }
  /** The audit log is empty, or its first entry is gone (the chain check reports that). */
  | { state: 'no-chain' }
  /** No anchor for this chain yet: a database from before anchoring, or its first open. */
  | { state: 'unanchored'; chain: string; location: string }
  /** The anchored entry is in the database with its hash; `head` may be ahead of it (fine). */
  | { state: 'anchored'; chain: string; location: string; anchored: AuditHead; head: AuditHead }
  /** The anchored entry is missing, or differs: entries were removed or the chain was rewritten. */
  | { state: 'truncated'; chain: string; location: string; anchored: AuditHead; head: AuditHead | null; found: 'missing' | 'different' }
  /** The anchor file does not verify with the key. */
  | { state: 'invalid'; chain: string; location: string; problem: string }

/** The chain's id: the start of its first entry's hash (fixed for a database's whole life). */
export function auditChainId(audit: Pick<AuditLog, 'entryAt'>): string | null {
  return audit.entryAt(1)?.hash.slice(0, 16) ?? null
}

function anchorMac(key: Uint8Array, head: AnchoredHead): string {
  return createHmac('sha256', Buffer.from(key)).update(`${header}\n`).update(JSON.stringify([head.chain, head.seq, head.hash])).digest('hex')
}

export function encodeAnchor(key: Uint8Array, head: AnchoredHead): Uint8Array {
  const body = { chain: head.chain, seq: head.seq, hash: head.hash, keyId: auditKeyId(key), mac: anchorMac(key, head) }
  return Buffer.from(`${header}\n${JSON.stringify(body)}\n`, 'utf8')
}

/** The anchored head, or a problem (malformed, another key's, a MAC that does not verify). */
export function decodeAnchor(key: Uint8Array, bytes: Uint8Array, chain: string): AnchoredHead | { problem: string } {
  const [first, json] = Buffer.from(bytes).toString('utf8').split('\n')
  if (first !== header || json === undefined) return { problem: 'not an anchor file' }
  let body: Record<string, unknown>
  try {
    body = JSON.parse(json) as Record<string, unknown>
  } catch {
    return { problem: 'malformed' }
  }
  const { seq, hash, mac, keyId } = body
  if (body['chain'] !== chain || typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 1 || typeof hash !== 'string' || typeof mac !== 'string') {
    return { problem: 'malformed' }
  }
  if (keyId !== auditKeyId(key)) return { problem: `written with another key (${String(keyId).slice(0, 16)})` }
  const head = { chain, seq, hash }
  const expected = Buffer.from(anchorMac(key, head), 'hex')
  const given = Buffer.from(mac, 'hex')
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { problem: 'its MAC does not verify' }
  return head
}

/** Compares the database's chain with the anchor beside the key. Reads only. */
export async function readAnchorReport(audit: Pick<AuditLog, 'entryAt' | 'head'>, vault: AuditKeyVault, key: Uint8Array | null): Promise<AnchorReport> {
  if (key === null) return { state: 'unchecked' }
  const chain = auditChainId(audit)
  if (chain === null) return { state: 'no-chain' }
  const location = vault.anchorLocation(chain)
  const bytes = await vault.readAnchor(chain)
  if (bytes === null) return { state: 'unanchored', chain, location }
  const anchored = decodeAnchor(key, bytes, chain)
  if ('problem' in anchored) return { state: 'invalid', chain, location, problem: anchored.problem }
  const head = audit.head()
  const atAnchor = audit.entryAt(anchored.seq)
  const kept = { seq: anchored.seq, hash: anchored.hash }
  if (atAnchor === null) return { state: 'truncated', chain, location, anchored: kept, head, found: 'missing' }
  if (atAnchor.hash !== anchored.hash) return { state: 'truncated', chain, location, anchored: kept, head, found: 'different' }
  return { state: 'anchored', chain, location, anchored: kept, head: head ?? kept }
}

/** The sentence's detail for a report that refuses; null when the report is fine. */
export function anchorProblem(report: AnchorReport): WorkstationError | null {
  if (report.state === 'invalid') {
    return new WorkstationError('AUDIT_ANCHOR_INVALID', `${report.location}: ${report.problem}`, { data: { anchor: report.location } })
  }
  if (report.state !== 'truncated') return null
  const head = report.head === null ? 'no entries' : `entry ${report.head.seq}`
  const what =
    report.found === 'missing'
      ? `anchored head is entry ${report.anchored.seq}, the database ends at ${head}: entries ${(report.head?.seq ?? 0) + 1}–${report.anchored.seq} are missing`
      : `entry ${report.anchored.seq} differs from the anchored one (the database ends at ${head}): the chain was cut and written again`
  return new WorkstationError('AUDIT_TRUNCATED', what, {
    data: { anchoredSeq: report.anchored.seq, headSeq: report.head?.seq ?? 0, found: report.found },
  })
}

/**
 * On a writable open: refuses (AUDIT_TRUNCATED, AUDIT_ANCHOR_INVALID) before anything is written,
 * and checks that the entries after an anchor that is behind follow from it (AUDIT_CHAIN_BROKEN).
 * Entries hashed with a key not at hand are left to `audit verify`, which names the key.
 */
export async function refuseUnlessAnchored(audit: AuditLog, vault: AuditKeyVault, key: Uint8Array, hasher: ChainHasher): Promise<AnchorReport> {
  const report = await readAnchorReport(audit, vault, key)
  const problem = anchorProblem(report)
  if (problem !== null) throw problem
  if (report.state === 'anchored' && report.head.seq > report.anchored.seq) {
    const after = audit.verify([hasher], report.anchored)
    if (after.firstBroken !== null && after.firstBroken.reason !== 'unknown-scheme') {
      throw new WorkstationError('AUDIT_CHAIN_BROKEN', `entry ${after.firstBroken.seq}: ${after.firstBroken.reason}, after the anchored entry ${report.anchored.seq}`, {
        data: { seq: after.firstBroken.seq, reason: after.firstBroken.reason },
      })
    }
  }
  return report
}

/**
 * Keeps the anchor beside the key up to date with the chain head: the first append after a quiet
 * second is anchored at once (after its commit: the timer runs once the synchronous transaction is
 * over), a burst at most once a second, and the last head synchronously as the store closes. A
 * failed write (disk full) is retried with the next append; it never fails the clinician's change.
 */
export class AuditChainAnchor implements AuditHeadWatcher {
  readonly #audit: AuditLog
  readonly #vault: AuditKeyVault
  readonly #key: Uint8Array
  readonly #isBusy: () => boolean
  #written: AnchoredHead | null = null
  #lastWriteAt = Number.NEGATIVE_INFINITY
  #timer: ReturnType<typeof setTimeout> | null = null
  #writing: Promise<void> | null = null
  #dirty = false
  #closed = false
  /** Writes that failed since the last one that did not (for tests and diagnostics). */
  failures = 0

  /** `isBusy`: whether the connection is closed or inside a transaction (the head is not committed). */
  constructor(audit: AuditLog, vault: AuditKeyVault, key: Uint8Array, isBusy: () => boolean) {
    this.#audit = audit
    this.#vault = vault
    this.#key = key
    this.#isBusy = isBusy
  }

  appended(): void {
    this.#dirty = true
    this.#schedule()
  }

  /** Anchors the current head now (awaited: a restore's re-anchoring). */
  async anchorNow(): Promise<void> {
    await this.#writing
    const head = this.#currentHead()
    if (head !== null && (await this.#vault.writeAnchor(head.chain, encodeAnchor(this.#key, head), () => !this.#closed))) this.#written = head
  }

  closing(): void {
    this.#closed = true
    if (this.#timer !== null) clearTimeout(this.#timer)
    this.#timer = null
    try {
      const head = this.#currentHead()
      if (head === null || (head.seq === this.#written?.seq && head.hash === this.#written.hash)) return
      this.#vault.writeAnchorSync(head.chain, encodeAnchor(this.#key, head))
      this.#written = head
    } catch {
      // The next open anchors again; an anchor behind the database is not a false alarm.
      this.failures++
    }
  }

  #currentHead(): AnchoredHead | null {
    const head = this.#audit.head()
    const chain = auditChainId(this.#audit)
    return head === null || chain === null ? null : { chain, ...head }
  }

  #schedule(): void {
    if (this.#closed || this.#timer !== null || this.#writing !== null) return
    const wait = Math.max(0, this.#lastWriteAt + anchorIntervalMs - performance.now())
    this.#timer = setTimeout(() => this.#write(), wait)
    this.#timer.unref?.()
  }

  #write(): void {
    this.#timer = null
    if (this.#closed) return
    if (this.#isBusy()) {
      // Inside a transaction the head may still roll back: anchor once it has committed.
      this.#timer = setTimeout(() => this.#write(), 10)
      this.#timer.unref?.()
      return
    }
    this.#dirty = false
    let head: AnchoredHead | null
    try {
      head = this.#currentHead()
    } catch {
      this.failures++
      return
    }
    if (head === null || (head.seq === this.#written?.seq && head.hash === this.#written.hash)) return
    const anchored = head
    // A close that writes a newer head meanwhile (synchronously) keeps its own: this one is dropped.
    this.#writing = this.#vault
      .writeAnchor(anchored.chain, encodeAnchor(this.#key, anchored), () => !this.#closed)
      .then(
        (replaced) => {
          if (replaced) this.#written = anchored
          this.failures = 0
        },
        () => {
          // Retried with the next append (not in a loop: the folder may stay unwritable).
          this.failures++
        },
      )
      .finally(() => {
        this.#writing = null
        this.#lastWriteAt = performance.now()
        if (this.#dirty) this.#schedule()
      })
  }
}
