import { rename, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import type { LibraryModel, LibraryModelSource } from '../../../contract/models.ts'
import { WorkstationError } from '../../errors.ts'
import { inspectModel } from '../inspect.ts'
import { readManifest, updateManifest } from './library-manifest.ts'
import { ensureApproved } from './model-governance.ts'

export interface StagedFile {
  name: string
  sha256: string
  bytes: number
}

export interface PublishRequest {
  modelsDir: string
  stagingDir: string
  /** In split order: the first file names the model. */
  files: StagedFile[]
  source: LibraryModelSource
  addedBy: string
  approved: readonly string[] | null
  /** A hash the file must have (given by the user, or by the server's ETag). */
  expectedSha256?: string | null
}

export interface PublishResult {
  model: LibraryModel
  /** The same file was already in the library: nothing was added. */
  alreadyPresent: boolean
}

/**
 * The last step of an import or download: check approval, the expected hash and the model itself
 * (inspection of the staged copy), then publish the staging folder under the model's id with one
 * rename and record it. Any failure removes the staging folder.
 */
export async function publishModel(request: PublishRequest): Promise<PublishResult> {
  const { modelsDir, stagingDir, files } = request
  try {
    const first = files[0]
    if (!first) throw new WorkstationError('MODEL_UNREADABLE', 'no files')
    const expected = request.expectedSha256?.toLowerCase()
    if (expected && expected !== first.sha256) {
      throw new WorkstationError('MODEL_HASH_MISMATCH', `expected ${expected.slice(0, 16)}…, got ${first.sha256.slice(0, 16)}…`)
    }
    ensureApproved(request.approved, files.map((file) => file.sha256), first.name)
    const inspection = await inspectModel(join(stagingDir, first.name), { gpu: false, threads: 1 })

    const id = first.sha256.slice(0, 16)
    const existing = (await readManifest(modelsDir)).find((m) => m.id === id)
    if (existing) {
      await rm(stagingDir, { recursive: true, force: true })
      return { model: existing, alreadyPresent: true }
    }
    const folder = id
    await rename(stagingDir, join(modelsDir, folder))
    const recordedFiles = await Promise.all(
      files.map(async (file) => ({ ...file, stats: await stat(join(modelsDir, folder, file.name)) })),
    )
    const added: LibraryModel = {
      id,
      name: inspection.name ?? inspection.basename ?? first.name,
      folder,
      files: recordedFiles.map((file) => ({ name: file.name, sizeBytes: file.bytes, sha256: file.sha256, mtimeMs: file.stats.mtimeMs })),
      sha256: first.sha256,
      sizeBytes: files.reduce((sum, file) => sum + file.bytes, 0),
      source: request.source,
      addedAt: new Date().toISOString(),
      addedBy: request.addedBy,
      architecture: inspection.architecture,
      family: inspection.promptFormat.family,
      promptFormat: inspection.promptFormat.format,
      quantization: inspection.quantization,
      parameterCount: inspection.parameterCount,
      trainedContextLength: inspection.trainedContextLength,
    }
    await updateManifest(modelsDir, (models) => [...models.filter((m) => m.id !== id), added])
    return { model: added, alreadyPresent: false }
  } catch (error) {
    await rm(stagingDir, { recursive: true, force: true })
    throw error
  }
}
