import { readFile, stat } from 'node:fs/promises'
import { extname, join, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { WorkstationError } from '../core/errors.ts'

// The built renderer (`npm run build` → out/renderer), served as files. Nothing outside that folder
// is ever read, whatever the path asks for.

/** out/renderer from the sources (electron/host/) or from a bundle in out/main/. */
const candidates = [new URL('../../out/renderer', import.meta.url), new URL('../renderer', import.meta.url)].map((url) => fileURLToPath(url))

/** The folder holding the built index.html, or RENDERER_NOT_BUILT naming the command that builds it. */
export async function builtRendererDir(explicit?: string): Promise<string> {
  for (const dir of explicit ? [resolve(explicit)] : candidates) {
    const found = await stat(join(dir, 'index.html')).then((s) => s.isFile(), () => false)
    if (found) return dir
  }
  throw new WorkstationError('RENDERER_NOT_BUILT', `no index.html in ${explicit ? resolve(explicit) : candidates[0]}; run: npm run build`)
}

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
}

export interface RendererFile {
  body: Buffer
  contentType: string
}

/** The file a URL path names, or null: unknown types, dot-files and anything outside the folder are not served. */
export async function readRendererFile(rendererDir: string, pathname: string): Promise<RendererFile | null> {
  let relative: string
  try {
    relative = decodeURIComponent(pathname === '/' ? '/index.html' : pathname)
  } catch {
    return null
  }
  if (relative.includes('\0') || relative.split(/[\\/]/).some((segment) => segment.startsWith('.'))) return null
  const root = resolve(rendererDir)
  const path = resolve(root, `.${relative}`)
  if (!path.startsWith(root + sep)) return null
  const contentType = contentTypes[extname(path).toLowerCase()]
  if (!contentType) return null
  try {
    return { body: await readFile(path), contentType }
  } catch {
    return null
  }
}
