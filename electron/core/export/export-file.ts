import { randomBytes } from 'node:crypto'
import { link, lstat, open, rename, unlink } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { syncFolder } from '../config/folder-sync.ts'
import { WorkstationError } from '../errors.ts'

/** File systems without hard links (FAT and exFAT USB drives, some shares) answer link() with these. */
const noHardLinks = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV', 'EMLINK'])

function writeFailure(error: unknown): WorkstationError {
  if (error instanceof WorkstationError) return error
  const code = (error as NodeJS.ErrnoException).code ?? 'unknown'
  // The error names the errno only: an export's file name may carry the patient's name.
  if (code === 'ENOSPC' || code === 'EDQUOT') return new WorkstationError('DISK_FULL', `export: ${code}`, { cause: error })
  return new WorkstationError('OUTPUT_UNWRITABLE', `export: ${code}`, { cause: error })
}

async function exists(path: string): Promise<boolean> {
  return lstat(path).then(
    () => true,
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return false
      throw error
    },
  )
}

/**
 * Writes an export, readable by its owner only (0600), so that the file at `path` is either absent or complete: the bytes go to a
 * temporary file beside it, are flushed to disk, and only then take the final name. An existing file
 * is never replaced (EXPORT_TARGET_EXISTS): the final name is taken with link(), which refuses an
 * existing name atomically; where the file system has no hard links, a check and a rename.
 */
export async function writeNewFile(path: string, bytes: Uint8Array): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.partial`)
  let written = false
  try {
    if (await exists(path)) throw new WorkstationError('EXPORT_TARGET_EXISTS')
    // 0600: an export holds a patient's record, readable by the clinician's account only (whatever the umask).
    const file = await open(temporary, 'wx', 0o600)
    try {
      await file.writeFile(bytes)
      await file.sync()
    } finally {
      await file.close()
    }
    written = true
    try {
      await link(temporary, path)
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? ''
      if (code === 'EEXIST') throw new WorkstationError('EXPORT_TARGET_EXISTS')
      if (!noHardLinks.has(code)) throw error
      if (await exists(path)) throw new WorkstationError('EXPORT_TARGET_EXISTS')
      await rename(temporary, path)
      written = false
    }
    await syncFolder(dirname(path))
  } catch (error) {
    throw writeFailure(error)
  } finally {
    if (written) await unlink(temporary).catch(() => undefined)
  }
}

/** Removes an export whose logging failed, so no file exists that the log does not know of. */
export async function removeUnloggedExport(path: string): Promise<void> {
  await unlink(path).catch(() => undefined)
}
