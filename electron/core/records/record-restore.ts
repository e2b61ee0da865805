import { rename, stat } from 'node:fs/promises'
import { backup, DatabaseSync } from 'node:sqlite'
import { basename, resolve } from 'node:path'
import { WorkstationError } from '../errors.ts'
import { checkedActor } from './actor.ts'
import { checkIntegrityOffThread } from './integrity-check.ts'
import { probeDataFolder } from './network-share.ts'
import { defaultBackupFolder, writeBackup } from './record-backups.ts'
import { systemClock } from './record-time.ts'
import { openRecordStore, type RecordStore, type RecordStoreOptions } from './record-store.ts'
import { currentSchemaVersion, workstationApplicationId } from './schema-migrations.ts'
import { storageFailure } from './sqlite-failures.ts'

export interface RestoreOutcome {
  store: RecordStore
  /** A backup of the database as it was just before the restore (null when there was none, or it was damaged). */
  safetyBackup: string | null
  /** A damaged database that could not be backed up is renamed aside, never deleted. */
  setAside: string | null
}

async function exists(path: string): Promise<boolean> {
  try {
    return (await stat(path)).size > 0
  } catch {
    return false
  }
}

/**
 * Replaces the database with a backup, after a full integrity check of the backup. The current
 * database is first backed up itself (or, if damaged, renamed aside), so a restore loses nothing.
 * The copy goes through SQLite's backup API into the database file, never a file copy beside a -wal
 * file. Returns the store, opened (and migrated if the backup is older); the caller closes it.
 */
export async function restoreRecordStore(options: RecordStoreOptions & { from: string; actor: string }): Promise<RestoreOutcome> {
  const path = resolve(options.path)
  const from = resolve(options.from)
  const actor = checkedActor(options.actor)
  const check = options.integrityCheck ?? checkIntegrityOffThread
  const now = options.now ?? systemClock
  const backupFolder = options.backupFolder ?? defaultBackupFolder(path)
  if (from === path) throw new WorkstationError('USAGE', 'the backup to restore is the database itself')

  const report = await check(from, 'full')
  if (report.status === 'unreadable') throw new WorkstationError('INPUT_UNREADABLE', report.problems[0] ?? 'unreadable')
  if (report.status !== 'ok' || report.applicationId !== workstationApplicationId) {
    throw new WorkstationError('BACKUP_CORRUPT', `${report.status}, application id ${String(report.applicationId)}`)
  }
  if ((report.schemaVersion ?? 0) > currentSchemaVersion) {
    throw new WorkstationError('DB_TOO_NEW', `backup schema ${report.schemaVersion}`, { data: { fileVersion: report.schemaVersion, supportedVersion: currentSchemaVersion } })
  }
  const filesystem = (options.networkShareProbe ?? probeDataFolder)(resolve(path, '..'))
  if (filesystem.networkShare) throw new WorkstationError('DB_NETWORK_SHARE', `data folder file system: ${filesystem.filesystem}`)

  let safetyBackup: string | null = null
  let setAside: string | null = null
  if (await exists(path)) {
    const current = await check(path, 'quick')
    if (current.status === 'ok') {
      const db = new DatabaseSync(path, { readOnly: true })
      try {
        safetyBackup = (await writeBackup(db, path, { folder: backupFolder, kind: 'pre-restore', now: now(), check })).path
      } finally {
        db.close()
      }
    } else {
      setAside = `${path}.damaged-${now()}`
      try {
        // The three files of a WAL database belong together; they move together.
        for (const suffix of ['-wal', '-shm', '']) {
          if (await exists(path + suffix)) await rename(path + suffix, setAside + suffix)
        }
      } catch (error) {
        throw storageFailure(error, 'restore')
      }
    }
  }

  const source = new DatabaseSync(from, { readOnly: true })
  try {
    await backup(source, path)
  } catch (error) {
    throw storageFailure(error, 'restore')
  } finally {
    source.close()
  }
  const store = await openRecordStore({ ...options, path })
  store.audit.append({
    actor,
    action: 'database.restore',
    entityType: 'database',
    entityId: 'records',
    details: { from: basename(from), safetyBackup: safetyBackup === null ? null : basename(safetyBackup), setAside: setAside === null ? null : basename(setAside) },
  })
  return { store, safetyBackup, setAside }
}
