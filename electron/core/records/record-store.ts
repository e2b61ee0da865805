import { open as openFile, stat } from 'node:fs/promises'
import { DatabaseSync } from 'node:sqlite'
import { basename, dirname, resolve } from 'node:path'
import type { ErrorCode } from '../../contract/errors.ts'
import { ensurePrivateFolder, keepOwnerOnly, PRIVATE_FILE_MODE } from '../config/private-storage.ts'
import { WorkstationError } from '../errors.ts'
import { systemActor } from './actor.ts'
import { AuditLog } from './audit-log.ts'
import { sha256ChainHasher, type ChainHasher } from './chain-hasher.ts'
import { ClinicianNotes } from './clinician-notes.ts'
import { ConsultationMessages } from './consultation-messages.ts'
import { ConsultationRows } from './consultation-rows.ts'
import { ConsultationSummaries } from './consultation-summaries.ts'
import { Consultations } from './consultations.ts'
import { checkIntegrityOffThread, type IntegrityCheck } from './integrity-check.ts'
import { probeDataFolder, type NetworkShareProbe } from './network-share.ts'
import { OutpatientRecords } from './outpatient-records.ts'
import { Patients } from './patients.ts'
import type { BackupInfo } from '../../contract/backups.ts'
import { defaultBackupFolder, defaultBackupPolicy, keepBackupsPrivate, listBackups, RecordBackups, writeBackup, type BackupPolicy } from './record-backups.ts'
import { RecordDatabase } from './record-database.ts'
import { RecordDrafts } from './record-drafts.ts'
import { RecordEvidence } from './record-evidence.ts'
import { RecordExports } from './record-exports.ts'
import { systemClock, type Clock } from './record-time.ts'
import { RedFlags } from './red-flags.ts'
import { applyMigrations, schemaMigrations, workstationApplicationId, type SchemaMigration } from './schema-migrations.ts'
import { RecordSearch } from './search/record-search.ts'
import { SearchIndex } from './search/search-index.ts'
import { storageFailure } from './sqlite-failures.ts'

export interface RecordStoreOptions {
  /** The database file; its folder is the data folder (created if missing). */
  path: string
  /** Default: `backups/` beside the database. */
  backupFolder?: string
  /** Where manual and daily backups are also copied (hospital configuration `backupDir`). */
  secondBackupFolder?: string | null
  chainHasher?: ChainHasher
  now?: Clock
  networkShareProbe?: NetworkShareProbe
  integrityCheck?: IntegrityCheck
  backupPolicy?: BackupPolicy
  /** Make the scheduled backup on open when one is due (default true). */
  scheduledBackups?: boolean
  /** Inspect without changing anything: no migration, no recovery, no backups (e.g. audit verify). */
  readOnly?: boolean
  /** The schema history; tests replace it to exercise failing migrations. */
  migrations?: readonly SchemaMigration[]
  /**
   * Runs on an existing database before anything is written to it (migration, crash recovery,
   * backups): a keyed open compares the audit chain with its anchored head here, and refuses.
   */
  checkAuditHead?: (audit: AuditLog) => Promise<void>
}

export interface RecordStore {
  readonly path: string
  readonly schemaVersion: number
  readonly patients: Patients
  readonly consultations: Consultations
  /** The consultation list a clinician picks a record from (patient, red flags, record id and status). */
  readonly consultationSummaries: ConsultationSummaries
  readonly messages: ConsultationMessages
  readonly redFlags: RedFlags
  readonly notes: ClinicianNotes
  readonly records: OutpatientRecords
  /** What the model wrote when it drafted a record, and which model. */
  readonly drafts: RecordDrafts
  /** Which conversation turns each drafted section rests on. */
  readonly evidence: RecordEvidence
  readonly exports: RecordExports
  readonly audit: AuditLog
  readonly search: RecordSearch
  readonly backups: RecordBackups
  /** Answers found cut off by a crash on open, now stored as interrupted. */
  readonly interruptedOnOpen: number
  /** Problems on open that did not stop it (e.g. a scheduled backup that failed for DISK_FULL). */
  readonly openWarnings: ErrorCode[]
  /** The daily work: the scheduled backup when due, then (after a backup) the search index merged. */
  runDailyMaintenance(): Promise<{ backup: BackupInfo | null }>
  /** Several services' changes as one logical change (an import): all stored, or none. Synchronous work only. */
  transaction<T>(operation: string, work: () => T): T
  /** The connection itself, for maintenance tools and tests. */
  readonly connection: DatabaseSync
  close(): void
}

const sqliteMagic = Buffer.from('SQLite format 3\0', 'latin1')

