import { createHash } from 'node:crypto'
import { DatabaseSync } from 'node:sqlite'
import { afterEach, describe, expect, it } from 'vitest'
import { keyFileVault } from '../../electron/core/clinicians/audit-key-vault.ts'
import { openKeyedRecordStore } from '../../electron/core/clinicians/keyed-record-store.ts'
import { draftRecord, openClinic, people, signIn } from './clinicians-support.ts'

// Reads are audited as an access log (issue 12, item 5b): opening a consultation, reading its
// messages, a search, a record shown — who, which id, when, never the text (nor the search query,
// which is clinical text). Buffered, written within a second and on close.
// Signed content is re-hashed whenever it is read (item 6): an edit made in the database refuses
// with RECORD_TAMPERED, on display, export and amendment, and the refusal is itself audited.

const cleanups: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup()
})

async function clinicWithSignedRecord(label: string) {
  const clinic = await openClinic(label)
  cleanups.push(clinic.remove)
  await signIn(clinic, 'doctor')
  const recordId = draftRecord(clinic.store)
  const signed = await clinic.signing.sign(recordId, people.doctor.pin)
  return { clinic, recordId, version: signed.version }
}

describe('the access log', () => {
  it('logs who opened which consultation, read its messages, searched, and saw which record: ids and counts, never text', async () => {
    const { clinic, recordId, version } = await clinicWithSignedRecord('access')
    const { store } = clinic
    const consultationId = version.consultationId
    const before = store.audit.head()!.seq

    const view = store.consultations.open(consultationId, 200, people.nurse.staffId)
    expect(view.record?.id).toBe(version.id)
    store.messages.list(consultationId, { limit: 50, reader: people.nurse.staffId })
    const hits = store.search.search({ query: '头痛' }, people.doctor.staffId)
    expect(hits.hits.length).toBeGreaterThan(0)
    // Buffered: nothing written on the read path itself.
    expect(store.audit.head()!.seq).toBe(before)
    // Internal reads (no reader) are not clinicians reading.
    store.messages.list(consultationId)

    clinic.close()
    const raw = new DatabaseSync(`${clinic.folder}/records.db`, { readOnly: true })
    const entries = raw.prepare('SELECT actor, action, entity_type, entity_id, details FROM audit_entries WHERE seq > ? ORDER BY seq').all(before) as Array<{
      actor: string
      action: string
      entity_type: string
      entity_id: string
      details: string
    }>
    raw.close()
    expect(entries.map((e) => [e.actor, e.action, e.entity_type, e.entity_id])).toEqual([
      ['N0007', 'access.consultation', 'consultation', consultationId],
      ['N0007', 'access.record', 'record', String(recordId)],
      ['N0007', 'access.messages', 'consultation', consultationId],
      ['D1024', 'access.search', 'search', 'records'],
    ])
    const details = entries.map((e) => JSON.parse(e.details) as Record<string, unknown>)
    expect(details[0]).toMatchObject({ patientId: view.patient.id, messages: 1, recordId, readAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) })
    expect(details[1]).toMatchObject({ recordVersionId: version.id, version: 1 })
    expect(details[3]).toMatchObject({ hits: hits.hits.length, more: false, page: 'first', filters: null })
    const written = JSON.stringify(entries)
    for (const text of ['头痛', '恶心', '偏头痛', '测试病人']) expect(written).not.toContain(text)
  })

  it('writes buffered reads within about a second, in one transaction, without a close', async () => {
    const { clinic, version } = await clinicWithSignedRecord('access-timer')
    const before = clinic.store.audit.head()!.seq
    for (let i = 0; i < 30; i++) clinic.store.search.search({ query: '头痛' }, people.doctor.staffId)
    expect(clinic.store.audit.head()!.seq).toBe(before)
    await new Promise((resolve) => setTimeout(resolve, 1300))
    expect(clinic.store.audit.head()!.seq).toBe(before + 30)
    expect(clinic.store.audit.list({ limit: 1 }).items[0]).toMatchObject({ action: 'access.search', actor: 'D1024', entityId: 'records' })
    expect(clinic.store.records.version(version.id).contentHash).toBe(version.contentHash)
  })
})

