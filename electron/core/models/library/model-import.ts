import { mkdir, rm } from 'node:fs/promises'
import { basename, join } from 'node:path'
import type { ModelTransferProgress } from '../../../contract/models.ts'
import { ensureModelHasWeights, readGgufModelLayout } from '../../gguf/gguf-model-layout.ts'
import { ensureFreeSpace, type FreeSpaceProbe } from './disk-space.ts'
import { copyWithHash } from './hashing-copy.ts'
import { publishModel, type PublishResult, type StagedFile } from './publish-model.ts'
import { createStagingFolder } from './staging.ts'

export interface ImportOptions {
  modelsDir: string
  approved: readonly string[] | null
  addedBy: string
  expectedSha256?: string | null
  signal?: AbortSignal
  onProgress?: (progress: ModelTransferProgress) => void
  freeSpace?: FreeSpaceProbe
}

/**
 * Copies a GGUF (every part of a split one) into the models folder — never used in place: a
 * memory-mapped file on a USB drive that is pulled out kills the process that maps it. The file is
 * checked before copying, hashed while copying, inspected as copied, and published atomically; a
 * failed or cancelled import leaves nothing behind.
 */
export async function importModel(sourcePath: string, options: ImportOptions): Promise<PublishResult> {
  const layout = await readGgufModelLayout(sourcePath)
  // Refused before copying anything (inspection of the copy would refuse it too).
  ensureModelHasWeights(layout)
  // The models folder is private (0700) where the workstation creates it.
  await mkdir(options.modelsDir, { recursive: true, mode: 0o700 })
  await ensureFreeSpace(options.modelsDir, layout.totalFileSize, options.freeSpace)
  const stagingDir = await createStagingFolder(options.modelsDir)
  const files: StagedFile[] = []
  let doneBytes = 0
  try {
    for (const part of layout.parts) {
      const name = basename(part.path)
      const copied = await copyWithHash(part.path, join(stagingDir, name), {
        ...(options.signal ? { signal: options.signal } : {}),
        onBytes: (bytes) => {
          doneBytes += bytes
          options.onProgress?.({ phase: 'copying', doneBytes, totalBytes: layout.totalFileSize, file: name })
        },
      })
      files.push({ name, ...copied })
    }
  } catch (error) {
    await rm(stagingDir, { recursive: true, force: true })
    throw error
  }
  options.onProgress?.({ phase: 'checking', doneBytes, totalBytes: layout.totalFileSize, file: files[0]?.name ?? '' })
  return publishModel({
    modelsDir: options.modelsDir,
    stagingDir,
    files,
    source: { kind: 'import', path: sourcePath },
    addedBy: options.addedBy,
    approved: options.approved,
    expectedSha256: options.expectedSha256 ?? null,
  })
}
