import { chmod, mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { triagePatientMessage } from '../../electron/core/clinical/triage/triage.ts'
import { keyFileVault } from '../../electron/core/clinicians/audit-key-vault.ts'
import { openKeyedRecordStore } from '../../electron/core/clinicians/keyed-record-store.ts'
import { readHospitalConfig, type HospitalConfig } from '../../electron/core/config/hospital-config.ts'
import { dataFolderWarning, findFolderExposure, sddlBroadReaders } from '../../electron/core/config/private-storage.ts'
import { isWorkstationError } from '../../electron/core/errors.ts'
import { writeNewFile } from '../../electron/core/export/export-file.ts'
import { ModelLibrary } from '../../electron/core/models/library/model-library.ts'
import { writeTestModel } from '../../electron/core/models/test-model.ts'
import { Workstation } from '../../electron/core/workstation.ts'
import { runHuatuo } from '../support/cli.ts'

// What another user of the same computer can read: nothing of the workstation's. The data folder,
// models folder and backup folders are 0700, the database with its -wal and -shm, backups and
// exports 0600 — under the usual umask 022, with the audit key kept somewhere else (which used to
// leave the data folder 0755 and records.db 0644).

const posix = process.platform !== 'win32'
let root: string
let previousUmask: number

const modeOf = async (path: string) => (await stat(path)).mode & 0o777
const octal = (mode: number) => mode.toString(8)

async function modes(paths: string[]): Promise<Record<string, string>> {
  const result: Record<string, string> = {}
  for (const path of paths) result[path.slice(root.length)] = octal(await modeOf(path))
  return result
}

async function hospitalConfig(name: string, settings: Record<string, unknown>): Promise<HospitalConfig> {
  const path = join(root, `${name}.json`)
  await writeFile(path, JSON.stringify(settings))
  return readHospitalConfig(path, {})
}

const about = { name: 'Huatuo Workstation', version: 'test', electron: '', node: process.versions.node }

beforeAll(async () => {
  previousUmask = process.umask(0o022)
  root = await mkdtemp(join(tmpdir(), 'huatuo-modes-'))
  // mkdtemp's own folder is 0700; the workstation's folders below are made by the workstation.
  await chmod(root, 0o755)
})

afterAll(async () => {
  process.umask(previousUmask)
  await rm(root, { recursive: true, force: true })
})

describe.runIf(posix)('file modes under umask 022', () => {
  it('a workstation with its audit key elsewhere makes its data folder 0700 and records.db, -wal and -shm 0600', async () => {
    const dataDir = join(root, 'first', 'Huatuo Workstation')
    const config = await hospitalConfig('first', { dataDir, auditKeyFile: join(root, 'keys-elsewhere', 'audit-chain.key') })
    const workstation = await Workstation.open({ config, about, triage: triagePatientMessage })
    try {
      const db = join(dataDir, 'records.db')
      // -wal and -shm exist while the database is open.
      expect(await modes([dataDir, db, `${db}-wal`, `${db}-shm`])).toEqual({
        '/first/Huatuo Workstation': '700',
        '/first/Huatuo Workstation/records.db': '600',
        '/first/Huatuo Workstation/records.db-wal': '600',
        '/first/Huatuo Workstation/records.db-shm': '600',
      })
    } finally {
      await workstation.dispose()
    }
  })

  it('an existing data folder and database left readable by an earlier version are made private again', async () => {
    const dataDir = join(root, 'earlier')
    const config = await hospitalConfig('earlier', { dataDir, auditKeyFile: join(root, 'keys-earlier', 'audit-chain.key') })
    const first = await Workstation.open({ config, about, triage: triagePatientMessage })
    await first.dispose()
    const db = join(dataDir, 'records.db')
    const { store } = await openKeyedRecordStore({ path: db, keyVault: keyFileVault(config.auditKeyFile ?? ''), scheduledBackups: false })
    const backup = await store.backups.create('system')
    store.close()
    await chmod(dataDir, 0o755)
    await chmod(db, 0o644)
    await chmod(join(dataDir, 'backups'), 0o755)
    await chmod(backup.path, 0o644)

    const again = await Workstation.open({ config, about, triage: triagePatientMessage })
    try {
      expect(await modes([dataDir, db, `${db}-wal`, join(dataDir, 'backups'), backup.path])).toEqual({
        '/earlier': '700',
        '/earlier/records.db': '600',
        '/earlier/records.db-wal': '600',
        '/earlier/backups': '700',
        [backup.path.slice(root.length)]: '600',
      })
    } finally {
      await again.dispose()
    }
  })

  it('backups are 0600 in a 0700 folder, and a copy goes to the configured second place (backupDir), private too', async () => {
    const dataDir = join(root, 'backed-up')
    const secondPlace = join(root, 'other-disk', 'huatuo-backups')
    const config = await hospitalConfig('backed-up', { dataDir, backupDir: secondPlace, auditKeyFile: join(root, 'keys-backed-up', 'k.key') })
    expect(config.backupDir).toBe(secondPlace)
    const { store } = await openKeyedRecordStore({
      path: join(dataDir, 'records.db'),
      keyVault: keyFileVault(config.auditKeyFile ?? ''),
      secondBackupFolder: config.backupDir,
      scheduledBackups: false,
    })
    try {
      const backup = await store.backups.create('system')
      const name = backup.path.slice(join(dataDir, 'backups').length + 1)
      const copy = join(secondPlace, name)
      expect(await modes([join(dataDir, 'backups'), backup.path, secondPlace, copy])).toEqual({
        '/backed-up/backups': '700',
        [`/backed-up/backups/${name}`]: '600',
        '/other-disk/huatuo-backups': '700',
        [`/other-disk/huatuo-backups/${name}`]: '600',
      })
      expect((await stat(copy)).size).toBe(backup.bytes)
      expect(await readdir(secondPlace)).toEqual([name])
      expect(store.audit.list().items[0]).toMatchObject({ action: 'database.backup', details: { kind: 'manual', copied: true } })
    } finally {
      store.close()
    }
  })

  it('a second place that cannot be written keeps the backup, logs it, and says so (BACKUP_COPY_FAILED)', async () => {
    const dataDir = join(root, 'unplugged')
    await mkdir(dataDir, { recursive: true })
    // A file where the folder should be: as unusable as a disk that is not plugged in.
    const notAFolder = join(root, 'unplugged-disk')
    await writeFile(notAFolder, '')
    const { store } = await openKeyedRecordStore({
      path: join(dataDir, 'records.db'),
      keyVault: keyFileVault(join(root, 'keys-unplugged', 'k.key')),
      secondBackupFolder: join(notAFolder, 'backups'),
      scheduledBackups: false,
    })
    try {
      const error = await store.backups.create('system').catch((e: unknown) => e)
      expect(isWorkstationError(error, 'BACKUP_COPY_FAILED')).toBe(true)
      expect(await store.backups.list()).toHaveLength(1)
      expect(store.audit.list().items[0]).toMatchObject({ action: 'database.backup', details: { copied: false } })
    } finally {
      store.close()
    }
  })

  it('huatuo records backup copies the configured database\'s backup to backupDir', async () => {
    const dataDir = join(root, 'cli')
    const secondPlace = join(root, 'cli-second')
    const configPath = join(root, 'cli.json')
    await writeFile(configPath, JSON.stringify({ dataDir, backupDir: secondPlace }))
    const result = await runHuatuo(['records', 'backup', '--db', join(dataDir, 'records.db'), '--json'], { env: { HUATUO_HOSPITAL_CONFIG: configPath } })
    expect(result.stderr).toBe('')
    expect(result.status).toBe(0)
    const made = JSON.parse(result.stdout) as { path: string }
    const [copy] = await readdir(secondPlace)
    expect(copy).toBe(made.path.slice(join(dataDir, 'backups').length + 1))
    expect(await modes([dataDir, made.path, secondPlace, join(secondPlace, copy ?? '')])).toMatchObject({ '/cli': '700', '/cli-second': '700' })
    expect(octal(await modeOf(made.path))).toBe('600')
    expect(octal(await modeOf(join(secondPlace, copy ?? '')))).toBe('600')
  })

  it('an export is 0600', async () => {
    const exportsDir = join(root, 'exports')
    await mkdir(exportsDir)
    const file = join(exportsDir, '门诊病历-张三.md')
    await writeNewFile(file, Buffer.from('# 门诊病历\n'))
    expect(octal(await modeOf(file))).toBe('600')
  })

  it('the models folder and each model\'s folder are 0700', async () => {
    const dataDir = join(root, 'models-owner')
    const config = await hospitalConfig('models', { dataDir })
    const source = join(root, 'usb', 'model.gguf')
    await mkdir(join(root, 'usb'))
    await writeTestModel({ out: source, size: 'tiny', seed: 7 })
    const library = new ModelLibrary(config, { addedBy: 'it-admin' })
    const { model } = await library.import(source)
    expect(await modes([config.modelsDir, join(config.modelsDir, model.folder)])).toEqual({
      '/models-owner/models': '700',
      [`/models-owner/models/${model.folder}`]: '700',
    })
  })
})

describe('a data folder readable by others is reported at start', () => {
  it.runIf(posix)('on POSIX by its mode bits', async () => {
    const open = join(root, 'open-folder')
    await mkdir(open)
    await chmod(open, 0o755)
    expect(await findFolderExposure(open)).toEqual({ folder: open, readers: ['group', 'others'] })
    const warning = await dataFolderWarning(open)
    expect(warning?.code).toBe('DATA_FOLDER_EXPOSED')
    expect(warning?.localized('zh-CN')).toContain('数据文件夹')
    await chmod(open, 0o700)
    expect(await dataFolderWarning(open)).toBeNull()
  })

  it('on Windows by the ACL icacls reports (SDDL, the same in every language)', async () => {
    const readSddl = (sddl: string) => async () => sddl
    const win32 = (sddl: string) => findFolderExposure('C:\\Users\\doctor\\AppData\\Roaming\\Huatuo Workstation', { platform: 'win32', readSddl: readSddl(sddl) })
    // A profile folder: SYSTEM, Administrators and the user only.
    expect(await win32('D:PAI(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;FA;;;S-1-5-21-1004336348-1177238915-682003330-1001)')).toBeNull()
    // Under ProgramData: every user of the machine may read (inherited, read & execute).
    expect((await win32('D:AI(A;OICIID;FA;;;SY)(A;OICIID;FA;;;BA)(A;OICIIOID;GA;;;CO)(A;OICIID;0x1200a9;;;BU)(A;CIID;DCLCRPCR;;;BU)'))?.readers).toEqual(['Users'])
    expect((await win32('D:(A;OICI;FR;;;WD)(A;OICI;FA;;;S-1-5-21-1-2-3-1001)'))?.readers).toEqual(['Everyone'])
    expect((await win32('D:(A;OICI;GR;;;AU)'))?.readers).toEqual(['Authenticated Users'])
    expect(sddlBroadReaders('D:(A;;0x1301bf;;;S-1-1-0)')).toEqual(['Everyone'])
    // Write-only, a deny, or a SACL entry do not make it readable.
    expect(sddlBroadReaders('D:(A;;0x2;;;WD)(D;OICI;FA;;;BU)S:(AU;SA;FR;;;WD)')).toEqual([])
  })
})
