import { DatabaseSync } from 'node:sqlite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { verifyAuditChain } from '../../electron/core/clinicians/audit-chain-verification.ts'
import { keyFileVault } from '../../electron/core/clinicians/audit-key-vault.ts'
import { clinicianServices } from '../../electron/core/clinicians/clinician-services.ts'
import { openKeyedRecordStore } from '../../electron/core/clinicians/keyed-record-store.ts'
import { testScryptCost } from '../../electron/core/clinicians/pin-hashing.ts'
import { AuditLog } from '../../electron/core/records/audit-log.ts'
import { contentHash } from '../../electron/core/records/outpatient-records.ts'
import { sha256ChainHasher, type ChainHasher } from '../../electron/core/records/chain-hasher.ts'
import { listBackups } from '../../electron/core/records/record-backups.ts'
import { RecordDatabase } from '../../electron/core/records/record-database.ts'
import { applyMigrations, currentSchemaVersion, schemaMigrations } from '../../electron/core/records/schema-migrations.ts'
import { account, draftRecord, people, signIn, temporaryFolder, testClock } from './clinicians-support.ts'

// Schema version 5 adds clinician accounts and record signatures. A database from version 4 opens
// with everything kept, after a backup; it has no account yet, so the first administrator is
// created; records signed before accounts existed keep their signer id and have no signature row.

let folder: Awaited<ReturnType<typeof temporaryFolder>>

beforeAll(async () => {
  folder = await temporaryFolder('clinicians-migration')
})

afterAll(async () => {
  await folder?.remove()
})

/** A database as schema version 4 left it: unkeyed audit chain, a record signed by a bare clinician id. */
function databaseAtVersion4(path: string): void {
  const db = new DatabaseSync(path)
  db.exec('PRAGMA journal_mode = WAL')
  const clock = testClock(Date.parse('2025-03-01T08:00:00Z'))
  const store = new RecordDatabase(db, clock.now)
  const audit = new AuditLog(store, sha256ChainHasher)
  store.transaction('old.create', () => {
    applyMigrations(store, 0, schemaMigrations.filter((m) => m.version <= 4))
    audit.append({ actor: 'system', action: 'database.create', entityType: 'database', entityId: 'records', details: { schemaVersion: 4 } })
    db.prepare("INSERT INTO patients VALUES ('p-1', 'MZ0042', '陈某', 'female', NULL, 61, ?)").run(clock.now())
    db.prepare("INSERT INTO consultations (id, patient_id, department, status, created_at, updated_at) VALUES ('c-1', 'p-1', '神经内科', 'signed', ?, ?)").run(clock.now(), clock.now())
    db.prepare("INSERT INTO outpatient_records VALUES (1, 'c-1', ?)").run(clock.now())
    // Signed as that version did: the content hash over the record's identity, sections, signer and time.
    const sections = JSON.stringify({ chiefComplaint: '头痛两年', diagnosis: '偏头痛' })
    const signedAt = clock.now()
    db.prepare(
      `INSERT INTO outpatient_record_versions (record_id, version, status, sections, author, created_at, updated_at, signed_by, signed_at, content_hash)
       VALUES (1, 1, 'signed', ?, 'dr.old', ?, ?, 'dr.old', ?, ?)`,
    ).run(sections, signedAt, signedAt, signedAt, contentHash({ record_id: 1, version: 1, consultation_id: 'c-1', sections }, 'dr.old', signedAt))
    audit.append({ actor: 'dr.old', action: 'record.sign', entityType: 'record', entityId: 1, details: { version: 1 } })
  })
  db.close()
}

describe('schema version 5', () => {
  it('from version 4: backed up first, records kept, no accounts yet, and the chain keyed from here on', async () => {
    expect(currentSchemaVersion).toBeGreaterThanOrEqual(5)
    const path = `${folder.path}/v4.db`
    databaseAtVersion4(path)
    const clock = testClock()
    const { store, auditHasher } = await openKeyedRecordStore({ path, keyVault: keyFileVault(`${folder.path}/keys/audit-chain.key`), now: clock.now, scheduledBackups: false })
    try {
      expect(store.schemaVersion).toBe(currentSchemaVersion)
      expect((await listBackups(path)).map((b) => b.kind)).toEqual(['pre-migration'])
      const entries = store.audit.list().items
      // The migration itself is the first keyed entry: the key covers everything before it.
      expect(entries.map((e) => [e.action, e.hashScheme === auditHasher?.scheme])).toEqual([
        ['database.migrate', true],
        ['record.sign', false],
        ['database.create', false],
      ])
      expect(verifyAuditChain(store, [auditHasher as ChainHasher]).ok).toBe(true)

      const { accounts, sessions, signing } = clinicianServices(
        store,
        { idleLockMs: 300_000, pinAttemptsBeforeLock: 5, osUserAccounts: {}, certifiedSignature: null },
        { now: clock.now, timers: null, scryptCost: testScryptCost },
      )
      expect(sessions.current()).toEqual({ state: 'signed-out', firstAdminNeeded: true })
      expect(accounts.list()).toEqual([])
      // The record signed before accounts existed: kept as it was, with no signature row.
      expect(store.records.versions(1)[0]).toMatchObject({ status: 'signed', signedBy: 'dr.old' })
      expect(signing.signatureOf(store.records.versions(1)[0]?.id as number)).toBeNull()
      expect(() => store.connection.exec('DELETE FROM clinicians')).not.toThrow()

      await accounts.createFirstAdmin(account('admin'), people.admin.pin)
      await accounts.add(account('doctor'), people.doctor.pin, 'A001', { pinChangeRequired: false })
      expect(() => store.connection.exec("DELETE FROM clinicians WHERE staff_id = 'D1024'")).toThrow('CLINICIAN_KEPT')
      await signIn({ sessions }, 'doctor')
      const recordId = draftRecord(store)
      expect((await signing.sign(recordId, people.doctor.pin)).signature.name).toBe('张医生')
      // A signature belongs to a real record version and a real account.
      expect(() => store.connection.exec("INSERT INTO record_signatures VALUES (999, 'D1024', 'x', '', 'doctor', 0, 'pin', 0, '', '')")).toThrow('FOREIGN KEY')
      expect(() => store.connection.exec(`INSERT INTO record_signatures VALUES (${store.records.versions(1)[0]?.id}, 'X1', 'x', '', 'doctor', 0, 'pin', 0, '', '')`)).toThrow('FOREIGN KEY')
      expect(verifyAuditChain(store, [auditHasher as ChainHasher]).ok).toBe(true)
    } finally {
      store.close()
    }
  })
})
