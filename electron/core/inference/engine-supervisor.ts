import type { ActiveModel, EngineEvent, EngineProcessStatus, EngineStatus, LoadedModelStatus, PromptFormatId } from '../../contract/inference.ts'
import type { EngineKind, RemoteApiStyle, RemoteConnectionTest } from '../../contract/remote-engine.ts'
import type { RemoteEngineConfig } from '../config/hospital-config.ts'
import { WorkstationError } from '../errors.ts'
import type { InferenceEngine } from './engine.ts'
import { FallbackEngine } from './fallback-engine.ts'
import { LocalInferenceEngine } from './local/local-engine.ts'
import type { EngineProcessLauncher } from './local/process-launcher.ts'
import { readContextLimit } from './remote/context.ts'
import { RemoteInferenceEngine } from './remote/remote-engine.ts'
import { displayServerUrl, remoteEngineView } from './remote/remote-server-config.ts'
import type { RemoteServer } from './remote/server.ts'
import { listServedModels, readServerVersion, servesModel } from './remote/server-facts.ts'

// The one owner of "the active engine": it starts the engine process, loads and unloads models
// along one path, tells whoever holds consultation sessions to forget them when the model changes,
// and announces every change as `model.changed`. The hospital inference server is the second kind
// of engine behind it: an administrator chooses which one consultations use; with the server
// chosen, a loaded local model stands by as the fallback when the configuration allows it.

/** Which model of the library is to be loaded, and how. */
export interface ModelToLoad {
  path: string
  promptFormat: PromptFormatId
  contextSize?: number
  /** Layers offloaded to the GPU: 'auto' (as many as fit) unless IT or the window chose. */
  gpuLayers?: 'auto' | number
  /** CPU threads for this model (the workstation's settings); else the engine process's own default. */
  threads?: number
  identity: { libraryId: string | null; sha256: string | null; quantization: string | null }
}

/** What holds per-consultation engine sessions (their KV caches): forgotten whenever the model changes. */
export interface EngineSessionHolder {
  useEngine(engine: InferenceEngine): void
  forgetSessions(): void
}

/** The hospital inference server the configuration names, and how to reach it (key and CA read when first needed). */
export interface RemoteEngineSetup {
  config: RemoteEngineConfig
  server(): Promise<RemoteServer>
}

export interface EngineSupervisorOptions {
  launcher?: EngineProcessLauncher
  threads?: number
  sessions: EngineSessionHolder
  /** The engine's own events, and `model.changed`. */
  emit(event: EngineEvent | { type: 'model.changed'; status: EngineStatus }): void
  remote?: RemoteEngineSetup
  /** The engine consultations use at start (the administrator's last choice). Default local. */
  engineChoice?: EngineKind
}

export class EngineSupervisor {
  readonly #options: EngineSupervisorOptions
  #engine: LocalInferenceEngine | undefined
  #starting: Promise<LocalInferenceEngine> | undefined
  #active: { loaded: LoadedModelStatus; identity: ModelToLoad['identity'] } | undefined
  #choice: EngineKind
  #remote: RemoteInferenceEngine | undefined
  #remoteStarting: Promise<RemoteInferenceEngine> | undefined
  /** The engine handed to consultation turns now (local, remote, or remote with the local fallback). */
  #consultationEngine: InferenceEngine | undefined
  /** Why the server could not be set up (its key or CA file), told to whoever asks for it. */
  #remoteSetupError: WorkstationError | undefined

  constructor(options: EngineSupervisorOptions) {
    this.#options = options
    this.#choice = options.remote && options.engineChoice === 'remote' ? 'remote' : 'local'
  }

  /** The engine consultations use now. */
  get choice(): EngineKind {
    return this.#choice
  }

