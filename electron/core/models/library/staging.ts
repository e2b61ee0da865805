import { mkdtemp, readdir, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'

// Imports and finished downloads are assembled in a staging folder inside the models folder (same
// filesystem, so publishing is one atomic rename). The folder name carries the process id, so a
// staging folder left by a killed process can be recognised and removed.

const PREFIX = '.staging-'

export async function createStagingFolder(modelsDir: string): Promise<string> {
  // mkdtemp makes it 0700, and so stays the model's folder once published: private like the models folder.
  return mkdtemp(join(modelsDir, `${PREFIX}${process.pid}-`))
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Removes staging folders whose process is gone (an import killed mid-copy leaves nothing behind). */
export async function removeAbandonedStaging(modelsDir: string): Promise<number> {
  const entries = await readdir(modelsDir).catch(() => [] as string[])
  let removed = 0
  for (const name of entries) {
    const match = /^\.staging-(\d+)-/.exec(name)
    if (!match) continue
    const pid = Number(match[1])
    if (pid !== process.pid && isAlive(pid)) continue
    if (pid === process.pid) continue
    const path = join(modelsDir, name)
    if ((await stat(path).catch(() => null))?.isDirectory()) {
      await rm(path, { recursive: true, force: true })
      removed++
    }
  }
  return removed
}
