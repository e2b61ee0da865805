import { createHash } from 'node:crypto'
import type { OutpatientRecordSections, OutpatientRecordStatus, OutpatientRecordVersion } from '../../contract/record-versions.ts'
import { outpatientSectionKeys } from '../../contract/record-versions.ts'
import { WorkstationError } from '../errors.ts'
import { systemActor } from './actor.ts'
import type { AuditLog } from './audit-log.ts'
import type { ConsultationRows } from './consultation-rows.ts'
import type { RecordDatabase } from './record-database.ts'
import type { RecordEvidence } from './record-evidence.ts'
import { isoTime, isoTimeOrNull } from './record-time.ts'
import { recordSearchText, type SearchIndex } from './search/search-index.ts'

interface VersionRow {
  id: number
  record_id: number
  consultation_id: string
  version: number
  status: OutpatientRecordStatus
  sections: string
  author: string
  created_at: number
  updated_at: number
  signed_by: string | null
  signed_at: number | null
  content_hash: string | null
  amends_version_id: number | null
  amendment_reason: string | null
}

const versionSql = `SELECT v.*, r.consultation_id FROM outpatient_record_versions v JOIN outpatient_records r ON r.id = v.record_id`

function toVersion(row: VersionRow): OutpatientRecordVersion {
  return {
    id: row.id,
    recordId: row.record_id,
    consultationId: row.consultation_id,
    version: row.version,
    status: row.status,
    sections: JSON.parse(row.sections) as OutpatientRecordSections,
    author: row.author,
    createdAt: isoTime(row.created_at),
    updatedAt: isoTime(row.updated_at),
    signedBy: row.signed_by,
    signedAt: isoTimeOrNull(row.signed_at),
    contentHash: row.content_hash,
    amendsVersionId: row.amends_version_id,
    amendmentReason: row.amendment_reason,
  }
}

/** Only known sections, only strings, in a fixed key order (so the content hash is stable). */
function checkedSections(sections: OutpatientRecordSections): string {
  const clean: OutpatientRecordSections = {}
  for (const key of Object.keys(sections)) {
    if (!(outpatientSectionKeys as readonly string[]).includes(key)) throw new WorkstationError('USAGE', `unknown record section: ${key}`)
  }
  for (const key of outpatientSectionKeys) {
    const value = sections[key]
    if (value === undefined) continue
    if (typeof value !== 'string') throw new WorkstationError('USAGE', `record section ${key} must be text`)
    clean[key] = value
  }
  return JSON.stringify(clean)
}

/** What a signature covers: the record's identity, its sections, who signed and when. */
export function contentHash(row: { record_id: number; version: number; consultation_id: string; sections: string }, signer: string, signedAt: number): string {
  return createHash('sha256')
    .update(JSON.stringify([row.record_id, row.version, row.consultation_id, row.sections, signer, signedAt]))
    .digest('hex')
}

/** Why a signed version no longer matches what was signed. */
export type TamperReason =
  /** The stored hash is not the hash of the stored content (sections, signer, time edited). */
  | 'content-hash'
  /** The stored hash was recomputed, but the keyed audit entry of the signing names another. */
  | 'audit-hash'
  /** The signature row (name, statement) was made for another content hash. */
  | 'signature-hash'
  /** A signed version without signer, time or hash. */
  | 'signature-missing'

export interface TamperedVersion {
  recordId: number
  recordVersionId: number
  version: number
  reason: TamperReason
}

/**
 * The outpatient record (门诊病历) of a consultation, as versions: one editable draft, then signed
 * versions that nothing can change (the service refuses with RECORD_SIGNED, and so do the schema's
 * triggers). A correction is an amendment: a new signed version with a reason.
 */
export class OutpatientRecords {
  private readonly store: RecordDatabase
  private readonly audit: AuditLog
  private readonly consultations: ConsultationRows
  private readonly index: SearchIndex
  private readonly evidence: RecordEvidence
  private signatureTable: boolean | null = null

  constructor(store: RecordDatabase, audit: AuditLog, consultations: ConsultationRows, index: SearchIndex, evidence: RecordEvidence) {
    this.store = store
    this.audit = audit
    this.consultations = consultations
    this.index = index
    this.evidence = evidence
  }

