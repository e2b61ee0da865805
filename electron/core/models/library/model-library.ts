import { rename, rm, stat } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { userInfo } from 'node:os'
import type { LibraryModel, ModelCatalogEntry, ModelTransferProgress } from '../../../contract/models.ts'
import type { HospitalConfig } from '../../config/hospital-config.ts'
import { WorkstationError } from '../../errors.ts'
import type { FreeSpaceProbe } from './disk-space.ts'
import { readManifest, updateManifest } from './library-manifest.ts'
import { readModelCatalog } from './model-catalog.ts'
import { downloadModel } from './model-download.ts'
import { ensureApprovedForLoad } from './model-governance.ts'
import { importModel } from './model-import.ts'
import type { PublishResult } from './publish-model.ts'
import { removeAbandonedStaging } from './staging.ts'

export interface LibraryEntry extends LibraryModel {
  /** Absolute path of the file to load (part 1 of a split model). */
  path: string
  /** The folder or a file went missing outside the workstation. */
  missing: boolean
  /** On the hospital's approved list (hospital configuration approvedModelSha256); loading is refused otherwise. */
  approved: boolean
}

export interface TransferOptions {
  /** Who adds the model: the signed-in clinician in the app; the OS user on the command line. */
  addedBy?: string
  signal?: AbortSignal
  onProgress?: (progress: ModelTransferProgress) => void
  expectedSha256?: string | null
}

/**
 * The models folder as hospital IT and clinicians use it: list, import, download, remove, and the
 * approval check before a load. One instance per models folder.
 */
export class ModelLibrary {
  readonly config: HospitalConfig
  readonly modelsDir: string
  readonly #addedBy: string
  readonly #freeSpace: FreeSpaceProbe | undefined
  readonly #catalogPath: string | undefined

  constructor(config: HospitalConfig, options: { modelsDir?: string; addedBy?: string; freeSpace?: FreeSpaceProbe; catalogPath?: string } = {}) {
    this.config = config
    this.modelsDir = resolve(options.modelsDir ?? config.modelsDir)
    // The CLI acts as the operating-system user; the app passes the signed-in clinician.
    this.#addedBy = options.addedBy ?? `os:${userInfo().username}`
    this.#freeSpace = options.freeSpace
    this.#catalogPath = options.catalogPath
  }

  catalog(): Promise<ModelCatalogEntry[]> {
    return readModelCatalog(this.#catalogPath)
  }

  async list(): Promise<LibraryEntry[]> {
    await removeAbandonedStaging(this.modelsDir)
    const models = await readManifest(this.modelsDir)
    return Promise.all(
      models.map(async (model) => {
        const paths = model.files.map((file) => join(this.modelsDir, model.folder, file.name))
        const present = await Promise.all(paths.map((path) => stat(path).then(() => true, () => false)))
        const approvedList = this.config.approvedModelSha256
        // On the hospital's approved list now (it may have changed since the import): null approves every model.
        const approved = approvedList === null || approvedList.some((sha) => sha.toLowerCase() === model.sha256.toLowerCase())
        return { ...model, path: paths[0] ?? '', missing: present.includes(false), approved }
      }),
    )
  }

  async find(id: string): Promise<LibraryEntry> {
    const models = await this.list()
    // The full id, or a unique prefix of at least 6 digits (as people copy them from a list).
    const matches = models.filter((model) => model.id === id || (id.length >= 6 && model.id.startsWith(id)))
    const entry = matches.length === 1 ? matches[0] : models.find((model) => model.id === id)
    if (!entry) throw new WorkstationError('MODEL_NOT_FOUND', id)
    return entry
  }

  async import(sourcePath: string, options: TransferOptions = {}): Promise<PublishResult> {
    await removeAbandonedStaging(this.modelsDir)
    return importModel(sourcePath, { ...this.#transfer(options) })
  }

  async download(spec: string, options: TransferOptions & { baseUrl?: string } = {}): Promise<PublishResult> {
    if (!this.config.downloadsEnabled) throw new WorkstationError('DOWNLOADS_DISABLED', this.config.source ?? 'hospital configuration')
    await removeAbandonedStaging(this.modelsDir)
    return downloadModel(spec, await this.catalog(), {
      ...this.#transfer(options),
      baseUrl: (options.baseUrl ?? this.config.downloadBaseUrl).replace(/\/+$/, ''),
      stallMs: this.config.downloadStallMs,
    })
  }

  /**
   * Removes a model's files. It asks for confirmation (the caller passes `confirmed` once the user
   * said yes) and never touches consultations or records that name the model.
   */
  async remove(id: string, confirmed: boolean): Promise<LibraryModel> {
    const entry = await this.find(id)
    if (!confirmed) throw new WorkstationError('CONFIRMATION_REQUIRED', `remove ${entry.name} (${entry.id})`)
    const folder = join(this.modelsDir, entry.folder)
    const doomed = join(this.modelsDir, `.removing-${entry.id}-${process.pid}`)
    // First out of the list, then out of sight with one rename, then deleted.
    await updateManifest(this.modelsDir, (models) => models.filter((model) => model.id !== entry.id))
    await rename(folder, doomed).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error
    })
    await rm(doomed, { recursive: true, force: true })
    const { path: _path, missing: _missing, ...model } = entry
    return model
  }

  /** MODEL_NOT_APPROVED unless hospital IT approved this file (or approves everything). */
  async ensureLoadAllowed(modelPath: string): Promise<void> {
    await ensureApprovedForLoad(modelPath, this.config.approvedModelSha256, { modelsDir: this.modelsDir, models: await readManifest(this.modelsDir) })
  }

  #transfer(options: TransferOptions) {
    return {
      modelsDir: this.modelsDir,
      approved: this.config.approvedModelSha256,
      addedBy: options.addedBy ?? this.#addedBy,
      expectedSha256: options.expectedSha256 ?? null,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      ...(this.#freeSpace ? { freeSpace: this.#freeSpace } : {}),
    }
  }
}