/** What someone with the file and an SQLite shell can do to a signed version. */
function editSigned(path: string, recordId: number, change: (db: DatabaseSync) => void): void {
  const db = new DatabaseSync(path)
  db.exec('DROP TRIGGER outpatient_record_versions_signed_are_final; DROP TRIGGER IF EXISTS record_signatures_are_final')
  change(db)
  db.close()
  expect(recordId).toBeGreaterThan(0)
}

describe('signed content', () => {
  it('edited in the database: opening the consultation and amending refuse with RECORD_TAMPERED, audited as the reader', async () => {
    const { clinic, recordId, version } = await clinicWithSignedRecord('tamper-display')
    clinic.close()
    const path = `${clinic.folder}/records.db`
    editSigned(path, recordId, (db) =>
      db.prepare('UPDATE outpatient_record_versions SET sections = ? WHERE id = ?').run(JSON.stringify({ chiefComplaint: '头痛3天', diagnosis: '紧张性头痛' }), version.id),
    )
    const { store } = await openKeyedRecordStore({ path, keyVault: keyFileVault(clinic.keyPath), scheduledBackups: false })
    try {
      expect(() => store.consultations.open(version.consultationId, 200, 'D1024')).toThrow(expect.objectContaining({ code: 'RECORD_TAMPERED', data: expect.objectContaining({ reason: 'content-hash' }) }))
      expect(() => store.records.amend(recordId, { chiefComplaint: '头痛3天', diagnosis: '偏头痛' }, '更正', 'D1024')).toThrow(
        expect.objectContaining({ code: 'RECORD_TAMPERED' }),
      )
      // The alarm of the refused amendment is written once its rolled-back transaction is over.
      await new Promise((resolve) => setImmediate(resolve))
      const alarms = store.audit.list({ limit: 10 }).items.filter((e) => e.action === 'record.tampered')
      expect(alarms).toHaveLength(2)
      for (const alarm of alarms) expect(alarm).toMatchObject({ actor: 'D1024', entityId: String(recordId), details: { recordVersionId: version.id, version: 1, reason: 'content-hash' } })
      expect(store.records.verifySigned()).toEqual({ checked: 1, tampered: [{ recordId, recordVersionId: version.id, version: 1, reason: 'content-hash' }] })
    } finally {
      store.close()
    }
  })

  it('edited with its stored hash recomputed (an unkeyed SHA-256 anyone can compute): the keyed audit entry still tells', async () => {
    const { clinic, recordId, version } = await clinicWithSignedRecord('tamper-rehash')
    clinic.close()
    const path = `${clinic.folder}/records.db`
    const sections = JSON.stringify({ chiefComplaint: '头痛3天', diagnosis: '紧张性头痛' })
    const signedAt = Date.parse(version.signedAt as string)
    const forged = createHash('sha256').update(JSON.stringify([recordId, 1, version.consultationId, sections, version.signedBy, signedAt])).digest('hex')
    editSigned(path, recordId, (db) => {
      db.prepare('UPDATE outpatient_record_versions SET sections = ?, content_hash = ? WHERE id = ?').run(sections, forged, version.id)
      db.prepare('UPDATE record_signatures SET content_hash = ? WHERE record_version_id = ?').run(forged, version.id)
    })
    const { store } = await openKeyedRecordStore({ path, keyVault: keyFileVault(clinic.keyPath), scheduledBackups: false })
    try {
      expect(() => store.records.version(version.id, 'D1024')).toThrow(expect.objectContaining({ code: 'RECORD_TAMPERED', data: expect.objectContaining({ reason: 'audit-hash' }) }))
      expect(store.records.verifySigned().tampered).toEqual([{ recordId, recordVersionId: version.id, version: 1, reason: 'audit-hash' }])
    } finally {
      store.close()
    }
  })
})