  /** Starts the consultation's record, or updates its draft. */
  saveDraft(consultationId: string, sections: OutpatientRecordSections, author: string): OutpatientRecordVersion {
    const json = checkedSections(sections)
    return this.store.transaction('record.draft', () => {
      this.consultations.row(consultationId, true)
      const now = this.store.now()
      const existing = this.store.statement('SELECT id FROM outpatient_records WHERE consultation_id = ?').get(consultationId) as { id: number } | undefined
      let latest = existing === undefined ? undefined : this.latestRow(existing.id)
      if (latest !== undefined && latest.status !== 'draft') throw new WorkstationError('RECORD_SIGNED', `record ${latest.record_id}`)
      if (latest === undefined) {
        const { id } = this.store.statement('INSERT INTO outpatient_records (consultation_id, created_at) VALUES (?, ?) RETURNING id').get(consultationId, now) as {
          id: number
        }
        this.store
          .statement(
            `INSERT INTO outpatient_record_versions (record_id, version, status, sections, author, created_at, updated_at)
             VALUES (?, 1, 'draft', ?, ?, ?, ?)`,
          )
          .run(id, json, author, now, now)
        latest = this.latestRow(id) as VersionRow
        this.audit.append({ actor: author, action: 'record.draft', entityType: 'record', entityId: id, details: { consultationId, version: 1 } })
      } else {
        this.store.statement('UPDATE outpatient_record_versions SET sections = ?, updated_at = ? WHERE id = ?').run(json, now, latest.id)
        this.audit.append({ actor: author, action: 'record.edit', entityType: 'record', entityId: latest.record_id, details: { version: latest.version } })
        latest = this.latestRow(latest.record_id) as VersionRow
      }
      this.index.replace('record', latest.record_id, consultationId, now, recordSearchText(JSON.parse(json) as OutpatientRecordSections))
      this.consultations.touch(consultationId, now)
      return toVersion(latest)
    })
  }

  /** Locks the draft: stamps signer, time and content hash. */
  sign(recordId: number, signer: string): OutpatientRecordVersion {
    return this.store.transaction('record.sign', () => {
      const latest = this.requireLatest(recordId)
      if (latest.status !== 'draft') throw new WorkstationError('RECORD_SIGNED', `record ${recordId}`)
      const now = this.store.now()
      this.store
        .statement("UPDATE outpatient_record_versions SET status = 'signed', signed_by = ?, signed_at = ?, content_hash = ?, updated_at = ? WHERE id = ?")
        .run(signer, now, contentHash(latest, signer, now), now, latest.id)
      this.consultations.touch(latest.consultation_id, now, { status: 'signed' })
      // The keyed chain keeps the content hash too: recomputing the row's hash after an edit does not match it.
      const hash = contentHash(latest, signer, now)
      this.audit.append({ actor: signer, action: 'record.sign', entityType: 'record', entityId: recordId, details: { version: latest.version, contentHash: hash } })
      return toVersion(this.requireLatest(recordId))
    })
  }

