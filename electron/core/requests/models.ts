import type { PromptFormatId } from '../../contract/inference.ts'
import type { EngineStatus } from '../../contract/inference.ts'
import { WorkstationError } from '../errors.ts'
import { inspectModel } from '../models/inspect.ts'
import { importCandidatePath, importCandidates } from '../models/library/import-folder.ts'
import type { LibraryEntry } from '../models/library/model-library.ts'
import { planModelMemory } from '../models/memory-plan.ts'
import { requestEntries } from './request-module.ts'
import type { WorkstationServices } from './workstation-services.ts'

// The model library and the engine. Every load — the window's, `huatuo serve --model`, the
// hospital's preselected model — takes the one path below: the file is checked against the
// hospital's approved list, then the engine supervisor loads it.

export async function loadLibraryModel(
  services: Pick<WorkstationServices, 'library' | 'engines' | 'settings'>,
  model: LibraryEntry,
  options: { promptFormat?: PromptFormatId; contextSize?: number; gpuLayers?: 'auto' | number } = {},
): Promise<EngineStatus> {
  if (model.missing) throw new WorkstationError('MODEL_UNREADABLE', `${model.name}: files missing from the models folder`)
  await services.library.ensureLoadAllowed(model.path)
  // What the request leaves out comes from the workstation's settings (read at each load: a change applies at the next one).
  const defaults = services.settings.engineDefaults()
  const contextSize = options.contextSize ?? defaults.contextSize
  const gpuLayers = options.gpuLayers ?? defaults.gpuLayers
  return services.engines.load({
    path: model.path,
    promptFormat: options.promptFormat ?? model.promptFormat,
    ...(contextSize ? { contextSize } : {}),
    ...(gpuLayers !== undefined ? { gpuLayers } : {}),
    ...(defaults.threads ? { threads: defaults.threads } : {}),
    identity: { libraryId: model.id, sha256: model.sha256, quantization: model.quantization },
  })
}

export const modelQueries = requestEntries({
  'model.catalog': { access: 'model.use', handle: (_input, { services }) => services.library.catalog() },
  'model.list': { access: 'model.use', handle: (_input, { services }) => services.library.list() },
  'model.inspect': { access: 'model.use', handle: async ({ modelId }, { services }) => inspectModel((await services.library.find(modelId)).path, { threads: 1 }) },
  'model.memoryPlan': {
    access: 'model.use',
    handle: async ({ modelId, contextSize }, { services }) => planModelMemory((await services.library.find(modelId)).path, contextSize ? { contextSize } : {}),
  },
  'model.status': { access: 'model.use', handle: (_input, { services }) => services.engines.status() },
  /** The configured hospital inference server, asked for its models and version; changes nothing. */
  'model.testServer': { access: 'model.manage', handle: (_input, { services }) => services.engines.testServer() },
  /** The `.gguf` files in the hospital's import folder: what the browser host can import. */
  'model.importCandidates': { access: 'model.manage', handle: (_input, { services }) => importCandidates(services.config.importDir) },
})

export const modelCommands = requestEntries({
  'model.import': {
    access: 'model.manage',
    handle: async ({ candidate }, { services, actor }) => {
      // A file of the import folder by name, or the one the clinician picks in the app's open dialog.
      let path: string | null
      if (candidate !== undefined) path = await importCandidatePath(services.config.importDir, candidate)
      else if (services.shell.chooseModelFile) path = await services.shell.chooseModelFile()
      else throw new WorkstationError('IMPORT_FOLDER_UNSET', 'no file named and no open dialog here')
      if (path === null) return { outcome: 'cancelled' }
      const imported = await services.library.import(path, { addedBy: actor, onProgress: (progress) => services.emit({ type: 'download.progress', progress }) })
      return { outcome: 'imported', ...imported }
    },
  },
  'model.download': {
    access: 'model.manage',
    handle: async ({ source, baseUrl }, { services, actor }) => {
      const signal = services.transfers.begin()
      try {
        return await services.library.download(source, {
          addedBy: actor,
          signal,
          ...(baseUrl ? { baseUrl } : {}),
          onProgress: (progress) => services.emit({ type: 'download.progress', progress }),
        })
      } finally {
        services.transfers.end(signal)
      }
    },
  },
  /** Stops the running download; what arrived is kept, and the same download resumes from there. */
  'model.cancelDownload': { access: 'model.manage', handle: async (_input, { services }) => ({ cancelled: services.transfers.cancel() }) },
  'model.remove': { access: 'model.manage', handle: ({ modelId, confirmed }, { services }) => services.library.remove(modelId, confirmed) },
  'model.load': {
    access: 'model.use',
    handle: async ({ modelId, promptFormat, contextSize, gpuLayers }, { services }) =>
      loadLibraryModel(services, await services.library.find(modelId), {
        ...(promptFormat ? { promptFormat } : {}),
        ...(contextSize ? { contextSize } : {}),
        ...(gpuLayers !== undefined ? { gpuLayers } : {}),
      }),
  },
  'model.unload': {
    access: 'model.use',
    handle: async (_input, { services }) => {
      await services.engines.unload()
      return null
    },
  },
  'model.restart': { access: 'model.use', handle: (_input, { services }) => services.engines.restart() },
  'model.useEngine': {
    access: 'model.manage',
    handle: async ({ engine }, { services, actor }) => {
      // Connect first: a server that cannot be reached is refused and the choice stays as it was.
      const status = await services.engines.useEngine(engine)
      services.settings.chooseInferenceEngine(engine, actor)
      return status
    },
  },
})
