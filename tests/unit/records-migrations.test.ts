import { DatabaseSync } from 'node:sqlite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AuditLog } from '../../electron/core/records/audit-log.ts'
import { contentHash } from '../../electron/core/records/outpatient-records.ts'
import { sha256ChainHasher } from '../../electron/core/records/chain-hasher.ts'
import { listBackups } from '../../electron/core/records/record-backups.ts'
import { RecordDatabase } from '../../electron/core/records/record-database.ts'
import { applyMigrations, currentSchemaVersion, schemaMigrations, workstationApplicationId } from '../../electron/core/records/schema-migrations.ts'
import { openTestStore, temporaryFolder, testClock } from './records-support.ts'

// A database written by any earlier version opens in this one with everything in it, after a
// backup of the file as it was; a migration that fails leaves the file at its old version.

let folder: Awaited<ReturnType<typeof temporaryFolder>>

beforeAll(async () => {
  folder = await temporaryFolder('migrations')
})

afterAll(async () => {
  await folder?.remove()
})

const at = (iso: string) => Date.parse(iso)

/** A database as schema version `version` left it, with data written the way that version wrote it. */
function databaseAtVersion(path: string, version: number): void {
  const db = new DatabaseSync(path)
  db.exec('PRAGMA journal_mode = WAL')
  const clock = testClock(at('2024-05-01T08:00:00Z'))
  const store = new RecordDatabase(db, clock.now)
  const audit = new AuditLog(store, sha256ChainHasher)
  // The data goes in before search (version 3) exists; a version with search indexed what it wrote,
  // which is what migration 3 does with the rows it finds.
  const beforeSearch = Math.min(version, 2)
  store.transaction('old.create', () => {
    applyMigrations(store, 0, schemaMigrations.slice(0, beforeSearch))
    audit.append({ actor: 'system', action: 'database.create', entityType: 'database', entityId: 'records', details: { schemaVersion: version } })
  })
  store.transaction('old.data', () => {
    db.prepare("INSERT INTO workstation_meta VALUES ('created_at', ?)").run(String(at('2024-05-01T08:00:00Z')))
    db.prepare("INSERT INTO patients VALUES ('p-1', 'MZ0042', '陈某', 'female', NULL, 61, ?)").run(at('2024-05-01T08:00:00Z'))
    db.prepare("INSERT INTO consultations (id, patient_id, department, status, created_at, updated_at) VALUES ('c-1', 'p-1', '神经内科', 'open', ?, ?)").run(
      at('2024-05-01T08:01:00Z'),
      at('2024-05-01T08:10:00Z'),
    )
    audit.append({ actor: 'dr.old', action: 'consultation.create', entityType: 'consultation', entityId: 'c-1', details: { patientId: 'p-1' } })
    // One written without its creation in the audit log (a hand repair), one moved to the trash.
    const consultation = db.prepare("INSERT INTO consultations (id, patient_id, department, status, created_at, updated_at, trashed_at, trashed_by) VALUES (?, 'p-1', ?, 'closed', ?, ?, ?, ?)")
    consultation.run('c-2', '', at('2024-04-01T08:00:00Z'), at('2024-04-01T08:00:00Z'), null, null)
    consultation.run('c-3', '急诊科', at('2024-03-01T08:00:00Z'), at('2024-03-01T08:00:00Z'), at('2024-04-02T08:00:00Z'), 'dr.old')
    audit.append({ actor: 'nurse.old', action: 'consultation.create', entityType: 'consultation', entityId: 'c-3', details: { patientId: 'p-1' } })
    const message = db.prepare(
      "INSERT INTO messages (consultation_id, seq, role, text, status, created_at, updated_at, finished_at) VALUES ('c-1', ?, ?, ?, ?, ?, ?, ?)",
    )
    message.run(1, 'patient', '反复偏头痛两年，最近加重。', 'complete', at('2024-05-01T08:02:00Z'), at('2024-05-01T08:02:00Z'), null)
    message.run(2, 'model', '考虑偏头痛，建议记录头痛日记。', 'complete', at('2024-05-01T08:03:00Z'), at('2024-05-01T08:04:00Z'), at('2024-05-01T08:04:00Z'))
    // That version crashed while answering: the upgrade must still recover this answer.
    message.run(3, 'patient', '需要做核磁共振吗？', 'complete', at('2024-05-01T08:05:00Z'), at('2024-05-01T08:05:00Z'), null)
    message.run(4, 'model', '一般先', 'streaming', at('2024-05-01T08:06:00Z'), at('2024-05-01T08:06:01Z'), null)
    db.prepare("INSERT INTO clinician_notes VALUES (1, 'c-1', 'dr.old', ?, 1)").run(at('2024-05-01T08:09:00Z'))
    db.prepare("INSERT INTO clinician_note_versions VALUES (1, 1, '嘱低盐饮食', 'dr.old', ?)").run(at('2024-05-01T08:09:00Z'))
    audit.append({ actor: 'dr.old', action: 'note.add', entityType: 'note', entityId: 1, details: { consultationId: 'c-1' } })
    if (version >= 2) {
      db.prepare("INSERT INTO red_flags (consultation_id, message_id, category, level, matched_words, rule_version, raised_at) VALUES ('c-1', 1, 'headache', 'urgent', '[]', 'r-1', ?)").run(
        at('2024-05-01T08:02:00Z'),
      )
      db.prepare("INSERT INTO outpatient_records VALUES (1, 'c-1', ?)").run(at('2024-05-01T08:10:00Z'))
      // Signed as that version did: the content hash over the record's identity, sections, signer and time.
      const sections = JSON.stringify({ chiefComplaint: '头痛两年', diagnosis: '偏头痛' })
      const signedAt = at('2024-05-01T08:11:00Z')
      db.prepare(
        `INSERT INTO outpatient_record_versions (record_id, version, status, sections, author, created_at, updated_at, signed_by, signed_at, content_hash)
         VALUES (1, 1, 'signed', ?, 'dr.old', ?, ?, 'dr.old', ?, ?)`,
      ).run(sections, at('2024-05-01T08:10:00Z'), signedAt, signedAt, contentHash({ record_id: 1, version: 1, consultation_id: 'c-1', sections }, 'dr.old', signedAt))
      db.exec("UPDATE consultations SET status = 'signed' WHERE id = 'c-1'")
    }
  })
  if (version > beforeSearch) store.transaction('old.later', () => applyMigrations(store, beforeSearch, schemaMigrations.slice(0, version)))
  if (version >= 4) {
    // What the model drafted for the record, as schema 4 kept it (before drafts named their engine).
    db.prepare(
      `INSERT INTO record_drafts (record_id, model_name, model_quantization, model_sha256, prompt_format, sections, drafted_by, drafted_at)
       VALUES (1, 'HuatuoGPT2-7B', 'Q4_K_M', ?, 'huatuo-ii', ?, 'dr.old', ?)`,
    ).run('a'.repeat(64), JSON.stringify({ chiefComplaint: '头痛两年' }), at('2024-05-01T08:10:00Z'))
  }
  db.close()
}

