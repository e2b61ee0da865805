import { statfs } from 'node:fs/promises'
import { WorkstationError } from '../../errors.ts'

/** Bytes a non-root user may still write in the folder's filesystem. */
export type FreeSpaceProbe = (folder: string) => Promise<number>

export const freeSpaceOf: FreeSpaceProbe = async (folder) => {
  const stats = await statfs(folder)
  return stats.bavail * stats.bsize
}

/** Keep some room free: a full disk also stops the record store from saving consultations. */
const RESERVE_BYTES = 256 * 2 ** 20

export async function ensureFreeSpace(folder: string, neededBytes: number, probe: FreeSpaceProbe = freeSpaceOf): Promise<void> {
  const free = await probe(folder)
  if (free < neededBytes + RESERVE_BYTES) {
    const gib = (bytes: number) => `${(bytes / 2 ** 30).toFixed(2)} GiB`
    throw new WorkstationError('DISK_FULL', `needs ${gib(neededBytes)} plus ${gib(RESERVE_BYTES)} to spare; ${gib(free)} free in ${folder}`, {
      data: { neededBytes, freeBytes: free },
    })
  }
}

/** A write that ran out of space mid-way reports DISK_FULL, like the check before it. */
export function asDiskFull(error: unknown): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  return code === 'ENOSPC' || code === 'EDQUOT' ? new WorkstationError('DISK_FULL', code, { cause: error }) : error
}