  /** The engine and the model it answers with, or MODEL_NOT_LOADED (the server's failure when it was never reached). */
  active(): { engine: InferenceEngine; model: ActiveModel } {
    if (this.#choice === 'remote') {
      const engine = this.#consultationEngine
      if (!engine || !this.#remote) throw this.#remoteSetupError ?? new WorkstationError('MODEL_NOT_LOADED', 'the hospital inference server is not connected yet')
      return { engine, model: this.#remoteModel() }
    }
    if (!this.#engine || !this.#active) throw new WorkstationError('MODEL_NOT_LOADED')
    return { engine: this.#engine, model: activeModel(this.#active.loaded, this.#active.identity) }
  }

  /**
   * The engine an evaluation run answers with: the one consultations use, but never the fallback
   * wrapper (a run is one model's answers). For the server: its address, API and how many items
   * may be in flight — one request fewer than the workstation's limit, so a doctor's turn always
   * finds room.
   */
  forEvaluation(): { engine: InferenceEngine; model: ActiveModel; remote: { url: string; api: RemoteApiStyle; concurrency: number } | null } {
    if (this.#choice === 'local') return { ...this.active(), remote: null }
    const remote = this.#remote
    const config = this.#options.remote?.config
    if (!remote?.facts || !config) throw this.#remoteSetupError ?? new WorkstationError('MODEL_NOT_LOADED', 'the hospital inference server is not connected yet')
    return {
      engine: remote,
      model: this.#remoteModel(),
      remote: { url: remote.facts.server, api: remote.api, concurrency: Math.max(1, config.maxConcurrent - 1) },
    }
  }

  /** The one load path: the previous model's sessions are forgotten, the window told before and after. */
  async load(model: ModelToLoad): Promise<EngineStatus> {
    const engine = await this.#started()
    this.#options.sessions.forgetSessions()
    this.#active = undefined
    this.#announce({ state: 'loading', engine: this.#choice, model: null, local: null, remote: this.#remoteView(), fallbackModel: null })
    try {
      const loaded = await engine.load({
        modelPath: model.path,
        promptFormat: model.promptFormat,
        ...(model.contextSize ? { contextSize: model.contextSize } : {}),
        ...(model.gpuLayers !== undefined ? { gpuLayers: model.gpuLayers } : {}),
        ...(model.threads ? { threads: model.threads } : {}),
      })
      this.#active = { loaded, identity: model.identity }
    } finally {
      this.#handOver()
      await this.#announceCurrent()
    }
    return this.status()
  }

  async unload(): Promise<void> {
    this.#options.sessions.forgetSessions()
    this.#active = undefined
    await this.#engine?.unload()
    this.#handOver()
    await this.#announceCurrent()
  }

  /** After a crash: a new engine process, which loads the model it had again; the server is asked again. */
  async restart(): Promise<EngineStatus> {
    this.#options.sessions.forgetSessions()
    if (this.#choice === 'remote') {
      await (await this.#remoteEngine()).restart().catch(() => undefined)
      await this.#remoteConnected()
    }
    if (this.#engine) {
      const restarted = await this.#engine.restart()
      const identity = this.#active?.identity
      this.#active = restarted.model && identity ? { loaded: restarted.model, identity } : undefined
    }
    this.#handOver()
    await this.#announceCurrent()
    return this.status()
  }

  /**
   * Which engine consultations use from now on. Choosing the server connects to it first: a server
   * that cannot be reached is refused with its code and nothing changes.
   */
  async useEngine(kind: EngineKind): Promise<EngineStatus> {
    if (kind === 'remote') {
      if (!this.#options.remote) throw new WorkstationError('REMOTE_NOT_CONFIGURED')
      await this.#remoteConnected()
    }
    this.#options.sessions.forgetSessions()
    this.#choice = kind
    this.#handOver()
    await this.#announceCurrent()
    return this.status()
  }

  /**
   * Connects to the chosen server at start, without waiting for it: the window shows the server
   * until it answers, and a failure leaves consultations to the fallback (if any) and the next try.
   */
  connectInBackground(): void {
    if (this.#choice !== 'remote') return
    void this.#remoteConnected()
      .catch(() => undefined)
      .then(() => {
        this.#handOver()
        return this.#announceCurrent()
      })
  }

  /** The configured server's models, version and round-trip time (the model manager's "test connection"). */
  async testServer(signal?: AbortSignal): Promise<RemoteConnectionTest> {
    const setup = this.#options.remote
    if (!setup) throw new WorkstationError('REMOTE_NOT_CONFIGURED')
    const server = await setup.server()
    const api = setup.config.api
    const started = performance.now()
    const models = await listServedModels(server, api, signal)
    const roundTripMs = Math.round(performance.now() - started)
    const model = setup.config.model ?? models[0] ?? ''
    const modelServed = model !== '' && servesModel(api, models, model)
    const [version, contextSize] = await Promise.all([
      readServerVersion(server, api, signal),
      modelServed ? readContextLimit(server, api, model, signal).catch(() => null) : Promise.resolve(null),
    ])
    return {
      url: displayServerUrl(setup.config.url),
      api,
      model,
      modelServed,
      models: models.slice(0, 100),
      version,
      contextSize: contextSize ?? null,
      roundTripMs,
      testedAt: new Date().toISOString(),
    }
  }

  async status(): Promise<EngineStatus> {
    const local = this.#engine ? this.#statusOf(await this.#engine.status()) : null
    const localModel = local?.model ?? null
    const remote = this.#remoteView()
    if (this.#choice === 'local') {
      return local ? { ...local, remote } : { state: 'idle', engine: 'local', model: null, local: null, remote, fallbackModel: null }
    }
    const remoteState = this.#remote ? (await this.#remote.status()).state : 'idle'
    return {
      state: remoteState,
      engine: 'remote',
      model: this.#remote?.facts ? this.#remoteModel() : null,
      local: local?.local ?? null,
      remote,
      fallbackModel: this.#options.remote?.config.fallbackToLocal ? localModel : null,
    }
  }

  async dispose(): Promise<void> {
    this.#options.sessions.forgetSessions()
    this.#active = undefined
    const engine = this.#engine ?? (await this.#starting?.catch(() => undefined))
    this.#engine = undefined
    await engine?.dispose()
    const remote = this.#remote ?? (await this.#remoteStarting?.catch(() => undefined))
    this.#remote = undefined
    await remote?.dispose()
  }

  /** Hands the turns the engine they use now: local, the server, or the server with the local model as fallback. */
  #handOver(): void {
    let engine: InferenceEngine | undefined
    if (this.#choice === 'local') engine = this.#engine
    else if (this.#remote) {
      const local = this.#engine
      engine =
        this.#options.remote?.config.fallbackToLocal && local
          ? new FallbackEngine(this.#remote, local, () => (this.#active ? activeModel(this.#active.loaded, this.#active.identity) : null))
          : this.#remote
    }
    if (engine === this.#consultationEngine) return
    this.#consultationEngine = engine
    if (engine) this.#options.sessions.useEngine(engine)
  }

  async #started(): Promise<LocalInferenceEngine> {
    if (this.#engine) return this.#engine
    this.#starting ??= (async () => {
      const engine = new LocalInferenceEngine({
        ...(this.#options.launcher ? { launcher: this.#options.launcher } : {}),
        ...(this.#options.threads ? { threads: this.#options.threads } : {}),
      })
      engine.onEvent((event) => {
        this.#options.emit(event)
        if (event.type === 'engine.crashed') void this.#announceCurrent()
      })
      await engine.start()
      this.#engine = engine
      this.#handOver()
      return engine
    })().finally(() => (this.#starting = undefined))
    return this.#starting
  }

  /** The remote engine (built once, with the key and CA read then). */
  async #remoteEngine(): Promise<RemoteInferenceEngine> {
    if (this.#remote) return this.#remote
    const setup = this.#options.remote
    if (!setup) throw new WorkstationError('REMOTE_NOT_CONFIGURED')
    this.#remoteStarting ??= (async () => {
      let server: RemoteServer
      try {
        server = await setup.server()
        this.#remoteSetupError = undefined
      } catch (error) {
        this.#remoteSetupError = error instanceof WorkstationError ? error : new WorkstationError('INTERNAL', String(error))
        throw error
      }
      const engine = new RemoteInferenceEngine({
        server,
        api: setup.config.api,
        model: setup.config.model,
        promptFormat: setup.config.promptFormat,
        contextSize: setup.config.contextSize,
        maxConcurrent: setup.config.maxConcurrent,
        // A server reached again on demand (it was down at start): the window learns its model.
        onConnected: () => void this.#announceCurrent(),
      })
      engine.onEvent((event) => this.#options.emit(event))
      this.#remote = engine
      return engine
    })().finally(() => (this.#remoteStarting = undefined))
    return this.#remoteStarting
  }

  async #remoteConnected(): Promise<RemoteInferenceEngine> {
    const engine = await this.#remoteEngine()
    if (!engine.facts) await engine.connect()
    return engine
  }

  #remoteModel(): ActiveModel {
    const facts = this.#remote?.facts
    const config = this.#options.remote?.config
    return {
      name: facts?.model ?? config?.model ?? '',
      promptFormat: facts?.plan.format ?? 'gguf-template',
      contextSize: facts?.contextSize ?? 0,
      libraryId: null,
      sha256: null,
      quantization: null,
      engine: 'remote',
      server: facts?.server ?? (config ? displayServerUrl(config.url) : null),
    }
  }

  #remoteView(): EngineStatus['remote'] {
    const config = this.#options.remote?.config
    if (!config) return null
    const facts = this.#remote?.facts
    return remoteEngineView(config, facts ? { model: facts.model, contextSize: facts.contextSize } : null)
  }

  #statusOf(process: EngineProcessStatus): EngineStatus {
    const loaded = process.model
    const identity = this.#active?.loaded.modelPath === loaded?.modelPath ? this.#active?.identity : undefined
    if (!loaded) return { state: process.state, engine: 'local', model: null, local: null, remote: null, fallbackModel: null }
    const { name: _name, promptFormat: _format, contextSize: _context, ...local } = loaded
    return {
      state: process.state,
      engine: 'local',
      model: activeModel(loaded, identity ?? { libraryId: null, sha256: null, quantization: null }),
      local: {
        ...local,
        ...(process.gpuFallbackReason ? { gpuFallbackReason: process.gpuFallbackReason } : {}),
        ...(process.enginePid ? { enginePid: process.enginePid } : {}),
      },
      remote: null,
      fallbackModel: null,
    }
  }

  #announce(status: EngineStatus): void {
    this.#options.emit({ type: 'model.changed', status })
  }

  async #announceCurrent(): Promise<void> {
    this.#announce(
      await this.status().catch(
        (): EngineStatus => ({ state: 'crashed', engine: this.#choice, model: null, local: null, remote: this.#remoteView(), fallbackModel: null }),
      ),
    )
  }
}

function activeModel(loaded: LoadedModelStatus, identity: ModelToLoad['identity']): ActiveModel {
  return { name: loaded.name, promptFormat: loaded.promptFormat, contextSize: loaded.contextSize, ...identity, engine: 'local', server: null }
}
