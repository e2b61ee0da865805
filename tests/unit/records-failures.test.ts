import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, open, readFile, stat, writeFile } from 'node:fs/promises'
import { DatabaseSync } from 'node:sqlite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AnswerCheckpointer } from '../../electron/core/records/answer-checkpointer.ts'
import { importConsultation, parseImportLine } from '../../electron/core/records/consultation-import.ts'
import { classifyLinuxFilesystem, isUncPath, macMountType, probeDataFolder } from '../../electron/core/records/network-share.ts'
import { currentSchemaVersion } from '../../electron/core/records/schema-migrations.ts'
import { storageFailure } from '../../electron/core/records/sqlite-failures.ts'
import { WorkstationError } from '../../electron/core/errors.ts'
import { codeOf, errorOf, fillWithDemo, openTestStore, temporaryFolder } from './records-support.ts'

// Every failure a user can cause has a stable code, and none of them loses or alters stored data.

let folder: Awaited<ReturnType<typeof temporaryFolder>>
let counter = 0

async function freshPath(): Promise<string> {
  const dir = `${folder.path}/case-${++counter}`
  await mkdir(dir)
  return `${dir}/records.db`
}

async function fingerprint(path: string): Promise<string> {
  return createHash('sha256').update(await readFile(path)).digest('hex')
}

/** A closed database with some consultations and a manual backup. */
async function databaseWithData(path: string): Promise<{ backup: string }> {
  const store = await openTestStore(path)
  await fillWithDemo(store, 40, 3)
  const backup = await store.backups.create('dr.it')
  store.close()
  return { backup: backup.path }
}

beforeAll(async () => {
  folder = await temporaryFolder('failures')
})

afterAll(async () => {
  await folder?.remove()
})

describe('a database this version must not change', () => {
  it('written by a newer version: DB_TOO_NEW, and the file is not touched', async () => {
    const path = await freshPath()
    await databaseWithData(path)
    const raw = new DatabaseSync(path)
    raw.exec(`PRAGMA user_version = ${currentSchemaVersion + 1}`)
    raw.close()
    const before = await fingerprint(path)
    const error = await errorOf(() => openTestStore(path))
    expect(error.code).toBe('DB_TOO_NEW')
    expect(error.data).toEqual({ fileVersion: currentSchemaVersion + 1, supportedVersion: currentSchemaVersion })
    expect(await codeOf(() => openTestStore(path, { readOnly: true }))).toBe('DB_TOO_NEW')
    expect(await fingerprint(path)).toBe(before)
  })

  it('damaged: DB_CORRUPT naming the newest backup, and the file is left as it was', async () => {
    const path = await freshPath()
    const { backup } = await databaseWithData(path)
    const size = (await stat(path)).size
    const file = await open(path, 'r+')
    // Garbage over a run of pages in the middle of the file (the header stays intact).
    await file.write(Buffer.alloc(4096 * 12, 0x5a), 0, 4096 * 12, Math.floor(size / 3 / 4096) * 4096)
    await file.close()
    const before = await fingerprint(path)
    const error = await errorOf(() => openTestStore(path))
    expect(error.code).toBe('DB_CORRUPT')
    expect(error.data).toEqual({ newestBackup: backup })
    expect(error.detail).toContain(backup)
    expect(await fingerprint(path)).toBe(before)
  })

  it('not a workstation database (another program’s SQLite file, or not SQLite at all): DB_NOT_WORKSTATION, untouched', async () => {
    const other = await freshPath()
    const raw = new DatabaseSync(other)
    raw.exec("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL); INSERT INTO invoices VALUES (1, 9.5)")
    raw.close()
    const before = await fingerprint(other)
    expect(await codeOf(() => openTestStore(other))).toBe('DB_NOT_WORKSTATION')
    expect(await fingerprint(other)).toBe(before)

    const text = await freshPath()
    await writeFile(text, 'patient list\n'.repeat(500))
    expect(await codeOf(() => openTestStore(text))).toBe('DB_NOT_WORKSTATION')
    expect(await readFile(text, 'utf8')).toBe('patient list\n'.repeat(500))
  })

  it('a folder where the file should be: DB_UNAVAILABLE', async () => {
    const path = await freshPath()
    await mkdir(path)
    expect(await codeOf(() => openTestStore(path))).toBe('DB_UNAVAILABLE')
  })
})

