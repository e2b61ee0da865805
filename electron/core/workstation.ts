import { basename, dirname, join, resolve } from 'node:path'
import type { AuditCheckReport, RestoreReport } from '../contract/administration.ts'
import type { AppAbout } from '../contract/app-about.ts'
import { isRequestName, requestChannels, type Reply, type RequestName, type WorkstationEvent } from '../contract/channels.ts'
import type { ClinicianSession } from '../contract/clinicians.ts'
import type { EngineStatus, PromptFormatId } from '../contract/inference.ts'
import { checkAudit } from './clinicians/audit-check.ts'
import type { AuditKeyVault } from './clinicians/audit-key-vault.ts'
import { auditKeyFileVault, clinicianServices, type ClinicianServices } from './clinicians/clinician-services.ts'
import { openKeyedRecordStore, restoreKeyedRecordStore } from './clinicians/keyed-record-store.ts'
import type { HospitalConfig } from './config/hospital-config.ts'
import { ensurePrivateFolder } from './config/private-storage.ts'
import { AnswerAudience } from './consultation/answer-audience.ts'
import { ConsultationTurns, type PatientMessageTriage } from './consultation/consultation-turns.ts'
import { WorkstationError } from './errors.ts'
import { WorkstationRuns } from './evaluation/workstation-runs.ts'
import { defaultPdfRenderer } from './export/pdf-renderer.ts'
import { EngineSupervisor } from './inference/engine-supervisor.ts'
import type { InferenceEngine } from './inference/engine.ts'
import { remoteServerFromConfig } from './inference/remote/remote-server-config.ts'
import { ModelLibrary } from './models/library/model-library.ts'
import { ModelTransfers } from './models/library/model-transfers.ts'
import { systemActor } from './records/actor.ts'
import { checkIntegrityOffThread } from './records/integrity-check.ts'
import type { RecordStore } from './records/record-store.ts'
import { isoTime } from './records/record-time.ts'
import { currentSchemaVersion, workstationApplicationId } from './records/schema-migrations.ts'
import { loadLibraryModel } from './requests/models.ts'
import type { RequestContext } from './requests/request-module.ts'
import { authorizeRequest, isQuery, requestTable } from './requests/request-table.ts'
import type { WorkstationServices } from './requests/workstation-services.ts'
import { WorkstationSettings } from './settings/workstation-settings.ts'
import type { ShellCapabilities } from './shell-capabilities.ts'

// The composition root: builds the workstation's services from the shell's capabilities and
// serves every request of the contract through one `invoke`, over the request table joined from
// electron/core/requests/. Electron main and the browser host are thin transports over it.

export interface WorkstationOptions {
  config: HospitalConfig
  about: AppAbout
  /** The record database; default `records.db` in the configured data folder. */
  databasePath?: string
  /** Deterministic red-flag rules run on every patient message before the model answers. */
  triage: PatientMessageTriage
  /** What only the shell can do (engine launcher, PDF renderer, key vault, dialogs). */
  shell?: ShellCapabilities
  threads?: number
  /**
   * The daily backup and index housekeeping (default on). A one-shot command turns it off: the
   * long-running workstation keeps that schedule.
   */
  maintenance?: boolean
}

export class Workstation {
  readonly #options: WorkstationOptions
  readonly #services: WorkstationServices
  readonly #listeners = new Set<(event: WorkstationEvent) => void>()
  readonly #maintenance: ReturnType<typeof setInterval> | undefined
  readonly #keyVault: AuditKeyVault
  /** The engine the consultation turns answer with: handed to new turns after a restore. */
  #engine: InferenceEngine | undefined
  /** Requests being served now (a restore waits for them to end before it closes the store). */
  #inFlight = 0
  #restoring = false

  /** Whether opening made the audit key (a command tells IT to back it up), and where it is kept. */
  readonly auditKey: { created: boolean; location: string }

