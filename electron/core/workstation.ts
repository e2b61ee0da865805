import { dirname, join, resolve } from 'node:path'
import type { AppAbout } from '../contract/app-about.ts'
import { isRequestName, requestChannels, type Reply, type RequestName, type WorkstationEvent } from '../contract/channels.ts'
import type { ClinicianSession } from '../contract/clinicians.ts'
import type { EngineStatus, PromptFormatId } from '../contract/inference.ts'
import { auditKeyFileVault, clinicianServices } from './clinicians/clinician-services.ts'
import { openKeyedRecordStore } from './clinicians/keyed-record-store.ts'
import type { HospitalConfig } from './config/hospital-config.ts'
import { ensurePrivateFolder } from './config/private-storage.ts'
import { AnswerAudience } from './consultation/answer-audience.ts'
import { ConsultationTurns, type PatientMessageTriage } from './consultation/consultation-turns.ts'
import { WorkstationError } from './errors.ts'
import { defaultPdfRenderer } from './export/pdf-renderer.ts'
import { EngineSupervisor } from './inference/engine-supervisor.ts'
import { ModelLibrary } from './models/library/model-library.ts'
import { ModelTransfers } from './models/library/model-transfers.ts'
import { systemActor } from './records/actor.ts'
import type { RecordStore } from './records/record-store.ts'
import { loadLibraryModel } from './requests/models.ts'
import type { RequestContext } from './requests/request-module.ts'
import { authorizeRequest, isQuery, requestTable } from './requests/request-table.ts'
import type { WorkstationServices } from './requests/workstation-services.ts'
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

  /** Whether opening made the audit key (a command tells IT to back it up), and where it is kept. */
  readonly auditKey: { created: boolean; location: string }

  private constructor(options: WorkstationOptions, store: RecordStore, auditKey: { created: boolean; location: string }) {
    this.#options = options
    this.auditKey = auditKey
    const shell = (options.shell ??= {})
    const turns = new ConsultationTurns(store, options.triage)
    const clinicians = clinicianServices(store, options.config)
    const emit = (event: WorkstationEvent) => this.#emit(event)
    this.#services = {
      config: options.config,
      about: options.about,
      store,
      library: new ModelLibrary(options.config),
      transfers: new ModelTransfers(),
      clinicians,
      turns,
      engines: new EngineSupervisor({
        ...(shell.engineLauncher ? { launcher: shell.engineLauncher } : {}),
        ...(options.threads ? { threads: options.threads } : {}),
        sessions: turns,
        emit,
      }),
      audience: new AnswerAudience(() => clinicians.sessions.unlockedStaffId()),
      shell,
      pdfRenderer: async () => (shell.pdfRenderer ? shell.pdfRenderer() : defaultPdfRenderer()),
      emit,
    }
    clinicians.sessions.onChange((session) => this.#sessionChanged(session))
    // The daily backup and the search index's housekeeping; checked hourly, done once a day.
    this.#maintenance = options.maintenance === false ? undefined : setInterval(() => void store.runDailyMaintenance().catch(() => undefined), 60 * 60_000)
    this.#maintenance?.unref()
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
    const { store, keyCreated, keyLocation } = await openKeyedRecordStore({
      path,
      keyVault: options.shell?.auditKeyVault?.(options.config, path) ?? auditKeyFileVault(options.config, path),
      secondBackupFolder: options.config.backupDir,
      ...(options.maintenance === false ? { scheduledBackups: false } : {}),
    })
    return new Workstation(options, store, { created: keyCreated, location: keyLocation })
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
    try {
      const { actor, answered } = authorize(name)
      const handle = requestTable[name].handle as (input: unknown, context: RequestContext) => Promise<unknown>
      const value = await handle(parsed.data, { actor, services: this.#services })
      answered()
      return { ok: true, value }
    } catch (error) {
      const failure = error instanceof WorkstationError ? error : new WorkstationError('INTERNAL', error instanceof Error ? error.message : String(error))
      return { ok: false, error: failure.toPayload() }
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
    await this.#services.engines.dispose()
    this.#services.store.close()
  }
}
