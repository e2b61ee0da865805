import { basename, dirname, join, resolve } from 'node:path'
import type { AppAbout } from '../contract/app-about.ts'
import { isRequestName, requestChannels, type Reply, type RequestInput, type RequestName, type RequestOutput, type WorkstationEvent } from '../contract/channels.ts'
import type { ClinicianSession } from '../contract/clinicians.ts'
import type { LoadedModelStatus } from '../contract/inference.ts'
import type { ExportFormat } from '../contract/outpatient-record.ts'
import type { HospitalConfig } from './config/hospital-config.ts'
import { ensurePrivateFolder } from './config/private-storage.ts'
import { AnswerAudience } from './consultation/answer-audience.ts'
import type { ConsultationTurn } from '../contract/consultation-messages.ts'
import { ConsultationTurns, type PatientMessageTriage } from './consultation/consultation-turns.ts'
import { WorkstationError } from './errors.ts'
import { LocalInferenceEngine } from './inference/local/local-engine.ts'
import type { EngineProcessLauncher } from './inference/local/process-launcher.ts'
import { inspectModel } from './models/inspect.ts'
import { ModelLibrary } from './models/library/model-library.ts'
import { draftConsultationRecord } from './clinical/outpatient-record/record-drafting.ts'
import { defaultPdfRenderer } from './export/pdf-renderer.ts'
import { downloadStoredRecord, exportStoredRecord, suggestedExportFileName } from './export/stored-record-export.ts'
import { importCandidatePath, importCandidates } from './models/library/import-folder.ts'
import type { AuditKeyVault } from './clinicians/audit-key-vault.ts'
import { auditKeyFileVault, clinicianServices, type ClinicianServices } from './clinicians/clinician-services.ts'
import { authorizeRequest } from './clinicians/request-permissions.ts'
import { openKeyedRecordStore } from './clinicians/keyed-record-store.ts'
import { systemActor } from './records/actor.ts'
import type { RecordStore } from './records/record-store.ts'

// The composition root: builds the workstation's services and implements every request of the
// contract. Electron main and the browser host are thin transports over `invoke`.

export interface WorkstationOptions {
  config: HospitalConfig
  about: AppAbout
  /** The record database; default `records.db` in the configured data folder. */
  databasePath?: string
  /** Deterministic red-flag rules run on every patient message before the model answers. */
  triage: PatientMessageTriage
  /** How the engine process is started: utilityProcess in Electron, child_process elsewhere. */
  engineLauncher?: EngineProcessLauncher
  /**
   * The app's open dialog for a model file: the clinician picks it, so no path ever comes from the
   * window. Null when cancelled. Absent in the browser host (it offers the import folder's files).
   */
  chooseModelFile?: () => Promise<string | null>
  /**
   * The app's save dialog for an export, suggesting a file name. Null when cancelled. Absent in the
   * browser host, where the file's bytes go back to the page to be saved as a download.
   */
  chooseExportFile?: (suggestion: { fileName: string; format: ExportFormat }) => Promise<string | null>
  threads?: number
  /**
   * Where the audit chain's key is kept: Electron's safeStorage in the app; by default an
   * owner-only key file beside the database (the browser host and the CLI).
   */
  auditKeyVault?: AuditKeyVault
}

/** Who makes a request: the signed-in clinician's staff id, or the workstation for `anyone` requests. */
interface RequestContext {
  actor: string
}

type Handlers = { [N in RequestName]: (input: RequestInput<N>, context: RequestContext) => Promise<RequestOutput<N>> }

/** A patient registered on the spot, for a consultation started before anyone was identified. */
const UNREGISTERED_PATIENT = { name: '未登记病人', sex: 'unknown' } as const

export class Workstation {
  readonly #options: WorkstationOptions
  readonly #library: ModelLibrary
  readonly #store: RecordStore
  readonly #clinicians: ClinicianServices
  readonly #turns: ConsultationTurns
  readonly #listeners = new Set<(event: WorkstationEvent) => void>()
  readonly #audience: AnswerAudience
  readonly #maintenance: ReturnType<typeof setInterval>
  #engine: LocalInferenceEngine | undefined
  #loaded: LoadedModelStatus | undefined

