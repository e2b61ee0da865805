import { randomBytes } from 'node:crypto'
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { LibraryModel } from '../../../contract/models.ts'
import { WorkstationError } from '../../errors.ts'
import { asDiskFull } from './disk-space.ts'
import { flushToDisk } from './hashing-copy.ts'

// library.json in the models folder: one entry per model (where it came from, its hash, when and
// by whom it was added). Written whole to a temporary file and renamed, so a crash leaves either
// the old or the new list, never half of one.

const MANIFEST = 'library.json'

interface ManifestFile {
  version: 1
  models: LibraryModel[]
}

export async function readManifest(modelsDir: string): Promise<LibraryModel[]> {
  let text: string
  try {
    text = await readFile(join(modelsDir, MANIFEST), 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw error
  }
  try {
    const parsed = JSON.parse(text) as ManifestFile
    if (parsed.version !== 1 || !Array.isArray(parsed.models)) throw new Error('unexpected shape')
    return parsed.models
  } catch (error) {
    throw new WorkstationError('CONFIG_INVALID', `${join(modelsDir, MANIFEST)}: ${(error as Error).message}`)
  }
}

export async function writeManifest(modelsDir: string, models: LibraryModel[]): Promise<void> {
  // The models folder is private (0700) where the workstation creates it.
  await mkdir(modelsDir, { recursive: true, mode: 0o700 })
  const target = join(modelsDir, MANIFEST)
  const temporary = `${target}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`
  const file: ManifestFile = { version: 1, models }
  try {
    await writeFile(temporary, `${JSON.stringify(file, null, 2)}\n`, { flag: 'wx' })
    await flushToDisk(temporary)
    await rename(temporary, target)
  } catch (error) {
    await rm(temporary, { force: true })
    throw asDiskFull(error)
  }
}

/** Read, change and write the list in one step (one process at a time changes a models folder). */
export async function updateManifest(modelsDir: string, change: (models: LibraryModel[]) => LibraryModel[]): Promise<LibraryModel[]> {
  const next = change(await readManifest(modelsDir))
  await writeManifest(modelsDir, next)
  return next
}
