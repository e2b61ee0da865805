import { createHash } from 'node:crypto'
import type { RecordSignature } from '../../contract/clinicians.ts'
import type { OutpatientRecordSections, OutpatientRecordVersion } from '../../contract/record-versions.ts'
import { amendOutpatientRecord, signOutpatientRecord, type RecordSigner } from '../clinical/outpatient-record/record-signing.ts'
import type { RecordStore } from '../records/record-store.ts'
import { isoTime } from '../records/record-time.ts'
import { storageFailure } from '../records/sqlite-failures.ts'
import { rolesFromStored, storedRoles } from './clinician-roles.ts'
import type { ClinicianSessions, SignedInClinician } from './clinician-sessions.ts'

/**
 * What a signature on this workstation is, stored with each one, unless the hospital configures a
 * CA-certified electronic signature (《电子签名法》: a reliable electronic signature needs a
 * certificate from a licensed CA; a PIN on a workstation is not one).
 */
export const notCertifiedStatement =
  '本签名为医生在本工作站输入 PIN 确认的签名，不是依法设立的电子认证服务机构（CA）认证的可靠电子签名。' +
  ' This signature was confirmed with the clinician’s PIN on this workstation; it is not a CA-certified electronic signature.'

export interface SignedRecord {
  version: OutpatientRecordVersion
  signature: RecordSignature
}

export interface PinConfirmedSigningOptions {
  store: Pick<RecordStore, 'connection' | 'transaction' | 'audit' | 'records' | 'consultations' | 'drafts' | 'evidence'>
  sessions: Pick<ClinicianSessions, 'confirmPin'>
  /** Hospital config `certifiedSignature`; null: signatures say they are not CA-certified. */
  certifiedSignature?: { provider: string; description: string } | null
}

interface SignatureRow {
  record_version_id: number
  record_id: number
  version: number
  staff_id: string
  name: string
  department: string
  roles: string
  signed_at: number
  method: 'pin'
  certified: number
  statement: string
  content_hash: string
}

const signatureSql = `SELECT s.*, v.record_id, v.version FROM record_signatures s JOIN outpatient_record_versions v ON v.id = s.record_version_id`

function toSignature(row: SignatureRow): RecordSignature {
  return {
    recordVersionId: row.record_version_id,
    recordId: row.record_id,
    version: row.version,
    staffId: row.staff_id,
    name: row.name,
    department: row.department,
    roles: rolesFromStored(row.roles),
    signedAt: isoTime(row.signed_at),
    method: row.method,
    certified: row.certified === 1,
    statement: row.statement,
    contentHash: row.content_hash,
  }
}

/** Covers every field of the signature, so the keyed audit entry that carries it makes the row tamper-evident. */
function signatureHash(signature: RecordSignature): string {
  return createHash('sha256')
    .update(JSON.stringify([signature.recordVersionId, signature.contentHash, signature.staffId, signature.name, signature.department, signature.roles, signature.signedAt, signature.method, signature.certified, signature.statement]))
    .digest('hex')
}

/**
 * Signing and amending an outpatient record, each confirmed by the clinician's PIN asked again at
 * that moment (NOT_SIGNED_IN, SESSION_LOCKED, FORBIDDEN and PIN_WRONG refuse before anything is
 * stamped). The record's completeness checks run next, always, in the same transaction
 * (RECORD_INCOMPLETE stamps nothing): this is the one way to sign. The version is then locked by the record store and a signature row keeps the signer's
 * id, name, department and roles as they were, the time, and the statement of what kind of
 * signature it is — all in one transaction, with an audit entry that hashes the signature.
 */
export class PinConfirmedSigning {
  readonly #store: PinConfirmedSigningOptions['store']
  readonly #sessions: PinConfirmedSigningOptions['sessions']
  readonly #certified: { provider: string; description: string } | null

  constructor(options: PinConfirmedSigningOptions) {
    this.#store = options.store
    this.#sessions = options.sessions
    this.#certified = options.certifiedSignature ?? null
  }

  async sign(recordId: number, pin: string): Promise<SignedRecord> {
    const signer = await this.#sessions.confirmPin(pin, 'record.sign')
    return this.#stamped('record.sign', signer, (as) => signOutpatientRecord(this.#store, recordId, as))
  }

  async amend(recordId: number, sections: OutpatientRecordSections, reason: string, pin: string): Promise<SignedRecord> {
    const signer = await this.#sessions.confirmPin(pin, 'record.amend')
    return this.#stamped('record.amend', signer, (as) => amendOutpatientRecord(this.#store, recordId, sections, reason, as))
  }

  /** The signature of a record version; null for a draft, or a version signed before accounts existed. */
  signatureOf(recordVersionId: number): RecordSignature | null {
    const row = this.#read(() => this.#store.connection.prepare(`${signatureSql} WHERE s.record_version_id = ?`).get(recordVersionId)) as SignatureRow | undefined
    return row === undefined ? null : toSignature(row)
  }

  /** Every signature of a record, oldest first (the signing, then each amendment). */
  signaturesOf(recordId: number): RecordSignature[] {
    const rows = this.#read(() => this.#store.connection.prepare(`${signatureSql} WHERE v.record_id = ? ORDER BY v.version LIMIT 200`).all(recordId)) as unknown as SignatureRow[]
    return rows.map(toSignature)
  }

  #stamped(operation: string, signer: SignedInClinician, lock: (as: RecordSigner) => OutpatientRecordVersion): SignedRecord {
    return this.#store.transaction(operation, () => {
      const version = lock({ id: signer.staffId, name: signer.name })
      const signature: RecordSignature = {
        recordVersionId: version.id,
        recordId: version.recordId,
        version: version.version,
        staffId: signer.staffId,
        name: signer.name,
        department: signer.department,
        roles: signer.roles,
        signedAt: version.signedAt as string,
        method: 'pin',
        certified: this.#certified !== null,
        statement: this.#certified === null ? notCertifiedStatement : `${this.#certified.provider}: ${this.#certified.description}`,
        contentHash: version.contentHash as string,
      }
      this.#store.connection
        .prepare(
          `INSERT INTO record_signatures (record_version_id, staff_id, name, department, roles, signed_at, method, certified, statement, content_hash)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          signature.recordVersionId,
          signature.staffId,
          signature.name,
          signature.department,
          storedRoles(signature.roles),
          Date.parse(signature.signedAt),
          signature.method,
          signature.certified ? 1 : 0,
          signature.statement,
          signature.contentHash,
        )
      this.#store.audit.append({
        actor: signer.staffId,
        action: 'record.signature',
        entityType: 'record',
        entityId: version.recordId,
        details: { recordVersionId: version.id, version: version.version, certified: signature.certified, signatureHash: signatureHash(signature) },
      })
      return { version, signature }
    })
  }

  #read<T>(work: () => T): T {
    try {
      return work()
    } catch (error) {
      throw storageFailure(error, 'record.signature')
    }
  }
}
