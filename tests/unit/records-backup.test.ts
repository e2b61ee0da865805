import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, open, readFile, stat, writeFile } from 'node:fs/promises'
import { DatabaseSync } from 'node:sqlite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { listBackups } from '../../electron/core/records/record-backups.ts'
import { restoreRecordStore } from '../../electron/core/records/record-restore.ts'
import { currentSchemaVersion } from '../../electron/core/records/schema-migrations.ts'
import { codeOf, openTestStore, temporaryFolder, testClock } from './records-support.ts'

// Backups on demand, daily (keeping a configurable number) and before migrations; a restore
// checks the backup first and keeps the database it replaces.

let folder: Awaited<ReturnType<typeof temporaryFolder>>
let counter = 0
const day = 24 * 60 * 60 * 1000

async function freshPath(): Promise<string> {
  const dir = `${folder.path}/case-${++counter}`
  await mkdir(dir)
  return `${dir}/records.db`
}

function count(path: string, sql: string): number {
  const db = new DatabaseSync(path, { readOnly: true })
  try {
    return Object.values(db.prepare(sql).get() as object)[0] as number
  } finally {
    db.close()
  }
}

async function fingerprint(path: string): Promise<string> {
  return createHash('sha256').update(await readFile(path)).digest('hex')
}

beforeAll(async () => {
  folder = await temporaryFolder('backup')
})

afterAll(async () => {
  await folder?.remove()
})

describe('backups', () => {
  it('on demand: a checked, self-contained copy taken while the database stays in use', async () => {
    const path = await freshPath()
    const store = await openTestStore(path)
    const patient = store.patients.register({ name: '备份测试' }, 'dr.it')
    const consultation = store.consultations.create({ patientId: patient.id }, 'dr.it')
    store.messages.appendPatientMessage(consultation.id, '备份之前的消息')
    const backup = await store.backups.create('dr.it')
    store.messages.appendPatientMessage(consultation.id, '备份之后的消息')
    expect(backup.kind).toBe('manual')
    expect(backup.bytes).toBe((await stat(backup.path)).size)
    // One file: no -wal beside it, so it can be copied or archived as it is.
    expect(existsSync(`${backup.path}-wal`)).toBe(false)
    expect(count(backup.path, 'SELECT count(*) FROM messages')).toBe(1)
    expect(count(backup.path, 'PRAGMA quick_check') as unknown).toBe('ok')
    expect(store.audit.list({ limit: 1 }).items[0]).toMatchObject({ action: 'database.backup', actor: 'dr.it', details: { kind: 'manual' } })
    expect(await store.backups.list()).toEqual([backup])
    store.close()
  })

  it('scheduled: daily by default when due, keeping the newest N; manual backups are never pruned', async () => {
    const path = await freshPath()
    const clock = testClock()
    const options = { now: clock.now, scheduledBackups: true, backupPolicy: { intervalMs: day, keep: 3 } }
    let store = await openTestStore(path, options)
    // A brand-new database is not backed up straight away.
    expect(await listBackups(path)).toEqual([])
    const manual = await store.backups.create('dr.it')
    store.close()
    clock.advance(day + 1000)
    store = await openTestStore(path, options)
    store.close()
    expect((await listBackups(path)).map((b) => b.kind).sort()).toEqual(['daily', 'manual'])
    store = await openTestStore(path, options)
    expect(await store.backups.runScheduledIfDue()).toBeNull()
    const made: string[] = []
    for (let i = 0; i < 5; i++) {
      clock.advance(day + 1000)
      made.push(((await store.backups.runScheduledIfDue()) as { path: string }).path)
    }
    // The daily maintenance: the backup when due, then the search index merged; searching still works.
    expect((await store.runDailyMaintenance()).backup).toBeNull()
    clock.advance(day + 1000)
    made.push(((await store.runDailyMaintenance()).backup as { path: string }).path)
    expect(store.search.search({ query: '的' }).hits).toEqual([])
    store.close()
    const daily = (await listBackups(path)).filter((b) => b.kind === 'daily').map((b) => b.path)
    expect(daily).toEqual(made.slice(-3).reverse())
    expect(existsSync(manual.path)).toBe(true)
  })
})

