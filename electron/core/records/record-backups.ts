import { copyFile, constants, open, readdir, rename, rm, stat } from 'node:fs/promises'
import { backup, DatabaseSync } from 'node:sqlite'
import { basename, dirname, extname, join } from 'node:path'
import type { BackupInfo, BackupKind } from '../../contract/backups.ts'
import { ensurePrivateFolder, keepFolderPrivate, keepOwnerOnly, PRIVATE_FILE_MODE } from '../config/private-storage.ts'
import { WorkstationError } from '../errors.ts'
import type { AuditLog } from './audit-log.ts'
import type { IntegrityCheck } from './integrity-check.ts'
import type { RecordDatabase } from './record-database.ts'
import { isoTime } from './record-time.ts'
import { storageFailure } from './sqlite-failures.ts'

export interface BackupPolicy {
  /** How often a scheduled backup is due. */
  intervalMs: number
  /** Scheduled backups kept; older ones are removed (on-demand and pre-migration backups are never removed). */
  keep: number
}

export const defaultBackupPolicy: BackupPolicy = { intervalMs: 24 * 60 * 60 * 1000, keep: 14 }

const kinds: readonly BackupKind[] = ['manual', 'daily', 'pre-migration', 'pre-restore']

export function defaultBackupFolder(databasePath: string): string {
  return join(dirname(databasePath), 'backups')
}

function stem(databasePath: string): string {
  const name = basename(databasePath)
  return name.slice(0, name.length - extname(name).length) || name
}

/** 20240301T102233.123Z: sorts by time as text, and is a valid file name everywhere. */
function stamp(ms: number): string {
  return isoTime(ms).replace(/[-:]/g, '')
}

function parseStamp(text: string): number | null {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})\.(\d{3})Z$/.exec(text)
  if (!match) return null
  const [, y, mo, d, h, mi, s, ms] = match
  return Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), Number(ms))
}

/** Backups of one database, newest first: `<stem>-<kind>-<stamp>.db` in the backup folder. */
export async function listBackups(databasePath: string, folder = defaultBackupFolder(databasePath)): Promise<BackupInfo[]> {
  let names: string[]
  try {
    names = await readdir(folder)
  } catch {
    return []
  }
  const prefix = `${stem(databasePath)}-`
  const found: BackupInfo[] = []
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith('.db')) continue
    const rest = name.slice(prefix.length, -3)
    const kind = kinds.find((k) => rest.startsWith(`${k}-`))
    const at = kind === undefined ? null : parseStamp(rest.slice(kind.length + 1))
    if (kind === undefined || at === null) continue
    const path = join(folder, name)
    found.push({ path, kind, createdAt: isoTime(at), bytes: (await stat(path)).size })
  }
  return found.sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0))
}

/** Backups made before backups were private (0644 under a usual umask) become 0600, their folder 0700. */
export async function keepBackupsPrivate(databasePath: string, folder: string): Promise<void> {
  await keepFolderPrivate(folder)
  for (const backup of await listBackups(databasePath, folder)) await keepOwnerOnly(backup.path)
}

/**
 * An online backup: SQLite's backup API copies a consistent snapshot page by page while the
 * database stays in use (a file copy beside a -wal file would miss or tear committed changes). The
 * copy is written under a temporary name, turned into a single self-contained file, checked, and
 * only then given its final name, so a half-written backup never looks like a backup.
 */
export async function writeBackup(
  db: DatabaseSync,
  databasePath: string,
  options: { folder: string; kind: BackupKind; now: number; check: IntegrityCheck },
): Promise<BackupInfo> {
  const final = join(options.folder, `${stem(databasePath)}-${options.kind}-${stamp(options.now)}.db`)
  const partial = `${final}.partial`
  try {
    // A backup holds every record: its folder is 0700 and the file 0600 from its first byte (SQLite
    // writes into the empty file made here, and gives its journal the same mode).
    await ensurePrivateFolder(options.folder, { tightenExisting: true })
    await (await open(partial, 'wx', PRIVATE_FILE_MODE)).close()
    await backup(db, partial)
    const copy = new DatabaseSync(partial)
    try {
      copy.exec('PRAGMA journal_mode = DELETE')
    } finally {
      copy.close()
    }
    const report = await options.check(partial, 'quick')
    if (report.status !== 'ok') throw new WorkstationError('INTERNAL', `backup did not verify: ${report.status}`)
    await rename(partial, final)
  } catch (error) {
    await Promise.all([partial, `${partial}-wal`, `${partial}-shm`, `${partial}-journal`].map((path) => rm(path, { force: true })))
    throw storageFailure(error, 'backup')
  }
  return { path: final, kind: options.kind, createdAt: isoTime(options.now), bytes: (await stat(final)).size }
}

