import { readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { build } from 'electron-vite'
import { repoRoot } from './cli.ts'

// The browser host serves the built renderer. Building takes seconds, so e2e tests build only when
// out/renderer is missing or older than a file it is built from.

const builtIndex = join(repoRoot, 'out/renderer/index.html')
const sources = ['renderer', 'electron/contract', 'electron.vite.config.ts', 'package.json']

async function newestChange(path: string): Promise<number> {
  const info = await stat(path)
  if (!info.isDirectory()) return info.mtimeMs
  const entries = await readdir(path, { withFileTypes: true, recursive: true })
  const times = await Promise.all(entries.filter((entry) => entry.isFile()).map(async (entry) => (await stat(join(entry.parentPath, entry.name))).mtimeMs))
  return Math.max(info.mtimeMs, ...times)
}

export async function ensureRendererBuilt(): Promise<void> {
  const built = await stat(builtIndex).then((info) => info.mtimeMs, () => 0)
  const changed = Math.max(...(await Promise.all(sources.map((source) => newestChange(join(repoRoot, source))))))
  if (built > changed) return
  await build({ root: repoRoot, logLevel: 'silent' })
}
