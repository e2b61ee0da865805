import { lstat, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { ModelImportCandidates } from '../../../contract/models.ts'
import { WorkstationError } from '../../errors.ts'

// The hospital's import folder (configuration `importDir`): where the browser host, which has no
// open dialog, finds model files to import. The window names one of the files listed here; the
// path is made here from the configured folder, never taken from the window.

const GGUF_NAME = /\.gguf$/i

/** The `.gguf` files directly in the folder (regular files only: no links, no folders), by name. */
export async function importCandidates(importDir: string | null): Promise<ModelImportCandidates> {
  if (importDir === null) return { folderConfigured: false, files: [] }
  let names: string[]
  try {
    names = await readdir(importDir)
  } catch (error) {
    throw new WorkstationError('IMPORT_FOLDER_UNREADABLE', `importDir: ${(error as NodeJS.ErrnoException).code ?? 'unknown'}`, { cause: error })
  }
  const files = []
  for (const fileName of names.filter((name) => GGUF_NAME.test(name)).sort()) {
    const info = await lstat(join(importDir, fileName)).catch(() => null)
    if (info?.isFile()) files.push({ fileName, sizeBytes: info.size, modifiedAt: info.mtime.toISOString() })
  }
  return { folderConfigured: true, files }
}

/** The path of a file the window chose from `importCandidates`; anything not listed there is refused. */
export async function importCandidatePath(importDir: string | null, fileName: string): Promise<string> {
  if (importDir === null) throw new WorkstationError('IMPORT_FOLDER_UNSET')
  const { files } = await importCandidates(importDir)
  // Compared with the listing itself: a name with a separator, `..` or a link is never in it.
  if (!files.some((file) => file.fileName === fileName)) throw new WorkstationError('IMPORT_FILE_NOT_OFFERED', fileName.slice(0, 80))
  return join(importDir, fileName)
}