  private constructor(options: WorkstationOptions, store: RecordStore, keyVault: AuditKeyVault, auditKey: { created: boolean; location: string }) {
    this.#options = options
    this.#keyVault = keyVault
    this.auditKey = auditKey
    const shell = (options.shell ??= {})
    const emit = (event: WorkstationEvent) => this.#emit(event)
    // The store is asked at each use: after a restore the settings are the restored database's.
    const settings = new WorkstationSettings(() => (this.#services as WorkstationServices | undefined)?.store ?? store, options.config)
    const turns = new ConsultationTurns(store, options.triage)
    this.#services = {
      config: options.config,
      about: options.about,
      store,
      settings,
      library: new ModelLibrary(options.config),
      transfers: new ModelTransfers(),
      clinicians: this.#clinicianServices(store, settings),
      turns,
      engines: new EngineSupervisor({
        ...(shell.engineLauncher ? { launcher: shell.engineLauncher } : {}),
        ...(options.threads ? { threads: options.threads } : {}),
        ...(options.config.remoteEngine
          ? {
              remote: {
                config: options.config.remoteEngine,
                server: () => remoteServerFromConfig(options.config.remoteEngine!, shell.secretKeeper ? { secrets: shell.secretKeeper } : {}),
              },
              engineChoice: settings.inferenceEngine(),
            }
          : {}),
        // Whichever turns are current: a restore builds new ones over the restored store.
        sessions: {
          useEngine: (engine) => {
            this.#engine = engine
            this.#services.turns.useEngine(engine)
          },
          forgetSessions: () => this.#services.turns.forgetSessions(),
        },
        emit,
      }),
      audience: new AnswerAudience(() => this.#services.clinicians.sessions.unlockedStaffId()),
      evaluations: new WorkstationRuns({
        datasetsDir: options.config.evaluationDataDir,
        runsDir: join(options.config.dataDir, 'evaluations', 'runs'),
        workstationVersion: options.about.version,
        active: () => this.#services.engines.forEvaluation(),
        status: () => this.#services.engines.status(),
        samplingFor: (promptFormat) => this.#services.settings.samplingFor(promptFormat),
        // Whichever turns are current (a restore builds new ones): a doctor's answer goes first.
        consultationBusy: () => this.#services.turns.answersInProgress().length > 0,
        emit: (progress) => this.#emit({ type: 'evaluation.progress', progress }),
        audit: ({ actor, action, runId, details }) => this.#services.store.audit.append({ actor, action, entityType: 'evaluation', entityId: runId, details }),
      }),
      shell,
      pdfRenderer: async () => (shell.pdfRenderer ? shell.pdfRenderer() : defaultPdfRenderer()),
      administration: {
        restoreBackup: (fileName, actor) => this.#restoreBackup(fileName, actor),
        checkAudit: (actor) => this.#checkAudit(actor),
      },
      emit,
    }
    // The hospital inference server, when chosen, is asked for its model now (not waited for).
    this.#services.engines.connectInBackground()
    // A new idle-lock time applies to the session at once; every window reads the settings again.
    settings.onChange((changed) => {
      if (changed.includes('idleLockMinutes')) this.#services.clinicians.sessions.setIdleLockMs(settings.idleLockMs())
      this.#emit({ type: 'settings.changed', settings: [...changed] })
    })
    // The daily backup and the search index's housekeeping; checked hourly, done once a day.
    this.#maintenance =
      options.maintenance === false
        ? undefined
        : setInterval(() => {
            if (!this.#restoring) void this.#services.store.runDailyMaintenance().catch(() => undefined)
          }, 60 * 60_000)
    this.#maintenance?.unref()
  }

  /** Accounts, sessions (with the settings' idle lock) and signing over one open store. */
  #clinicianServices(store: RecordStore, settings: WorkstationSettings): ClinicianServices {
    const clinicians = clinicianServices(store, { ...this.#options.config, idleLockMs: settings.idleLockMs() })
    clinicians.sessions.onChange((session) => this.#sessionChanged(session))
    return clinicians
  }

  /** Opens the record store (refusing a damaged, newer or network-share database) and builds the rest. */
  static async open(options: WorkstationOptions): Promise<Workstation> {
    const path = options.databasePath ?? join(options.config.dataDir, 'records.db')
    // The data folder is the user's alone (0700), also one IT made that others could open, if it is
    // this user's; opening the store reports any folder that cannot be used, with its code. A
    // database given elsewhere (`--db` in a working folder) gets a private folder only if it makes one:
    // the clinician's own folders are not re-permissioned behind their back (the start warns instead).
    const isDataFolder = resolve(dirname(path)) === resolve(options.config.dataDir)
    await ensurePrivateFolder(dirname(path), { tightenExisting: isDataFolder }).catch(() => undefined)
    const keyVault = options.shell?.auditKeyVault?.(options.config, path) ?? auditKeyFileVault(options.config, path)
    const { store, keyCreated, keyLocation } = await openKeyedRecordStore({
      path,
      keyVault,
      secondBackupFolder: options.config.backupDir,
      ...(options.maintenance === false ? { scheduledBackups: false } : {}),
    })
    return new Workstation(options, store, keyVault, { created: keyCreated, location: keyLocation })
  }

  /**
   * Restores a backup of the list while the workstation runs. The backup is checked in full first:
   * a damaged or foreign file is refused (BACKUP_CORRUPT) with nothing closed or changed. Then
   * answers being written are stopped (kept as stopped), the clinician is signed out, the other
   * requests are let finish, and the store is closed; the restore makes a pre-restore backup of the
   * database as it was, copies the backup in through SQLite's backup API and re-anchors the audit
   * chain (as `huatuo records restore` does). Accounts, sessions and turns are built again over the
   * restored store, and every window is told (`database.restored`): everyone signs in again, since
   * the restored accounts are the backup's. When the restore fails, the database as it was is opened again.
   */
  async #restoreBackup(fileName: string, actor: string): Promise<RestoreReport> {
    if (this.#restoring) throw new WorkstationError('RESTORE_IN_PROGRESS')
    const services = this.#services
    const backup = (await services.store.backups.list()).find((candidate) => basename(candidate.path) === fileName)
    if (backup === undefined) throw new WorkstationError('BACKUP_NOT_FOUND', fileName)
    const report = await checkIntegrityOffThread(backup.path, 'full')
    if (report.status !== 'ok' || report.applicationId !== workstationApplicationId) {
      throw new WorkstationError('BACKUP_CORRUPT', `${fileName}: ${report.status}, application id ${String(report.applicationId)}`)
    }
    if ((report.schemaVersion ?? 0) > currentSchemaVersion) {
      throw new WorkstationError('DB_TOO_NEW', `backup schema ${report.schemaVersion}`, { data: { fileVersion: report.schemaVersion, supportedVersion: currentSchemaVersion } })
    }
    this.#restoring = true
    try {
      await Promise.all(services.audience.answers().map(({ consultationId }) => services.turns.stop(consultationId).catch(() => undefined)))
      // This request is the one left; a draft or an export still running keeps the store open.
      for (let waited = 0; this.#inFlight > 1 && waited < 10_000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50))
      if (this.#inFlight > 1) throw new WorkstationError('RESTORE_BUSY', `${this.#inFlight - 1} request(s) still running`)
      services.clinicians.sessions.signOut()
      const path = services.store.path
      const backupFolder = services.store.backups.folder
      const storeOptions = { path, keyVault: this.#keyVault, backupFolder, secondBackupFolder: this.#options.config.backupDir, scheduledBackups: false }
      services.store.close()
      let outcome
      try {
        outcome = await restoreKeyedRecordStore({ ...storeOptions, from: backup.path, actor })
      } catch (error) {
        // Nothing is lost (the pre-restore backup, or the file untouched): the workstation goes on with what it had.
        this.#useStore((await openKeyedRecordStore(storeOptions)).store)
        throw error
      }
      this.#useStore(outcome.store)
      const restored: RestoreReport = {
        restored: fileName,
        safetyBackup: outcome.safetyBackup === null ? null : basename(outcome.safetyBackup),
        setAside: outcome.setAside === null ? null : basename(outcome.setAside),
        supersededAuditEntries: outcome.superseded,
        restoredAt: isoTime(Date.now()),
      }
      this.#emit({ type: 'database.restored', restored: restored.restored, restoredAt: restored.restoredAt })
      return restored
    } finally {
      this.#restoring = false
    }
  }

  /** The services built on the store, built again over a newly opened one. */
  #useStore(store: RecordStore): void {
    const services = this.#services
    services.clinicians.sessions.dispose()
    services.store = store
    services.clinicians = this.#clinicianServices(store, services.settings)
    services.turns = new ConsultationTurns(store, this.#options.triage)
    if (this.#engine) services.turns.useEngine(this.#engine)
    this.#emit({ type: 'session.changed', session: services.clinicians.sessions.current() })
  }

  async #checkAudit(actor: string): Promise<AuditCheckReport> {
    const { store } = this.#services
    const report = await checkAudit(store, this.#keyVault, Date.now())
    store.audit.append({
      actor,
      action: 'audit.verify',
      entityType: 'audit',
      entityId: 'chain',
      details: { ok: report.ok, entriesChecked: report.chain.entriesChecked, signedChecked: report.signedVersions.checked, problem: report.problem },
    })
    return report
  }

  onEvent(listener: (event: WorkstationEvent) => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  /** The one place events leave core: patient text goes only to its clinician, signed in and unlocked. */
  #emit(event: WorkstationEvent): void {
    if (!this.#services.audience.mayReceive(event)) return
    for (const listener of this.#listeners) listener(event)
  }

  /**
   * Lock: the window is told, and answers go on without it. Unlock by the same clinician: what each
   * of their answers holds so far goes first, then the deltas resume. Sign-out or another
   * clinician: the previous clinician's answers stop (kept as stopped), so nobody waits behind them.
   */
  #sessionChanged(session: ClinicianSession): void {
    // A restore signs everyone out first; the windows are told once the restored store is open, so
    // nobody signs in again against a database being replaced.
    if (this.#restoring) return
    const { turns, audience } = this.#services
    this.#emit({ type: 'session.changed', session })
    const present = session.state === 'signed-out' ? null : session.clinician.staffId
    const inProgress = new Map(turns.answersInProgress().map((answer) => [answer.answerId, answer]))
    for (const { answerId, staffId, consultationId } of audience.answers()) {
      if (staffId !== present) {
        void turns.stop(consultationId).catch(() => undefined)
        continue
      }
      const answer = inProgress.get(answerId)
      if (session.state === 'active' && answer) this.#emit({ type: 'consultation.snapshot', ...answer })
    }
  }

  /**
   * The one entry for every request from any transport: unknown names and malformed input are
   * refused before any handler runs, the session and the clinician's permission are checked, and
   * failures come back as {code, message, detail} — a handler's exception never crosses the
   * boundary as such.
   */
  invoke(name: unknown, input: unknown): Promise<Reply<unknown>> {
    const sessions = this.#services.clinicians.sessions
    return this.#serve(name, input, (request) => {
      // Every request that touches patients checks the session (unlocked) and the clinician's role.
      const clinician = authorizeRequest(sessions, request)
      return {
        actor: clinician?.staffId ?? systemActor,
        // What was done is kept; but an answer never reaches a window its clinician has locked or left.
        answered: () => {
          // A restore signs everyone out by design; its reply names files, never a patient.
          if (request === 'backups.restore') return
          if (clinician && sessions.unlockedStaffId() !== clinician.staffId) {
            throw new WorkstationError('SESSION_LOCKED', `${request} finished after the session was locked or changed; what it did is stored`)
          }
        },
      }
    })
  }

  /**
   * A read for the operator of a one-shot command (the CLI run by a user of this computer, whom the
   * data folder's modes already confine): queries only, no clinician session, and the reads of
   * patient data kept in the access log under the operator's name (`os:<user>`). Never a transport:
   * no window reaches it.
   */
  invokeAsOperator(operator: string, name: RequestName, input: unknown): Promise<Reply<unknown>> {
    return this.#serve(name, input, (request) => {
      if (!isQuery(request)) throw new WorkstationError('FORBIDDEN', `${request} changes records: it takes a clinician (--actor and PIN)`)
      return { actor: operator, answered: () => undefined }
    })
  }

  async #serve(name: unknown, input: unknown, authorize: (name: RequestName) => { actor: string; answered(): void }): Promise<Reply<unknown>> {
    if (!isRequestName(name)) {
      // Described without calling anything on it: a name like {"toString": false} must not throw here.
      const described = typeof name === 'string' ? name.slice(0, 80) : `(a ${name === null ? 'null' : typeof name})`
      return { ok: false, error: new WorkstationError('CONTRACT_UNKNOWN_REQUEST', described).toPayload() }
    }
    const parsed = requestChannels[name].input.safeParse(input ?? {})
    if (!parsed.success) {
      const problems = parsed.error.issues.slice(0, 5).map((issue) => `${issue.path.join('.') || '(input)'}: ${issue.message}`)
      return { ok: false, error: new WorkstationError('CONTRACT_INVALID_INPUT', `${name}: ${problems.join('; ')}`).toPayload() }
    }
    this.#inFlight++
    try {
      // While a restore replaces the store, nothing reads or writes it (signing in again waits for it too).
      if (this.#restoring) throw new WorkstationError('RESTORE_IN_PROGRESS')
      const { actor, answered } = authorize(name)
      const handle = requestTable[name].handle as (input: unknown, context: RequestContext) => Promise<unknown>
      const value = await handle(parsed.data, { actor, services: this.#services })
      answered()
      return { ok: true, value }
    } catch (error) {
      const failure = error instanceof WorkstationError ? error : new WorkstationError('INTERNAL', error instanceof Error ? error.message : String(error))
      return { ok: false, error: failure.toPayload() }
    } finally {
      this.#inFlight--
    }
  }

  /**
   * The shell's own start-up load (`huatuo serve --model`, `huatuo chat --db`): the file goes into the
   * library (hashed, approval checked) for whoever started the command, then loads as any model does.
   */
  async loadModelAtStart(modelPath: string, operator: string, options: { promptFormat?: PromptFormatId; contextSize?: number } = {}): Promise<EngineStatus> {
    const { library } = this.#services
    const { model } = await library.import(modelPath, { addedBy: operator })
    return loadLibraryModel(this.#services, await library.find(model.id), options)
  }

  /**
   * Loads the model hospital IT preselected (`preselectedModel`: a library id or a model's SHA-256),
   * so the first clinician of the day finds it ready. Null when none is configured.
   */
  async loadPreselectedModel(): Promise<EngineStatus | null> {
    const wanted = this.#options.config.preselectedModel
    if (!wanted) return null
    const model = (await this.#services.library.list()).find((entry) => entry.sha256 === wanted || entry.id.startsWith(wanted))
    if (!model) throw new WorkstationError('MODEL_NOT_FOUND', `preselected model ${wanted.slice(0, 16)}`)
    return loadLibraryModel(this.#services, model)
  }

  async dispose(): Promise<void> {
    clearInterval(this.#maintenance)
    this.#services.clinicians.sessions.dispose()
    await this.#services.evaluations.dispose()
    await this.#services.engines.dispose()
    this.#services.store.close()
  }
}