  /** A signed correction: a new version, signed at once by the amending clinician, with a reason. */
  amend(recordId: number, sections: OutpatientRecordSections, reason: string, signer: string): OutpatientRecordVersion {
    const json = checkedSections(sections)
    if (typeof reason !== 'string' || reason.trim() === '') throw new WorkstationError('AMENDMENT_REASON_REQUIRED')
    return this.store.transaction('record.amend', () => {
      const latest = this.requireLatest(recordId)
      if (latest.status === 'draft') throw new WorkstationError('RECORD_NOT_SIGNED', 'edit the draft instead of amending it')
      // An amendment stands on the version it corrects: never on one altered since it was signed.
      this.checked(latest, signer)
      this.consultations.row(latest.consultation_id, true)
      const now = this.store.now()
      const next = { record_id: recordId, version: latest.version + 1, consultation_id: latest.consultation_id, sections: json }
      const hash = contentHash(next, signer, now)
      this.store
        .statement(
          `INSERT INTO outpatient_record_versions (record_id, version, status, sections, author, created_at, updated_at, signed_by, signed_at,
             content_hash, amends_version_id, amendment_reason)
           VALUES (?, ?, 'amended', ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(recordId, next.version, json, signer, now, now, signer, now, hash, latest.id, reason.trim())
      const amended = this.latestRow(recordId) as VersionRow
      this.evidence.carryForward(latest.id, amended.id)
      this.index.replace('record', recordId, latest.consultation_id, now, recordSearchText(JSON.parse(json) as OutpatientRecordSections))
      this.consultations.touch(latest.consultation_id, now)
      this.audit.append({ actor: signer, action: 'record.amend', entityType: 'record', entityId: recordId, details: { version: next.version, amends: latest.version, contentHash: hash } })
      return toVersion(this.requireLatest(recordId))
    })
  }

  /** There is no deletion of records; this exists so callers get the stable refusal instead of a missing method. */
  delete(recordId: number): never {
    const latest = this.requireLatest(recordId)
    throw new WorkstationError(latest.status === 'draft' ? 'USAGE' : 'RECORD_SIGNED', `record ${recordId}: records are kept, not deleted`)
  }

  /** The consultation's newest version; a signed one is checked against its hash (RECORD_TAMPERED). */
  latestFor(consultationId: string, reader?: string): OutpatientRecordVersion | null {
    const record = this.store.read('record.find', () => this.store.statement('SELECT id FROM outpatient_records WHERE consultation_id = ?').get(consultationId)) as
      | { id: number }
      | undefined
    if (record === undefined) return null
    return toVersion(this.checked(this.requireLatest(record.id), reader))
  }

  versions(recordId: number, reader?: string): OutpatientRecordVersion[] {
    const rows = this.store.read('record.versions', () =>
      this.store.statement(`${versionSql} WHERE v.record_id = ? ORDER BY v.version LIMIT 200`).all(recordId),
    ) as unknown as VersionRow[]
    if (rows.length === 0) throw new WorkstationError('RECORD_NOT_FOUND')
    return rows.map((row) => toVersion(this.checked(row, reader)))
  }

  version(versionId: number, reader?: string): OutpatientRecordVersion {
    const row = this.store.read('record.version', () => this.store.statement(`${versionSql} WHERE v.id = ?`).get(versionId)) as VersionRow | undefined
    if (row === undefined) throw new WorkstationError('RECORD_NOT_FOUND')
    return toVersion(this.checked(row, reader))
  }

  /**
   * The one way to read a version as the signed record (export, print, the export log): by its id,
   * or a record's version by number (its newest without one). Checked against its signature
   * (RECORD_TAMPERED, audited as `reader`), and so is the version an amendment replaces; a draft is
   * refused here and nowhere else (RECORD_NOT_SIGNED).
   */
  signedVersion(which: { recordVersionId: number } | { recordId: number; version?: number }, reader?: string): OutpatientRecordVersion {
    let version: OutpatientRecordVersion
    if ('recordVersionId' in which) {
      version = this.version(which.recordVersionId, reader)
      if (version.amendsVersionId !== null) this.version(version.amendsVersionId, reader)
    } else {
      // Every version of the record is read, and so checked, the replaced one included.
      const versions = this.versions(which.recordId, reader)
      const chosen = which.version === undefined ? versions.at(-1) : versions.find((v) => v.version === which.version)
      if (chosen === undefined) throw new WorkstationError('RECORD_NOT_FOUND', `version ${which.version}`)
      version = chosen
    }
    if (version.status === 'draft') throw new WorkstationError('RECORD_NOT_SIGNED', `record ${version.recordId}`)
    return version
  }

  /** Every signed and amended version re-hashed (audit verify): the ones that no longer match. Reads only. */
  verifySigned(): { checked: number; tampered: TamperedVersion[] } {
    return this.store.read('record.verify', () => {
      const tampered: TamperedVersion[] = []
      let checked = 0
      for (const value of this.store.db.prepare(`${versionSql} WHERE v.status != 'draft' ORDER BY v.id`).iterate()) {
        const row = value as unknown as VersionRow
        checked++
        const reason = this.tamperReason(row)
        if (reason !== null) tampered.push({ recordId: row.record_id, recordVersionId: row.id, version: row.version, reason })
      }
      return { checked, tampered }
    })
  }

  /**
   * A signed or amended version as read (display, export, amendment): its content re-hashed and
   * compared with the hash stored at signing, with the one the keyed audit chain holds, and with
   * the signature row's. A mismatch refuses (RECORD_TAMPERED) and is itself audited, as `reader`.
   */
  private checked(row: VersionRow, reader: string = systemActor): VersionRow {
    const reason = this.tamperReason(row)
    if (reason === null) return row
    const facts = { recordId: row.record_id, recordVersionId: row.id, version: row.version, reason }
    this.audit.appendSoon({ actor: reader, action: 'record.tampered', entityType: 'record', entityId: row.record_id, details: facts })
    throw new WorkstationError('RECORD_TAMPERED', `record ${row.record_id} version ${row.version}: ${reason}`, { data: facts })
  }

  private tamperReason(row: VersionRow): TamperReason | null {
    if (row.status === 'draft') return null
    if (row.signed_by === null || row.signed_at === null || row.content_hash === null) return 'signature-missing'
    if (contentHash(row, row.signed_by, row.signed_at) !== row.content_hash) return 'content-hash'
    const audited = this.auditedContentHash(row)
    if (audited !== null && audited !== row.content_hash) return 'audit-hash'
    if (this.hasSignatureTable()) {
      const signature = this.store.statement('SELECT content_hash FROM record_signatures WHERE record_version_id = ?').get(row.id) as
        | { content_hash: string }
        | undefined
      if (signature !== undefined && signature.content_hash !== row.content_hash) return 'signature-hash'
    }
    return null
  }

  /**
   * The content hash the signing's audit entry holds (null for entries written before it did). An
   * entry whose own hash no longer covers it was edited: that is tampering too.
   */
  private auditedContentHash(row: VersionRow): string | null {
    for (const entry of this.audit.entriesOf('record', row.record_id, ['record.sign', 'record.amend'])) {
      if (entry.details['version'] !== row.version || typeof entry.details['contentHash'] !== 'string') continue
      return entry.intact === false ? '' : entry.details['contentHash']
    }
    return null
  }

  private hasSignatureTable(): boolean {
    this.signatureTable ??= this.store.statement("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'record_signatures'").get() !== undefined
    return this.signatureTable
  }

  private latestRow(recordId: number): VersionRow | undefined {
    return this.store.statement(`${versionSql} WHERE v.record_id = ? ORDER BY v.version DESC LIMIT 1`).get(recordId) as VersionRow | undefined
  }

  private requireLatest(recordId: number): VersionRow {
    const row = this.store.read('record.get', () => this.latestRow(recordId))
    if (row === undefined) throw new WorkstationError('RECORD_NOT_FOUND')
    return row
  }
}
