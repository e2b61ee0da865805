import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { chmod, mkdir, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { WorkstationError } from '../errors.ts'

// What the workstation keeps is the user's alone: the data folder, the models folder and the
// backup folders are 0700, the database (with its -wal and -shm), backups and exports 0600, on
// POSIX whatever umask or configuration. On Windows mode bits mean nothing: the folder's ACL
// protects it, and `findFolderExposure` tells the shell to warn when everyone may read it.

export const PRIVATE_FOLDER_MODE = 0o700
export const PRIVATE_FILE_MODE = 0o600

/**
 * Creates the folder (and any missing parents) 0700. With `tightenExisting`, an existing folder
 * that this user owns and that group or others may open is made 0700 too (a folder another user
 * or IT owns is left as it is: `findFolderExposure` reports it).
 */
export async function ensurePrivateFolder(path: string, options: { tightenExisting?: boolean; platform?: NodeJS.Platform } = {}): Promise<void> {
  await mkdir(path, { recursive: true, mode: PRIVATE_FOLDER_MODE })
  if (options.tightenExisting) await tighten(path, PRIVATE_FOLDER_MODE, options.platform ?? process.platform)
}

/** Makes an existing folder this user owns private (0700) without creating it; absent folders are fine. POSIX only. */
export async function keepFolderPrivate(path: string, platform: NodeJS.Platform = process.platform): Promise<void> {
  await tighten(path, PRIVATE_FOLDER_MODE, platform)
}

/** Makes a file this user owns readable and writable by its owner only (0600); absent files are fine. POSIX only. */
export async function keepOwnerOnly(path: string, platform: NodeJS.Platform = process.platform): Promise<void> {
  await tighten(path, PRIVATE_FILE_MODE, platform)
}

async function tighten(path: string, mode: number, platform: NodeJS.Platform): Promise<void> {
  if (platform === 'win32') return
  let info
  try {
    info = await stat(path)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return
    throw error
  }
  if ((info.mode & 0o077) === 0) return
  const uid = process.getuid?.()
  if (uid !== undefined && info.uid !== uid) return
  await chmod(path, mode)
}

/** Who besides the owner may read a folder. */
export interface FolderExposure {
  folder: string
  /**
   * On POSIX `group` and/or `others` (by the mode bits); on Windows the broad groups an ACL grants
   * read access to (Everyone, Authenticated Users, Users, …).
   */
  readers: string[]
}

export interface FolderExposureOptions {
  platform?: NodeJS.Platform
  /** The folder's security descriptor in SDDL (Windows); default: read with icacls. */
  readSddl?: (folder: string) => Promise<string>
}

/**
 * Whether the folder can be read by more than its owner (and administrators): null when not. The
 * shells call it at start for the data folder and warn (`dataFolderWarning`). On Windows it reads
 * the ACL with `icacls /save`, whose SDDL names groups by well-known SIDs in every language.
 */
export async function findFolderExposure(folder: string, options: FolderExposureOptions = {}): Promise<FolderExposure | null> {
  const platform = options.platform ?? process.platform
  if (platform === 'win32') {
    const readers = sddlBroadReaders(await (options.readSddl ?? readSddlWithIcacls)(folder))
    return readers.length === 0 ? null : { folder, readers }
  }
  // A folder not made yet (the database lives elsewhere) exposes nothing.
  const info = await stat(folder).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null
    throw error
  })
  if (info === null) return null
  const { mode } = info
  const readers = [...((mode & 0o050) !== 0 ? ['group'] : []), ...((mode & 0o005) !== 0 ? ['others'] : [])]
  return readers.length === 0 ? null : { folder, readers }
}

/** The warning a shell shows at start (DATA_FOLDER_EXPOSED, readers in the detail), or null. */
export async function dataFolderWarning(folder: string, options: FolderExposureOptions = {}): Promise<WorkstationError | null> {
  const exposure = await findFolderExposure(folder, options)
  if (exposure === null) return null
  return new WorkstationError('DATA_FOLDER_EXPOSED', `${exposure.folder}: readable by ${exposure.readers.join(', ')}`, {
    data: { readers: exposure.readers.join(', ') },
  })
}

/** Well-known SIDs (and their SDDL aliases) that stand for many people, not one clinician. */
const broadGroups: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['Everyone', ['WD', 'S-1-1-0']],
  ['Anonymous', ['AN', 'S-1-5-7']],
  ['Authenticated Users', ['AU', 'S-1-5-11']],
  ['Interactive', ['IU', 'S-1-5-4']],
  ['Network', ['NU', 'S-1-5-2']],
  ['Users', ['BU', 'S-1-5-32-545']],
  ['Guests', ['BG', 'S-1-5-32-546']],
]

/** GENERIC_ALL, GENERIC_READ and FILE_READ_DATA (LIST_DIRECTORY on a folder). */
const readMask = 0x10000000 | 0x80000000 | 0x1
/** SDDL right names that include reading the contents (CC is bit 0x1 under its directory-service name). */
const readRightNames = new Set(['FA', 'FR', 'GA', 'GR', 'CC'])

function grantsRead(rights: string): boolean {
  if (/^0x[0-9a-f]+$/i.test(rights)) return (Number.parseInt(rights.slice(2), 16) & readMask) !== 0
  return (rights.match(/../g) ?? []).some((name) => readRightNames.has(name.toUpperCase()))
}

/**
 * The broad groups an SDDL security descriptor's DACL allows to read, on the folder itself or on
 * what is created in it (inherited entries count: they reach the database file).
 */
export function sddlBroadReaders(sddl: string): string[] {
  const dacl = /D:[^(]*((?:\([^)]*\))*)/.exec(sddl)?.[1] ?? ''
  const readers = new Set<string>()
  for (const [, ace] of dacl.matchAll(/\(([^)]*)\)/g)) {
    const [type, , rights, , , sid] = (ace ?? '').split(';')
    if ((type !== 'A' && type !== 'OA') || rights === undefined || sid === undefined || !grantsRead(rights)) continue
    const group = broadGroups.find(([, names]) => names.includes(sid.toUpperCase()))
    if (group) readers.add(group[0])
  }
  return [...readers]
}

/** `icacls FOLDER /save FILE` writes the folder's name, then its SDDL, in UTF-16. Windows only. */
async function readSddlWithIcacls(folder: string): Promise<string> {
  const saved = join(tmpdir(), `huatuo-acl-${process.pid}-${randomBytes(4).toString('hex')}.txt`)
  try {
    await new Promise<void>((resolve, reject) => {
      execFile('icacls', [folder, '/save', saved, '/q'], { windowsHide: true, timeout: 15_000 }, (error) => (error ? reject(error) : resolve()))
    })
    const bytes = await readFile(saved)
    const text = bytes[1] === 0 || (bytes[0] === 0xff && bytes[1] === 0xfe) ? bytes.toString('utf16le') : bytes.toString('utf8')
    return text.replace(/^\uFEFF/, '').split(/\r?\n/).find((line) => line.startsWith('D:') || /^O:|^G:/.test(line)) ?? ''
  } finally {
    await rm(saved, { force: true })
  }
}