describe('migrations', () => {
  it.each(schemaMigrations.slice(0, -1).map((m) => m.version))('from schema version %i: backed up first, then everything is there and searchable', async (version) => {
    const path = `${folder.path}/v${version}.db`
    databaseAtVersion(path, version)
    const store = await openTestStore(path)
    try {
      expect(store.schemaVersion).toBe(currentSchemaVersion)
      expect(store.interruptedOnOpen).toBe(1)
      const view = store.consultations.open('c-1')
      expect(view.patient).toMatchObject({ clinicNumber: 'MZ0042', name: '陈某', ageYears: 61 })
      expect(view.messages.items.map((m) => [m.text, m.status])).toEqual([
        ['反复偏头痛两年，最近加重。', 'complete'],
        ['考虑偏头痛，建议记录头痛日记。', 'complete'],
        ['需要做核磁共振吗？', 'complete'],
        ['一般先', 'interrupted'],
      ])
      expect(view.notes.map((n) => n.text)).toEqual(['嘱低盐饮食'])
      // Schema 9: answers written before say nothing of who wrote them, and their (unknown) author is as final as their text.
      expect(view.messages.items.flatMap((m) => (m.role === 'model' ? [m.author] : []))).toEqual([null, null])
      expect(() => store.connection.exec("UPDATE messages SET engine = 'remote', server = 'https://x.example' WHERE id = 2")).toThrow('MESSAGE_FINAL')
      if (version >= 4) {
        // Every older draft was the local model's, named by its file.
        expect(store.drafts.latest(1)?.model).toEqual({ name: 'HuatuoGPT2-7B', quantization: 'Q4_K_M', sha256: 'a'.repeat(64), promptFormat: 'huatuo-ii', engine: 'local', server: null })
      }
      // Search indexes what was written before search existed.
      expect(store.search.search({ query: '头痛' }).hits.length).toBe(version >= 2 ? 3 : 2)
      expect(store.search.search({ query: '低盐' }).hits.map((h) => h.noteId)).toEqual([1])
      expect(store.search.search({ query: '一般' }).hits.map((h) => h.messageId)).toEqual([4])
      if (version >= 2) {
        expect(view.record).toMatchObject({ status: 'signed', sections: { diagnosis: '偏头痛' } })
        expect(view.redFlags).toHaveLength(1)
        // Raised before flags kept their recommended action: kept, with none to show.
        expect(view.redFlags[0]?.action).toBeNull()
      }
      // Schema 8: every consultation kept as it was, with who started it taken from the audit log.
      expect(store.connection.prepare('SELECT id, department, status, started_by, trashed_by FROM consultations ORDER BY id').all()).toEqual([
        { id: 'c-1', department: '神经内科', status: version >= 2 ? 'signed' : 'open', started_by: 'dr.old', trashed_by: null },
        { id: 'c-2', department: '', status: 'closed', started_by: null, trashed_by: null },
        { id: 'c-3', department: '急诊科', status: 'closed', started_by: 'nurse.old', trashed_by: 'dr.old' },
      ])
      expect(store.consultationSummaries.list({ clinician: 'dr.old' }).items.map((item) => [item.consultationId, item.startedBy])).toEqual([['c-1', 'dr.old']])
      expect(store.consultationSummaries.list({ trashed: true }).items.map((item) => [item.consultationId, item.startedBy])).toEqual([['c-3', 'nurse.old']])
      const migrate = store.audit.list({ limit: 50 }).items.find((e) => e.action === 'database.migrate')
      expect(migrate).toMatchObject({ actor: 'system', details: { from: version, to: currentSchemaVersion } })
      expect(store.audit.verify().ok).toBe(true)

      const backups = await listBackups(path)
      expect(backups.map((b) => b.kind)).toEqual(['pre-migration'])
      const saved = new DatabaseSync(backups[0]?.path as string, { readOnly: true })
      expect(saved.prepare('PRAGMA user_version').get()).toEqual({ user_version: version })
      expect(saved.prepare('SELECT count(*) AS n FROM messages').get()).toEqual({ n: 4 })
      saved.close()
    } finally {
      store.close()
    }
  })

  it('a new database starts at the current version, marked as a workstation database', async () => {
    const path = `${folder.path}/new.db`
    const store = await openTestStore(path)
    expect(store.connection.prepare('PRAGMA application_id').get()).toEqual({ application_id: workstationApplicationId })
    expect(store.connection.prepare('PRAGMA user_version').get()).toEqual({ user_version: currentSchemaVersion })
    expect(store.audit.list().items.map((e) => e.action)).toEqual(['database.create'])
    store.close()
    expect(await listBackups(path)).toEqual([])
  })

  it('a migration that fails rolls back completely: the file stays at its version, the backup is kept', async () => {
    const path = `${folder.path}/failing.db`
    databaseAtVersion(path, currentSchemaVersion)
    const broken = [
      ...schemaMigrations,
      {
        version: currentSchemaVersion + 1,
        summary: 'a migration with a bug',
        up: (store: RecordDatabase) => {
          store.db.exec('CREATE TABLE half_done (x)')
          throw new Error('migration bug')
        },
      },
    ]
    await expect(openTestStore(path, { migrations: broken })).rejects.toThrow('migration bug')
    const raw = new DatabaseSync(path, { readOnly: true })
    expect(raw.prepare('PRAGMA user_version').get()).toEqual({ user_version: currentSchemaVersion })
    expect(raw.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE name = 'half_done'").get()).toEqual({ n: 0 })
    raw.close()
    expect((await listBackups(path)).map((b) => b.kind)).toEqual(['pre-migration'])
    const store = await openTestStore(path)
    expect(store.messages.list('c-1').items).toHaveLength(4)
    store.close()
  })
})
