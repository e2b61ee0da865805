import type { Protocol } from 'electron'
import { contentSecurityPolicy } from '../contract/content-security-policy.ts'
import { readRendererFile } from '../host/renderer-files.ts'

// The window's page comes from the app's own privileged scheme, not file://: under file://,
// `script-src 'self'` admits a script from any folder on the disk, and file pages get extra
// privileges (the GrantFileProtocolExtraPrivileges fuse is off in electron-builder.yml). The
// scheme's own responses carry the Content-Security-Policy (header hooks have not always fired for
// custom schemes), and serve only the built renderer's files.

export const APP_SCHEME = 'huatuo'
const APP_HOST = 'app'
/** The page's address: the origin the IPC sender check compares against. */
export const APP_PAGE_URL = `${APP_SCHEME}://${APP_HOST}/index.html`

/** Before the app is ready: a standard, secure scheme (its own origin, like https), able to fetch its own files. */
export function registerAppScheme(protocol: Pick<Protocol, 'registerSchemesAsPrivileged'>): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }])
}

const policy = contentSecurityPolicy()

function refused(status: number): Response {
  return new Response(null, { status, headers: { 'Content-Security-Policy': policy, 'X-Content-Type-Options': 'nosniff' } })
}

/** Answers one request of the app scheme from the built renderer folder. */
export async function appSchemeResponse(rendererDir: string, request: Pick<Request, 'url' | 'method'>): Promise<Response> {
  let url: URL
  try {
    url = new URL(request.url)
  } catch {
    return refused(400)
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return refused(404)
  if (request.method !== 'GET' && request.method !== 'HEAD') return refused(405)
  const file = await readRendererFile(rendererDir, url.pathname)
  if (!file) return refused(404)
  return new Response(request.method === 'HEAD' ? null : new Uint8Array(file.body), {
    status: 200,
    headers: {
      'Content-Type': file.contentType,
      'Content-Security-Policy': policy,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-store',
    },
  })
}

/** After the app is ready: the scheme serves the renderer (and nothing else). */
export function serveAppScheme(protocol: Pick<Protocol, 'handle'>, rendererDir: string): void {
  protocol.handle(APP_SCHEME, (request) => appSchemeResponse(rendererDir, request))
}
