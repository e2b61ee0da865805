import { createHash } from 'node:crypto'
import { mkdir, rename, rm } from 'node:fs/promises'
import { join } from 'node:path'
import type { ModelCatalogEntry, ModelTransferProgress } from '../../../contract/models.ts'
import { isWorkstationError, WorkstationError } from '../../errors.ts'
import type { FreeSpaceProbe } from './disk-space.ts'
import { downloadFile } from './file-download.ts'
import { catalogFileUrl } from './model-catalog.ts'
import { fileNameFromUrl, pathInside, safeModelFileName } from './model-file-name.ts'
import { publishModel, type PublishResult, type StagedFile } from './publish-model.ts'
import { createStagingFolder } from './staging.ts'

export interface DownloadOptions {
  modelsDir: string
  baseUrl: string
  stallMs: number
  approved: readonly string[] | null
  addedBy: string
  expectedSha256?: string | null
  signal?: AbortSignal
  onProgress?: (progress: ModelTransferProgress) => void
  freeSpace?: FreeSpaceProbe
}

interface DownloadPlan {
  catalogId: string | null
  files: { name: string; url: string }[]
}

/**
 * A catalog id, or the full http(s) address of a .gguf file. The files are named by the workstation:
 * a catalog entry's names, or the address's last segment once checked (never a header the server
 * sends, such as Content-Disposition).
 */
export function planDownload(spec: string, catalog: readonly ModelCatalogEntry[], baseUrl: string): DownloadPlan {
  if (/^https?:\/\//i.test(spec)) {
    const url = new URL(spec)
    const name = fileNameFromUrl(url)
    if (!/\.gguf$/i.test(name)) throw new WorkstationError('CATALOG_ENTRY_UNKNOWN', `${url.host}: the address does not name a .gguf file`)
    return { catalogId: null, files: [{ name: safeModelFileName(name, url.host), url: url.href }] }
  }
  const entry = catalog.find((model) => model.id === spec)
  if (!entry) throw new WorkstationError('CATALOG_ENTRY_UNKNOWN', `${spec} (known: ${catalog.map((m) => m.id).join(', ')})`)
  return {
    catalogId: entry.id,
    files: entry.files.map((name) => ({ name: safeModelFileName(name, `catalog ${entry.id}`), url: catalogFileUrl(baseUrl, entry.repository, name) })),
  }
}

/**
 * Downloads a model into the models folder. Partial files live in `.downloads/<key>/` keyed by the
 * addresses, so running the same download again resumes it (HTTP Range). Only the user starting a
 * download makes the workstation touch the network.
 */
export async function downloadModel(spec: string, catalog: readonly ModelCatalogEntry[], options: DownloadOptions): Promise<PublishResult> {
  const plan = planDownload(spec, catalog, options.baseUrl)
  const key = createHash('sha256').update(plan.files.map((file) => file.url).join('\n')).digest('hex').slice(0, 16)
  const downloadsDir = join(options.modelsDir, '.downloads', key)
  // Private like the rest of the models folder (0700 where the workstation creates it).
  await mkdir(downloadsDir, { recursive: true, mode: 0o700 })

  const files: StagedFile[] = []
  let serverSha256: string | null = null
  try {
    for (const file of plan.files) {
      const downloaded = await downloadFile(file.url, pathInside(downloadsDir, file.name), {
        stallMs: options.stallMs,
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.freeSpace ? { freeSpace: options.freeSpace } : {}),
        onBytes: (doneBytes, totalBytes) => options.onProgress?.({ phase: 'downloading', doneBytes, totalBytes, file: file.name }),
      })
      serverSha256 ??= downloaded.serverSha256
      files.push({ name: file.name, sha256: downloaded.sha256, bytes: downloaded.bytes })
    }
  } catch (error) {
    // A refused model is removed whole (every part); an interrupted one stays to be resumed.
    if (isWorkstationError(error, 'MODEL_NOT_GGUF') || isWorkstationError(error, 'DOWNLOAD_NOT_FOUND')) await rm(downloadsDir, { recursive: true, force: true })
    throw error
  }

  // The finished files move (same filesystem: a rename) into a staging folder and are published.
  const stagingDir = await createStagingFolder(options.modelsDir)
  for (const file of files) await rename(pathInside(downloadsDir, file.name), pathInside(stagingDir, file.name))
  await rm(downloadsDir, { recursive: true, force: true })
  options.onProgress?.({ phase: 'checking', doneBytes: 0, totalBytes: 0, file: files[0]?.name ?? '' })
  return publishModel({
    modelsDir: options.modelsDir,
    stagingDir,
    files,
    source: { kind: 'download', url: plan.files[0]?.url ?? spec, catalogId: plan.catalogId },
    addedBy: options.addedBy,
    approved: options.approved,
    expectedSha256: options.expectedSha256 ?? serverSha256,
  })
}
