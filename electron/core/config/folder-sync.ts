import { open } from 'node:fs/promises'

/**
 * Flushes a folder, so a file just made or renamed in it is on disk under its new name too, not
 * only its bytes: it survives a power cut (POSIX; Windows cannot open a folder for this).
 */
export async function syncFolder(folder: string): Promise<void> {
  if (process.platform === 'win32') return
  const handle = await open(folder, 'r')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}
