import type { ActiveModel, EngineEvent, EngineProcessStatus, EngineStatus, LoadedModelStatus, PromptFormatId } from '../../contract/inference.ts'
import { WorkstationError } from '../errors.ts'
import type { InferenceEngine } from './engine.ts'
import { LocalInferenceEngine } from './local/local-engine.ts'
import type { EngineProcessLauncher } from './local/process-launcher.ts'

// The one owner of "the active engine": it starts the engine process, loads and unloads models
// along one path, tells whoever holds consultation sessions to forget them when the model changes,
// and announces every change as `model.changed`. A hospital inference server will be a second kind
// of engine behind the same supervisor (`engine: 'remote'`).

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

export interface EngineSupervisorOptions {
  launcher?: EngineProcessLauncher
  threads?: number
  sessions: EngineSessionHolder
  /** The engine's own events, and `model.changed`. */
  emit(event: EngineEvent | { type: 'model.changed'; status: EngineStatus }): void
}

export class EngineSupervisor {
  readonly #options: EngineSupervisorOptions
  #engine: LocalInferenceEngine | undefined
  #starting: Promise<LocalInferenceEngine> | undefined
  #active: { loaded: LoadedModelStatus; identity: ModelToLoad['identity'] } | undefined

  constructor(options: EngineSupervisorOptions) {
    this.#options = options
  }

  /** The engine and the model it answers with, or MODEL_NOT_LOADED. */
  active(): { engine: InferenceEngine; model: ActiveModel } {
    if (!this.#engine || !this.#active) throw new WorkstationError('MODEL_NOT_LOADED')
    return { engine: this.#engine, model: activeModel(this.#active.loaded, this.#active.identity) }
  }

  /** The one load path: the previous model's sessions are forgotten, the window told before and after. */
  async load(model: ModelToLoad): Promise<EngineStatus> {
    const engine = await this.#started()
    this.#options.sessions.forgetSessions()
    this.#active = undefined
    this.#announce({ state: 'loading', engine: 'local', model: null, local: null })
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
      await this.#announceCurrent()
    }
    return this.status()
  }

  async unload(): Promise<void> {
    this.#options.sessions.forgetSessions()
    this.#active = undefined
    await this.#engine?.unload()
    await this.#announceCurrent()
  }

  /** After a crash: a new engine process, which loads the model it had again. */
  async restart(): Promise<EngineStatus> {
    this.#options.sessions.forgetSessions()
    const restarted = await (await this.#started()).restart()
    const identity = this.#active?.identity
    this.#active = restarted.model && identity ? { loaded: restarted.model, identity } : undefined
    await this.#announceCurrent()
    return this.status()
  }

  async status(): Promise<EngineStatus> {
    if (!this.#engine) return { state: 'idle', engine: 'local', model: null, local: null }
    return this.#statusOf(await this.#engine.status())
  }

  async dispose(): Promise<void> {
    this.#options.sessions.forgetSessions()
    this.#active = undefined
    const engine = this.#engine ?? (await this.#starting?.catch(() => undefined))
    this.#engine = undefined
    await engine?.dispose()
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
      this.#options.sessions.useEngine(engine)
      return engine
    })().finally(() => (this.#starting = undefined))
    return this.#starting
  }

  #statusOf(process: EngineProcessStatus): EngineStatus {
    const loaded = process.model
    const identity = this.#active?.loaded.modelPath === loaded?.modelPath ? this.#active?.identity : undefined
    if (!loaded) return { state: process.state, engine: 'local', model: null, local: null }
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
    }
  }

  #announce(status: EngineStatus): void {
    this.#options.emit({ type: 'model.changed', status })
  }

  async #announceCurrent(): Promise<void> {
    this.#announce(await this.status().catch((): EngineStatus => ({ state: 'crashed', engine: 'local', model: null, local: null })))
  }
}

function activeModel(loaded: LoadedModelStatus, identity: ModelToLoad['identity']): ActiveModel {
  return { name: loaded.name, promptFormat: loaded.promptFormat, contextSize: loaded.contextSize, ...identity }
}
