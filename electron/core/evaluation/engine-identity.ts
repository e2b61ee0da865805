import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

/** node-llama-cpp's version as installed (for the run's header): its package.json, found from its entry. */
export function nodeLlamaCppVersion(): string {
  try {
    let folder = dirname(createRequire(import.meta.url).resolve('node-llama-cpp'))
    for (let depth = 0; depth < 5; depth++) {
      try {
        const manifest = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as { name?: string; version?: string }
        if (manifest.name === 'node-llama-cpp' && manifest.version) return manifest.version
      } catch {
        // not at this level
      }
      folder = dirname(folder)
    }
  } catch {
    // not resolvable (a bundled build): say so rather than guess
  }
  return 'unknown'
}