describe('a data folder on a network share', () => {
  it('is refused before anything is written: WAL needs a local disk', async () => {
    const path = await freshPath()
    const error = await errorOf(() => openTestStore(path, { networkShareProbe: () => ({ networkShare: true, filesystem: 'nfs' }) }))
    expect(error.code).toBe('DB_NETWORK_SHARE')
    expect(error.data).toEqual({ filesystem: 'nfs' })
    expect(existsSync(path)).toBe(false)
  })

  it('is recognized by file system type on Linux, by UNC path on Windows, by mount type on macOS', () => {
    expect(classifyLinuxFilesystem(0x6969)).toEqual({ networkShare: true, filesystem: 'nfs' })
    expect(classifyLinuxFilesystem(0xff534d42)).toEqual({ networkShare: true, filesystem: 'cifs' })
    expect(classifyLinuxFilesystem(-0xacb2be)).toEqual({ networkShare: true, filesystem: 'cifs' }) // a signed f_type
    expect(classifyLinuxFilesystem(0xfe534d42).networkShare).toBe(true)
    expect(classifyLinuxFilesystem(0x517b).networkShare).toBe(true)
    expect(classifyLinuxFilesystem(0xef53)).toEqual({ networkShare: false, filesystem: '0xef53' }) // ext4
    expect(classifyLinuxFilesystem(0x01021994).networkShare).toBe(false) // tmpfs
    expect(isUncPath('\\\\clinic-nas\\records\\huatuo')).toBe(true)
    expect(isUncPath('\\\\?\\UNC\\clinic-nas\\records')).toBe(true)
    expect(isUncPath('\\\\?\\C:\\Users\\doctor')).toBe(false)
    expect(isUncPath('C:\\Users\\doctor\\AppData')).toBe(false)
    const mount = '/dev/disk3s1 on / (apfs, local, journaled)\n//doc@nas/records on /Volumes/records (smbfs, nodev, nosuid)\n'
    expect(macMountType(mount, '/Volumes/records/huatuo')).toBe('smbfs')
    expect(macMountType(mount, '/Users/doctor')).toBe('apfs')
    expect(probeDataFolder(folder.path).networkShare).toBe(false)
  })
})

describe('a full disk', () => {
  it('fails the one change with DISK_FULL and loses nothing stored before', async () => {
    const path = await freshPath()
    const store = await openTestStore(path)
    try {
      const patient = store.patients.register({ name: '磁盘测试' }, 'dr.test')
      const consultation = store.consultations.create({ patientId: patient.id }, 'dr.test')
      for (let i = 0; i < 5; i++) store.messages.appendPatientMessage(consultation.id, `第${i}条消息`)
      const answer = store.messages.startAnswer(consultation.id)
      const checkpointer = new AnswerCheckpointer(store.messages, answer.id, { intervalMs: 0 })
      checkpointer.append('已保存的部分回答')
      const before = store.messages.list(consultation.id).items
      const auditBefore = store.audit.verify().entriesChecked
      const pages = (store.connection.prepare('PRAGMA page_count').get() as { page_count: number }).page_count
      // What a full disk does to SQLite: no page can be added (SQLITE_FULL).
      store.connection.exec(`PRAGMA max_page_count = ${pages}`)

      const big = '很长的病情描述。'.repeat(20_000)
      expect(await codeOf(() => store.messages.appendPatientMessage(consultation.id, big))).toBe('DISK_FULL')
      expect(await codeOf(() => checkpointer.append(big))).toBe('DISK_FULL')
      expect(await codeOf(() => store.notes.add(consultation.id, big, 'dr.test'))).toBe('DISK_FULL')
      const line = JSON.stringify({ id: 'full-1', patient: { id: 'MZ-FULL', name: '甲' }, createdAt: '2025-01-01T08:00:00Z', messages: [{ role: 'user', text: big.slice(0, 90_000) }] })
      expect(await codeOf(() => importConsultation(store, parseImportLine(line), 'import'))).toBe('DISK_FULL')

      expect(store.messages.list(consultation.id).items).toEqual(before)
      expect(store.messages.get(answer.id).text).toBe('已保存的部分回答')
      expect(await codeOf(() => store.consultations.get('full-1'))).toBe('CONSULTATION_NOT_FOUND')
      expect(store.patients.byClinicNumber('MZ-FULL')).toBeNull()
      expect(store.audit.verify()).toEqual({ ok: true, entriesChecked: auditBefore, firstBroken: null })
      expect(store.search.search({ query: '第3条' }).hits).toHaveLength(1)

      // Space again: the answer, still in memory, is stored in full.
      store.connection.exec('PRAGMA max_page_count = 1073741823')
      expect(checkpointer.finish({ status: 'complete' }).text).toBe(`已保存的部分回答${big}`)
      expect(store.messages.appendPatientMessage(consultation.id, big).text).toBe(big)
    } finally {
      store.close()
    }
  })

  it('ENOSPC from the file system (a backup, an export) is DISK_FULL too', () => {
    const failure = storageFailure(Object.assign(new Error('no space'), { code: 'ENOSPC' }), 'backup')
    expect(failure).toBeInstanceOf(WorkstationError)
    expect((failure as WorkstationError).code).toBe('DISK_FULL')
  })
})
