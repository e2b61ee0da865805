import { randomBytes } from 'node:crypto'
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs'
import { constants, link, mkdir, open, unlink } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { syncFolder } from '../config/folder-sync.ts'
import { WorkstationError } from '../errors.ts'

// A secret kept in a file that only its owner may read (the audit chain's key). POSIX modes are
// what protect it on Linux and macOS; on Windows the data folder's ACL (the user's profile) does,
// and the mode bits Node reports there mean nothing, so they are not checked.

export interface OwnerOnlyFileOptions {
  platform?: NodeJS.Platform
  /** The user who must own the file; default the current one. */
  uid?: number
}

const largestSecretFile = 64 * 1024

function failure(error: unknown, path: string): WorkstationError {
  const code = (error as NodeJS.ErrnoException).code ?? 'unknown'
  if (code === 'ELOOP') return new WorkstationError('AUDIT_KEY_EXPOSED', `${path}: a symbolic link`)
  if (code === 'ENOSPC' || code === 'EDQUOT') return new WorkstationError('DISK_FULL', `${path}: ${code}`, { cause: error })
  return new WorkstationError('AUDIT_KEY_UNAVAILABLE', `${path}: ${code}`, { cause: error })
}

/**
 * The file's bytes, or null when there is no such file. Refuses (AUDIT_KEY_EXPOSED) a file that
 * group or others may read or write, that another user owns, or that is a symbolic link: a key
 * others can read lets them forge the chain, and one they planted is one they know. Checked on the
 * open file itself, so the file cannot be swapped between the check and the read.
 */
export async function readOwnerOnlyFile(path: string, options: OwnerOnlyFileOptions = {}): Promise<Buffer | null> {
  const platform = options.platform ?? process.platform
  let handle
  try {
    handle = await open(path, constants.O_RDONLY | (platform === 'win32' ? 0 : constants.O_NOFOLLOW))
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw failure(error, path)
  }
  try {
    const info = await handle.stat()
    if (!info.isFile()) throw new WorkstationError('AUDIT_KEY_UNAVAILABLE', `${path}: not a file`)
    if (platform !== 'win32') {
      if ((info.mode & 0o077) !== 0) throw new WorkstationError('AUDIT_KEY_EXPOSED', `${path}: mode ${(info.mode & 0o777).toString(8)}, must be 600`)
      const uid = options.uid ?? process.getuid?.()
      // root may read a key another user owns (IT verifying with sudo); nobody else may.
      if (uid !== undefined && uid !== 0 && info.uid !== uid) throw new WorkstationError('AUDIT_KEY_EXPOSED', `${path}: owned by user ${info.uid}, not ${uid}`)
    }
    if (info.size > largestSecretFile) throw new WorkstationError('AUDIT_KEY_INVALID', `${path}: ${info.size} bytes`)
    return await handle.readFile()
  } catch (error) {
    throw error instanceof WorkstationError ? error : failure(error, path)
  } finally {
    await handle.close()
  }
}

/** A new 0600 file (its folder 0700 when new) holding the bytes, flushed to disk. */
async function writeFlushed(path: string, bytes: Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 })
  const handle = await open(path, 'wx', 0o600)
  try {
    await handle.writeFile(bytes)
    await handle.sync()
  } finally {
    await handle.close()
  }
}

/**
 * Creates the file with mode 0600 (its folder 0700 when new), complete or not at all: written
 * beside it, flushed, then linked into place, which fails if the file exists. Returns false when
 * another process created it first (the caller reads that one instead).
 */
export async function createOwnerOnlyFile(path: string, bytes: Uint8Array): Promise<boolean> {
  const folder = dirname(path)
  const temporary = join(folder, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`)
  try {
    await writeFlushed(temporary, bytes)
    try {
      await link(temporary, path)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false
      throw error
    }
    await syncFolder(folder)
    return true
  } catch (error) {
    throw failure(error, path)
  } finally {
    await unlink(temporary).catch(() => undefined)
  }
}

/**
 * Replaces the file's content, mode 0600 (its folder 0700 when new), complete or not at all: a
 * temporary file beside it, written and flushed, then renamed over it, then the folder flushed.
 * For small files that change (the audit chain's anchored head), never for the key itself.
 *
 * `stillWanted` is asked right before the rename, which is synchronous so that nothing else in
 * this process runs between the answer and the rename: a newer write made meanwhile (synchronously,
 * as a store closes) is never replaced by this older one. Returns whether the file was replaced.
 */
export async function replaceOwnerOnlyFile(path: string, bytes: Uint8Array, stillWanted: () => boolean = () => true): Promise<boolean> {
  const folder = dirname(path)
  const temporary = join(folder, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`)
  try {
    await writeFlushed(temporary, bytes)
    if (!stillWanted()) {
      await unlink(temporary)
      return false
    }
    renameSync(temporary, path)
    await syncFolder(folder)
    return true
  } catch (error) {
    await unlink(temporary).catch(() => undefined)
    throw failure(error, path)
  }
}

/** replaceOwnerOnlyFile, synchronously: for the last write as a store closes (close is synchronous). */
export function replaceOwnerOnlyFileSync(path: string, bytes: Uint8Array): void {
  const folder = dirname(path)
  const temporary = join(folder, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`)
  try {
    mkdirSync(folder, { recursive: true, mode: 0o700 })
    const fd = openSync(temporary, 'wx', 0o600)
    try {
      writeSync(fd, bytes)
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
    renameSync(temporary, path)
    if (process.platform !== 'win32') {
      const folderFd = openSync(folder, 'r')
      try {
        fsyncSync(folderFd)
      } finally {
        closeSync(folderFd)
      }
    }
  } catch (error) {
    try {
      unlinkSync(temporary)
    } catch {
      // Already renamed, or never made.
    }
    throw failure(error, path)
  }
}