describe('restore', () => {
  it('replaces the database with a checked backup and keeps the replaced one', async () => {
    const path = await freshPath()
    let store = await openTestStore(path)
    const patient = store.patients.register({ name: '恢复测试' }, 'dr.it')
    const consultation = store.consultations.create({ patientId: patient.id }, 'dr.it')
    store.messages.appendPatientMessage(consultation.id, '恢复点之前')
    const backup = await store.backups.create('dr.it')
    store.messages.appendPatientMessage(consultation.id, '恢复点之后')
    store.close()

    const outcome = await restoreRecordStore({ path, from: backup.path, actor: 'dr.it', scheduledBackups: false })
    store = outcome.store
    try {
      expect(store.messages.list(consultation.id).items.map((m) => m.text)).toEqual(['恢复点之前'])
      expect(store.search.search({ query: '恢复点' }).hits).toHaveLength(1)
      expect(store.audit.list({ limit: 1 }).items[0]).toMatchObject({ action: 'database.restore', actor: 'dr.it' })
      expect(store.audit.verify().ok).toBe(true)
      expect(outcome.setAside).toBeNull()
      expect(count(outcome.safetyBackup as string, 'SELECT count(*) FROM messages')).toBe(2)
    } finally {
      store.close()
    }
  })

  it('refuses a damaged backup, or another file, and leaves the database unchanged', async () => {
    const path = await freshPath()
    const store = await openTestStore(path)
    const backup = await store.backups.create('dr.it')
    store.close()
    const before = await fingerprint(path)
    const damaged = `${backup.path}.damaged.db`
    await writeFile(damaged, await readFile(backup.path))
    const file = await open(damaged, 'r+')
    const size = (await stat(damaged)).size
    await file.write(Buffer.alloc(size - 4096, 0x33), 0, size - 4096, 4096)
    await file.close()
    expect(await codeOf(() => restoreRecordStore({ path, from: damaged, actor: 'dr.it' }))).toBe('BACKUP_CORRUPT')
    const foreign = `${folder.path}/foreign.db`
    const raw = new DatabaseSync(foreign)
    raw.exec('CREATE TABLE t (x)')
    raw.close()
    expect(await codeOf(() => restoreRecordStore({ path, from: foreign, actor: 'dr.it' }))).toBe('BACKUP_CORRUPT')
    expect(await codeOf(() => restoreRecordStore({ path, from: `${folder.path}/missing.db`, actor: 'dr.it' }))).toBe('INPUT_UNREADABLE')
    const newer = `${folder.path}/newer.db`
    await writeFile(newer, await readFile(backup.path))
    const bump = new DatabaseSync(newer)
    bump.exec(`PRAGMA user_version = ${currentSchemaVersion + 1}`)
    bump.close()
    expect(await codeOf(() => restoreRecordStore({ path, from: newer, actor: 'dr.it' }))).toBe('DB_TOO_NEW')
    expect(await fingerprint(path)).toBe(before)
  })

  it('over a damaged database: the damaged files are renamed aside, never deleted', async () => {
    const path = await freshPath()
    const store = await openTestStore(path)
    const patient = store.patients.register({ name: '损坏测试' }, 'dr.it')
    store.consultations.create({ patientId: patient.id, id: 'kept-1' }, 'dr.it')
    const backup = await store.backups.create('dr.it')
    store.close()
    const file = await open(path, 'r+')
    await file.write(Buffer.alloc(4096 * 4, 0x77), 0, 4096 * 4, 4096)
    await file.close()
    const damagedBytes = await fingerprint(path)
    expect(await codeOf(() => openTestStore(path))).toBe('DB_CORRUPT')
    const outcome = await restoreRecordStore({ path, from: backup.path, actor: 'dr.it', scheduledBackups: false })
    try {
      expect(outcome.store.consultations.get('kept-1').id).toBe('kept-1')
      expect(outcome.safetyBackup).toBeNull()
      expect(await fingerprint(outcome.setAside as string)).toBe(damagedBytes)
    } finally {
      outcome.store.close()
    }
  })
})