  private constructor(options: WorkstationOptions, store: RecordStore) {
    this.#options = options
    this.#store = store
    this.#library = new ModelLibrary(options.config)
    this.#turns = new ConsultationTurns(store, options.triage)
    // Signing re-asks the PIN, and the record's own completeness checks run in the same transaction.
    this.#clinicians = clinicianServices(store, options.config)
    this.#audience = new AnswerAudience(() => this.#clinicians.sessions.unlockedStaffId())
    this.#clinicians.sessions.onChange((session) => this.#sessionChanged(session))
    // The daily backup and the search index's housekeeping; checked hourly, done once a day.
    this.#maintenance = setInterval(() => void store.runDailyMaintenance().catch(() => undefined), 60 * 60_000)
    this.#maintenance.unref()
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
    const { store } = await openKeyedRecordStore({
      path,
      keyVault: options.auditKeyVault ?? auditKeyFileVault(options.config, path),
      secondBackupFolder: options.config.backupDir,
    })
    return new Workstation(options, store)
  }

  onEvent(listener: (event: WorkstationEvent) => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  /** The one place events leave core: patient text goes only to its clinician, signed in and unlocked. */
  #emit(event: WorkstationEvent): void {
    if (!this.#audience.mayReceive(event)) return
    for (const listener of this.#listeners) listener(event)
  }

  /**
   * Lock: the window is told, and answers go on without it. Unlock by the same clinician: what each
   * of their answers holds so far goes first, then the deltas resume. Sign-out or another
   * clinician: the previous clinician's answers stop (kept as stopped), so nobody waits behind them.
   */
  #sessionChanged(session: ClinicianSession): void {
    this.#emit({ type: 'session.changed', session })
    const present = session.state === 'signed-out' ? null : session.clinician.staffId
    const inProgress = new Map(this.#turns.answersInProgress().map((answer) => [answer.answerId, answer]))
    for (const { answerId, staffId, consultationId } of this.#audience.answers()) {
      if (staffId !== present) {
        void this.#turns.stop(consultationId).catch(() => undefined)
        continue
      }
      const answer = inProgress.get(answerId)
      if (session.state === 'active' && answer) this.#emit({ type: 'consultation.snapshot', ...answer })
    }
  }

  /** An answer to a clinician's request: whose it is while it streams, and its end announced to them. */
  async #answerFor(actor: string, consultationId: string, answerId: string, run: () => Promise<ConsultationTurn>): Promise<ConsultationTurn> {
    this.#audience.claimAnswer(answerId, consultationId, actor)
    try {
      const turn = await run()
      const { status, text, thinking, timing } = turn
      this.#emit({ type: 'consultation.answer-finished', consultationId, answerId, messageId: turn.answerMessageId, status, text, thinking, timing })
      return turn
    } finally {
      this.#audience.releaseAnswer(answerId)
    }
  }

  /**
   * The one entry for every request from any transport: unknown names and malformed input are
   * refused before any handler runs, and failures come back as {code, message, detail} — a
   * handler's exception never crosses the boundary as such.
   */
  async invoke(name: unknown, input: unknown): Promise<Reply<unknown>> {
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
      // Every request that touches patients checks the session (unlocked) and the clinician's role.
      const clinician = authorizeRequest(this.#clinicians.sessions, name)
      const handler = this.#handlers[name] as (input: unknown, context: RequestContext) => Promise<unknown>
      const value = await handler(parsed.data, { actor: clinician?.staffId ?? systemActor })
      // What was done is kept; but an answer never reaches a window its clinician has locked or left.
      if (clinician && this.#clinicians.sessions.unlockedStaffId() !== clinician.staffId) {
        throw new WorkstationError('SESSION_LOCKED', `${name} finished after the session was locked or changed; what it did is stored`)
      }
      return { ok: true, value }
    } catch (error) {
      const failure = error instanceof WorkstationError ? error : new WorkstationError('INTERNAL', error instanceof Error ? error.message : String(error))
      return { ok: false, error: failure.toPayload() }
    }
  }

  async #engineStarted(): Promise<LocalInferenceEngine> {
    if (this.#engine) return this.#engine
    const engine = new LocalInferenceEngine({
      ...(this.#options.engineLauncher ? { launcher: this.#options.engineLauncher } : {}),
      ...(this.#options.threads ? { threads: this.#options.threads } : {}),
    })
    engine.onEvent((event) => this.#emit(event))
    await engine.start()
    this.#engine = engine
    this.#turns.useEngine(engine)
    return engine
  }

  #model(): { name: string; promptFormat: string } {
    if (!this.#loaded) throw new WorkstationError('MODEL_NOT_LOADED')
    return { name: this.#loaded.name, promptFormat: this.#loaded.promptFormat }
  }

  readonly #handlers: Handlers = {
    'app.about': async () => this.#options.about,

    'model.catalog': () => this.#library.catalog(),
    'model.list': () => this.#library.list(),
    'model.inspect': async ({ modelId }) => inspectModel((await this.#library.find(modelId)).path, { threads: 1 }),
    'model.importCandidates': () => importCandidates(this.#options.config.importDir),
    'model.import': async ({ candidate }, { actor }) => {
      // A file of the import folder by name, or the one the clinician picks in the app's open dialog.
      let path: string | null
      if (candidate !== undefined) path = await importCandidatePath(this.#options.config.importDir, candidate)
      else if (this.#options.chooseModelFile) path = await this.#options.chooseModelFile()
      else throw new WorkstationError('IMPORT_FOLDER_UNSET', 'no file named and no open dialog here')
      if (path === null) return { outcome: 'cancelled' }
      const imported = await this.#library.import(path, { addedBy: actor, onProgress: (progress) => this.#emit({ type: 'download.progress', progress }) })
      return { outcome: 'imported', ...imported }
    },
    'model.download': ({ source, baseUrl }, { actor }) =>
      this.#library.download(source, {
        addedBy: actor,
        ...(baseUrl ? { baseUrl } : {}),
        onProgress: (progress) => this.#emit({ type: 'download.progress', progress }),
      }),
    'model.remove': ({ modelId, confirmed }) => this.#library.remove(modelId, confirmed),
    'model.load': async ({ modelId, promptFormat, contextSize }) => {
      const model = await this.#library.find(modelId)
      if (model.missing) throw new WorkstationError('MODEL_UNREADABLE', `${model.name}: files missing from the models folder`)
      await this.#library.ensureLoadAllowed(model.path)
      const engine = await this.#engineStarted()
      this.#turns.forgetSessions()
      this.#loaded = undefined
      this.#loaded = await engine.load({
        modelPath: model.path,
        promptFormat: promptFormat ?? model.promptFormat,
        ...(contextSize ? { contextSize } : {}),
      })
      return this.#loaded
    },
    'model.unload': async () => {
      this.#turns.forgetSessions()
      this.#loaded = undefined
      await this.#engine?.unload()
      return null
    },
    'model.status': async () => (this.#engine ? this.#engine.status() : { state: 'idle', model: null }),
    'model.restart': async () => {
      this.#turns.forgetSessions()
      return (await this.#engineStarted()).restart()
    },

    'session.current': async () => this.#clinicians.sessions.current(),
    'session.firstAdmin': async ({ pin, ...clinician }) => {
      await this.#clinicians.accounts.createFirstAdmin(clinician, pin)
      return this.#clinicians.sessions.signIn(clinician.staffId, pin)
    },
    'session.signIn': ({ staffId, pin }) => this.#clinicians.sessions.signIn(staffId, pin),
    'session.switchUser': ({ staffId, pin }) => this.#clinicians.sessions.switchUser(staffId, pin),
    'session.lock': async () => this.#clinicians.sessions.lock(),
    'session.unlock': ({ pin }) => this.#clinicians.sessions.unlock(pin),
    'session.signOut': async () => this.#clinicians.sessions.signOut(),
    'session.activity': async () => {
      this.#clinicians.sessions.activity()
      return null
    },
    'session.changePin': ({ currentPin, newPin }) => this.#clinicians.sessions.changePin(currentPin, newPin),
    'accounts.list': async () => this.#clinicians.accounts.list(),
    'accounts.add': ({ pin, ...clinician }, { actor }) => this.#clinicians.accounts.add(clinician, pin, actor, { pinChangeRequired: true }),
    'accounts.disable': async ({ staffId }, { actor }) => this.#clinicians.accounts.disable(staffId, actor),
    'accounts.unlock': async ({ staffId }, { actor }) => this.#clinicians.accounts.unlock(staffId, actor),
    'accounts.resetPin': ({ staffId, newPin }, { actor }) => this.#clinicians.accounts.resetPin(staffId, newPin, actor),

    'patient.register': async (patient, { actor }) => this.#store.patients.register(patient, actor),
    'consultation.list': async (request) => this.#store.consultations.list(request),
    'consultation.open': async ({ consultationId, patientId, department }, { actor }) => {
      let id = consultationId
      if (id === undefined || !this.#consultationExists(id)) {
        const patient = patientId ?? this.#store.patients.register(UNREGISTERED_PATIENT, actor).id
        id = this.#store.consultations.create({ ...(id ? { id } : {}), patientId: patient, ...(department ? { department } : {}) }, actor).id
      }
      return { consultationId: id, ...this.#store.consultations.open(id, 200, actor) }
    },
    'consultation.messages': async ({ consultationId, cursor, limit }, { actor }) =>
      this.#store.messages.list(consultationId, { ...(cursor ? { cursor } : {}), ...(limit ? { limit } : {}), reader: actor }),
    'consultation.trash': async ({ consultationId }, { actor }) => {
      await this.#turns.close(consultationId)
      return this.#store.consultations.trash(consultationId, actor)
    },
    'consultation.restore': async ({ consultationId }, { actor }) => this.#store.consultations.restore(consultationId, actor),
    'records.search': async (request, { actor }) => this.#store.search.search(request, actor),
    'note.add': async ({ consultationId, text }, { actor }) => this.#store.notes.add(consultationId, text, actor),
    'note.edit': async ({ noteId, text }, { actor }) => this.#store.notes.edit(noteId, text, actor),
    'redflag.acknowledge': async ({ flagId }, { actor }) => this.#store.redFlags.acknowledge(flagId, actor),

    'record.draft': async ({ consultationId }, { actor }) => {
      const loaded = this.#loaded
      if (!this.#engine || !loaded) throw new WorkstationError('MODEL_NOT_LOADED')
      const model = (await this.#library.list()).find((entry) => entry.path === loaded.modelPath)
      this.#audience.claimDraft(actor)
      const drafted = await draftConsultationRecord({
        store: this.#store,
        engine: this.#engine,
        consultationId,
        model: { name: loaded.name, quantization: model?.quantization ?? 'unknown', sha256: model?.sha256 ?? 'unknown', promptFormat: loaded.promptFormat },
        author: actor,
        onProgress: (progress) => this.#emit({ type: 'record.draft-progress', progress }),
      }).finally(() => this.#audience.releaseDraft(actor))
      return { version: drafted.version, sectionAuthors: drafted.sectionAuthors }
    },
    'record.save': async ({ consultationId, sections }, { actor }) => this.#store.records.saveDraft(consultationId, sections, actor),
    'record.sign': ({ recordId, pin }) => this.#clinicians.signing.sign(recordId, pin),
    'record.amend': ({ recordId, sections, reason, pin }) => this.#clinicians.signing.amend(recordId, sections, reason, pin),
    'export.run': async (request, { actor }) => {
      const signing = this.#clinicians.signing
      const names = {
        clinicName: this.#options.config.clinicName,
        identifierSystems: this.#options.config.identifierSystems,
        signatureOf: (versionId: number) => signing.signatureOf(versionId),
      }
      // The app: the clinician chooses where, in the operating system's save dialog.
      let destination: string | null = null
      if (this.#options.chooseExportFile) {
        const fileName = suggestedExportFileName(this.#store, { ...request, actor }, names)
        destination = await this.#options.chooseExportFile({ fileName, format: request.format })
        if (destination === null) return { outcome: 'cancelled' }
      }
      const renderer = request.format === 'pdf' ? await defaultPdfRenderer() : undefined
      const context = { ...names, ...(renderer ? { pdfRenderer: renderer } : {}) }
      try {
        if (destination === null) return await downloadStoredRecord(this.#store, { ...request, actor }, context)
        const saved = await exportStoredRecord(this.#store, { ...request, destination, actor }, context)
        return { outcome: 'saved', fileName: basename(saved.path), ...saved }
      } finally {
        await renderer?.close()
      }
    },

    'consultation.send': ({ consultationId, answerId, text, sampling }, { actor }) =>
      this.#answerFor(actor, consultationId, answerId, () =>
        this.#turns.send({ consultationId, answerId, text, model: this.#model(), ...(sampling ? { sampling } : {}) }),
      ),
    'consultation.stop': async ({ consultationId }) => {
      await this.#turns.stop(consultationId)
      return null
    },
    'consultation.regenerate': ({ consultationId, answerId, sampling }, { actor }) =>
      this.#answerFor(actor, consultationId, answerId, () =>
        this.#turns.regenerate({ consultationId, answerId, model: this.#model(), ...(sampling ? { sampling } : {}) }),
      ),
    'consultation.edit': ({ consultationId, answerId, patientMessageIndex, text, sampling }, { actor }) =>
      this.#answerFor(actor, consultationId, answerId, () =>
        this.#turns.edit({ consultationId, answerId, patientMessageIndex, text, model: this.#model(), ...(sampling ? { sampling } : {}) }),
      ),
    'consultation.close': async ({ consultationId }) => {
      await this.#turns.close(consultationId)
      return null
    },
  }

  /**
   * The shell's own start-up load (`huatuo serve --model`, the hospital's preselected model): done
   * for the operator who started the workstation, before any clinician signs in.
   */
  async loadModelAtStart(modelPath: string, operator: string): Promise<LoadedModelStatus> {
    const { model } = await this.#library.import(modelPath, { addedBy: operator })
    await this.#library.ensureLoadAllowed((await this.#library.find(model.id)).path)
    const engine = await this.#engineStarted()
    this.#loaded = await engine.load({ modelPath: (await this.#library.find(model.id)).path, promptFormat: model.promptFormat })
    return this.#loaded
  }

  /**
   * Loads the model hospital IT preselected (`preselectedModel`: a library id or a model's SHA-256),
   * so the first clinician of the day finds it ready. Null when none is configured.
   */
  async loadPreselectedModel(): Promise<LoadedModelStatus | null> {
    const wanted = this.#options.config.preselectedModel
    if (!wanted) return null
    const model = (await this.#library.list()).find((entry) => entry.sha256 === wanted || entry.id.startsWith(wanted))
    if (!model || model.missing) throw new WorkstationError('MODEL_NOT_FOUND', `preselected model ${wanted.slice(0, 16)}`)
    await this.#library.ensureLoadAllowed(model.path)
    const engine = await this.#engineStarted()
    this.#loaded = await engine.load({ modelPath: model.path, promptFormat: model.promptFormat })
    return this.#loaded
  }

  #consultationExists(id: string): boolean {
    try {
      this.#store.consultations.get(id)
      return true
    } catch (error) {
      if (error instanceof WorkstationError && error.code === 'CONSULTATION_NOT_FOUND') return false
      throw error
    }
  }

  async dispose(): Promise<void> {
    clearInterval(this.#maintenance)
    this.#clinicians.sessions.dispose()
    this.#turns.forgetSessions()
    await this.#engine?.dispose()
    this.#engine = undefined
    this.#store.close()
  }
}