async function startsLikeSqlite(path: string): Promise<boolean> {
  const file = await openFile(path, 'r')
  try {
    const head = Buffer.alloc(sqliteMagic.length)
    await file.read(head, 0, head.length, 0)
    return head.equals(sqliteMagic)
  } finally {
    await file.close()
  }
}

async function fileSize(path: string): Promise<number | null> {
  try {
    const info = await stat(path)
    if (!info.isFile()) throw new WorkstationError('DB_UNAVAILABLE', 'not a file')
    return info.size
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw storageFailure(error, 'open')
  }
}

async function damaged(path: string, backupFolder: string, detail: string): Promise<WorkstationError> {
  const newest = (await listBackups(path, backupFolder))[0]?.path ?? null
  return new WorkstationError('DB_CORRUPT', `${detail}; newest backup: ${newest ?? 'none'}`, { data: { newestBackup: newest } })
}

/**
 * The database and its -wal and -shm are the user's alone (0600), backups made by older versions
 * too. A new database file is made here, empty and 0600, so that SQLite gives the -wal and -shm it
 * creates the same mode. Files another user owns are left alone.
 */
async function keepDatabasePrivate(path: string, backupFolder: string): Promise<void> {
  try {
    await (await openFile(path, 'a', PRIVATE_FILE_MODE)).close()
    for (const file of [path, `${path}-wal`, `${path}-shm`]) await keepOwnerOnly(file)
    await keepBackupsPrivate(path, backupFolder)
  } catch (error) {
    throw storageFailure(error, 'data folder')
  }
}

/**
 * Checks the data folder and the file before anything writes to it, so a file this version must not
 * change (damaged, newer, foreign) is reported and left exactly as it was.
 */
async function checkBeforeOpening(path: string, options: RecordStoreOptions, backupFolder: string, newestKnown: number): Promise<void> {
  const folder = dirname(path)
  try {
    // 0700 when the workstation creates it (whatever the umask, and wherever the audit key lives).
    if (!options.readOnly) await ensurePrivateFolder(folder)
  } catch (error) {
    throw storageFailure(error, 'data folder')
  }
  let filesystem
  try {
    filesystem = (options.networkShareProbe ?? probeDataFolder)(folder)
  } catch (error) {
    throw new WorkstationError('DB_UNAVAILABLE', `data folder: ${(error as NodeJS.ErrnoException).code ?? 'unreadable'}`, { cause: error })
  }
  if (filesystem.networkShare) {
    throw new WorkstationError('DB_NETWORK_SHARE', `data folder file system: ${filesystem.filesystem}`, { data: { filesystem: filesystem.filesystem } })
  }
  const size = await fileSize(path)
  if (size === null || size === 0) {
    if (options.readOnly) throw new WorkstationError('DB_UNAVAILABLE', 'no database at this path')
    await keepDatabasePrivate(path, backupFolder)
    return
  }
  const report = await (options.integrityCheck ?? checkIntegrityOffThread)(path, 'quick')
  if (report.status === 'unreadable') throw new WorkstationError('DB_UNAVAILABLE', report.problems[0] ?? 'unreadable')
  if (report.status === 'not-a-database' && !(await startsLikeSqlite(path))) throw new WorkstationError('DB_NOT_WORKSTATION', 'not a SQLite file')
  if (report.status !== 'ok') throw await damaged(path, backupFolder, `quick check: ${report.problems.length} problem(s), first: ${report.problems[0] ?? report.status}`)
  const empty = report.applicationId === 0 && report.schemaVersion === 0 && report.schemaObjects === 0
  if (report.applicationId !== workstationApplicationId && !empty) throw new WorkstationError('DB_NOT_WORKSTATION', `application id ${report.applicationId}`)
  if ((report.schemaVersion ?? 0) > newestKnown) {
    throw new WorkstationError('DB_TOO_NEW', `file schema ${report.schemaVersion}, this version reads up to ${newestKnown}`, {
      data: { fileVersion: report.schemaVersion, supportedVersion: newestKnown },
    })
  }
  // Only a database this version may change is made private (a refused file stays exactly as it was).
  if (!options.readOnly) await keepDatabasePrivate(path, backupFolder)
}

function pragmaValue(db: DatabaseSync, pragma: string): unknown {
  const row = db.prepare(`PRAGMA ${pragma}`).get() as Record<string, unknown> | undefined
  return row === undefined ? undefined : Object.values(row)[0]
}

/**
 * Opens (or creates) the consultation record database: checks, then migrates after a backup, then
 * recovers answers cut off by a crash, then makes the scheduled backup if one is due.
 */