/**
 * Copies a finished backup into a second folder (hospital configuration `backupDir`, e.g. another
 * disk) under the same name: copied to a temporary name, flushed, then renamed, so a copy cut off
 * half-way never looks like a backup. The folder is made 0700 when the workstation creates it, and
 * the copy is 0600 whatever the folder.
 */
export async function copyBackup(backupPath: string, folder: string): Promise<string> {
  const target = join(folder, basename(backupPath))
  const partial = `${target}.partial`
  try {
    await ensurePrivateFolder(folder)
    await copyFile(backupPath, partial, constants.COPYFILE_EXCL)
    await keepOwnerOnly(partial)
    const handle = await open(partial, 'r+')
    try {
      await handle.sync()
    } finally {
      await handle.close()
    }
    await rename(partial, target)
  } catch (error) {
    await rm(partial, { force: true }).catch(() => undefined)
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message
    throw new WorkstationError('BACKUP_COPY_FAILED', `${folder}: ${code}`, { cause: error, data: { backup: basename(backupPath) } })
  }
  return target
}

/** On-demand and scheduled backups of an open store. */
export class RecordBackups {
  private readonly store: RecordDatabase
  private readonly audit: AuditLog
  private readonly databasePath: string
  readonly folder: string
  /** Where manual and daily backups are also copied (hospital configuration `backupDir`), or null. */
  readonly secondFolder: string | null
  private readonly policy: BackupPolicy
  private readonly check: IntegrityCheck

  constructor(options: {
    store: RecordDatabase
    audit: AuditLog
    databasePath: string
    folder: string
    secondFolder?: string | null
    policy: BackupPolicy
    check: IntegrityCheck
  }) {
    this.store = options.store
    this.audit = options.audit
    this.databasePath = options.databasePath
    this.folder = options.folder
    this.secondFolder = options.secondFolder ?? null
    this.policy = options.policy
    this.check = options.check
  }

  list(): Promise<BackupInfo[]> {
    return listBackups(this.databasePath, this.folder)
  }

  /**
   * Makes a backup in the backup folder and, when configured, copies it to the second folder. A copy
   * that fails leaves the backup made (and logged) and is reported as BACKUP_COPY_FAILED.
   */
  async create(actor: string, kind: BackupKind = 'manual'): Promise<BackupInfo> {
    const info = await writeBackup(this.store.db, this.databasePath, { folder: this.folder, kind, now: this.store.now(), check: this.check })
    let copyFailure: WorkstationError | null = null
    if (this.secondFolder !== null) {
      try {
        await copyBackup(info.path, this.secondFolder)
      } catch (error) {
        copyFailure = error as WorkstationError
      }
    }
    const details: Record<string, string | boolean> = { kind, file: basename(info.path) }
    if (this.secondFolder !== null) details['copied'] = copyFailure === null
    this.audit.append({ actor, action: 'database.backup', entityType: 'database', entityId: stem(this.databasePath), details })
    if (copyFailure !== null) throw copyFailure
    return info
  }

  /** Makes the scheduled backup when one is due, then keeps only the newest `keep`. Null when none was due. */
  async runScheduledIfDue(): Promise<BackupInfo | null> {
    const backups = await this.list()
    const newest = backups.find((b) => b.kind === 'daily')
    const since = newest ? Date.parse(newest.createdAt) : this.createdAt()
    if (this.store.now() - since < this.policy.intervalMs) return null
    let made: BackupInfo | null = null
    let failure: unknown = null
    try {
      made = await this.create('system', 'daily')
    } catch (error) {
      // A copy that failed still leaves today's backup; the old ones are pruned all the same.
      if (!(error instanceof WorkstationError && error.code === 'BACKUP_COPY_FAILED')) throw error
      failure = error
    }
    const daily = (await this.list()).filter((b) => b.kind === 'daily')
    for (const old of daily.slice(Math.max(1, this.policy.keep))) await rm(old.path, { force: true })
    if (this.secondFolder !== null) {
      const copies = (await listBackups(this.databasePath, this.secondFolder)).filter((b) => b.kind === 'daily')
      for (const old of copies.slice(Math.max(1, this.policy.keep))) await rm(old.path, { force: true })
    }
    if (failure !== null) throw failure
    return made
  }

  private createdAt(): number {
    const row = this.store.statement("SELECT value FROM workstation_meta WHERE key = 'created_at'").get() as { value: string } | undefined
    return row === undefined ? 0 : Number(row.value)
  }
}
