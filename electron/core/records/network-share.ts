import { execFileSync } from 'node:child_process'
import { realpathSync, statfsSync } from 'node:fs'
import { win32 } from 'node:path'

/**
 * SQLite's WAL journal keeps its index in shared memory beside the database, which network file
 * systems do not provide reliably (https://www.sqlite.org/wal.html): on a share, a WAL database can
 * be corrupted. The data folder must therefore be on a local disk, and this finds out.
 */
export interface DataFolderFilesystem {
  networkShare: boolean
  /** A short name for the log and the error detail: "nfs", "cifs", "unc", "local", … */
  filesystem: string
}

export type NetworkShareProbe = (folder: string) => DataFolderFilesystem

/** statfs f_type magic numbers (Linux <linux/magic.h> and the file systems' own headers). */
export const networkFilesystemTypes: ReadonlyMap<number, string> = new Map([
  [0x6969, 'nfs'],
  [0x517b, 'smb'],
  [0xff534d42, 'cifs'],
  [0xfe534d42, 'smb2'],
  [0x5346414f, 'afs'],
  [0x73757245, 'coda'],
  [0x00c36400, 'ceph'],
  [0x01021997, '9p'],
  [0x0bd00bd0, 'lustre'],
  [0x47504653, 'gpfs'],
  [0x6b414653, 'kafs'],
])

/** macOS mount(8) type names of network file systems. */
const macNetworkTypes = new Set(['nfs', 'smbfs', 'afpfs', 'webdav', 'cifs', 'ftp'])

export function classifyLinuxFilesystem(type: number): DataFolderFilesystem {
  const name = networkFilesystemTypes.get(type >>> 0)
  return name === undefined ? { networkShare: false, filesystem: `0x${(type >>> 0).toString(16)}` } : { networkShare: true, filesystem: name }
}

/** \\server\share\… and \\?\UNC\server\share\… are shares; \\?\C:\… and \\.\… are local. */
export function isUncPath(path: string): boolean {
  if (/^\\\\\?\\UNC\\/i.test(path)) return true
  if (/^\\\\[?.]\\/.test(path)) return false
  return /^\\\\[^\\]+\\[^\\]+/.test(path)
}

/** The type of the mount that holds `folder`, from mount(8) output lines "dev on /mnt/x (type, …)". */
export function macMountType(mountOutput: string, folder: string): string | null {
  let best: { point: string; type: string } | null = null
  for (const line of mountOutput.split('\n')) {
    const match = /^.+? on (.+) \(([^,)]+)/.exec(line)
    if (!match) continue
    const point = match[1] as string
    const inside = folder === point || folder.startsWith(point.endsWith('/') ? point : `${point}/`)
    if (inside && (best === null || point.length > best.point.length)) best = { point, type: match[2] as string }
  }
  return best?.type ?? null
}

export const probeDataFolder: NetworkShareProbe = (folder) => {
  if (process.platform === 'win32') {
    // Mapped drive letters cannot be told apart without native code; UNC paths can.
    return isUncPath(win32.resolve(folder)) ? { networkShare: true, filesystem: 'unc' } : { networkShare: false, filesystem: 'local' }
  }
  const real = realpathSync(folder)
  if (process.platform === 'darwin') {
    // f_type numbers are not stable on macOS; mount(8) names the file system.
    try {
      const type = macMountType(execFileSync('/sbin/mount', { encoding: 'utf8', timeout: 5000 }), real)
      return { networkShare: type !== null && macNetworkTypes.has(type), filesystem: type ?? 'unknown' }
    } catch {
      return { networkShare: false, filesystem: 'unknown' }
    }
  }
  return classifyLinuxFilesystem(statfsSync(real).type)
}