export async function openRecordStore(options: RecordStoreOptions): Promise<RecordStore> {
  const path = resolve(options.path)
  const migrations = options.migrations ?? schemaMigrations
  const newestKnown = migrations.at(-1)?.version ?? 0
  const backupFolder = options.backupFolder ?? defaultBackupFolder(path)
  const check = options.integrityCheck ?? checkIntegrityOffThread
  const now = options.now ?? systemClock
  const readOnly = options.readOnly === true
  await checkBeforeOpening(path, options, backupFolder, newestKnown)

  let db: DatabaseSync
  try {
    db = new DatabaseSync(path, { readOnly, timeout: 5000, enableForeignKeyConstraints: true })
  } catch (error) {
    throw storageFailure(error, 'open')
  }
  try {
    const version = pragmaValue(db, 'user_version') as number
    if (version > newestKnown) throw new WorkstationError('DB_TOO_NEW', `file schema ${version}`, { data: { fileVersion: version, supportedVersion: newestKnown } })
    const store = new RecordDatabase(db, now)
    const hasher = options.chainHasher ?? sha256ChainHasher
    const audit = new AuditLog(store, hasher, { readOnly })
    if (version > 0) await options.checkAuditHead?.(audit)
    if (!readOnly) {
      if (pragmaValue(db, 'journal_mode = WAL') !== 'wal') throw new WorkstationError('DB_UNAVAILABLE', 'the file system does not support WAL')
      // FULL: a commit is on disk when it returns, WAL included, so power loss keeps every committed message.
      db.exec('PRAGMA synchronous = FULL')
      if (version === 0) {
        store.transaction('database.create', () => {
          applyMigrations(store, 0, migrations)
          store.statement("INSERT INTO workstation_meta (key, value) VALUES ('created_at', ?)").run(String(now()))
          audit.append({ actor: systemActor, action: 'database.create', entityType: 'database', entityId: 'records', details: { schemaVersion: newestKnown } })
        })
      } else if (version < newestKnown) {
        // The backup first: if anything about the migration goes wrong, the file as it was is kept.
        const saved = await writeBackup(db, path, { folder: backupFolder, kind: 'pre-migration', now: now(), check })
        store.transaction('database.migrate', () => {
          applyMigrations(store, version, migrations)
          audit.append({
            actor: systemActor,
            action: 'database.migrate',
            entityType: 'database',
            entityId: 'records',
            details: { from: version, to: newestKnown, backup: basename(saved.path) },
          })
        })
      }
    }
    const index = new SearchIndex(store)
    const consultationRows = new ConsultationRows(store)
    const patients = new Patients(store, audit)
    const messages = new ConsultationMessages(store, audit, consultationRows, index)
    const notes = new ClinicianNotes(store, audit, consultationRows, index)
    const redFlags = new RedFlags(store, audit)
    const evidence = new RecordEvidence(store, audit)
    const records = new OutpatientRecords(store, audit, consultationRows, index, evidence)
    const consultations = new Consultations(store, audit, consultationRows, { patients, messages, notes, redFlags, records })
    const backups = new RecordBackups({
      store,
      audit,
      databasePath: path,
      folder: backupFolder,
      secondFolder: options.secondBackupFolder ?? null,
      policy: options.backupPolicy ?? defaultBackupPolicy,
      check,
    })
    const interruptedOnOpen = readOnly ? 0 : messages.interruptUnfinished()
    const search = new RecordSearch(store, audit)
    const runDailyMaintenance = async () => {
      const backup = await backups.runScheduledIfDue()
      if (backup !== null) search.optimizeIndex()
      return { backup }
    }
    const openWarnings: ErrorCode[] = []
    if (!readOnly && options.scheduledBackups !== false) {
      try {
        await runDailyMaintenance()
      } catch (error) {
        // A missed backup must not keep the doctor from working; it is reported and retried next time.
        openWarnings.push(error instanceof WorkstationError ? error.code : 'INTERNAL')
      }
    }
    return {
      path,
      schemaVersion: readOnly ? version : newestKnown,
      patients,
      consultations,
      consultationSummaries: new ConsultationSummaries(store, audit),
      messages,
      redFlags,
      notes,
      records,
      drafts: new RecordDrafts(store, audit, records, evidence),
      evidence,
      exports: new RecordExports(store, audit, records),
      audit,
      search,
      backups,
      runDailyMaintenance,
      interruptedOnOpen,
      openWarnings,
      transaction: (operation, work) => store.transaction(operation, work),
      connection: db,
      close: () => {
        try {
          // Buffered reads, then the chain head's anchor, are written before the file closes.
          if (db.isOpen) audit.closing()
        } finally {
          db.close()
        }
      },
    }
  } catch (error) {
    db.close()
    throw storageFailure(error, 'open')
  }
}
