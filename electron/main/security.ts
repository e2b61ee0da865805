import type { BrowserWindow, Session, Shell, WebContents } from 'electron'
import { contentSecurityPolicy } from '../contract/content-security-policy.ts'

// Electron's security checklist, applied in one place: no remote content, no navigation, no new
// windows, no permissions, and a strict Content-Security-Policy on every response.

/** The window's policy: the same one the browser host sends, without a WebSocket origin. */
export const CONTENT_SECURITY_POLICY = contentSecurityPolicy()

export const secureWebPreferences = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
  spellcheck: false,
} as const

export function secureSession(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false))
  session.setPermissionCheckHandler(() => false)
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } })
  })
}

/** Links to allowlisted hosts open in the system browser; everything else goes nowhere. */
export function isAllowedExternalLink(url: string, allowedHosts: readonly string[]): boolean {
  try {
    const parsed = new URL(url)
    return parsed.protocol === 'https:' && allowedHosts.includes(parsed.hostname)
  } catch {
    return false
  }
}

export function guardWindow(window: BrowserWindow, shell: Pick<Shell, 'openExternal'>, allowedHosts: readonly string[]): void {
  const contents: WebContents = window.webContents
  contents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternalLink(url, allowedHosts)) void shell.openExternal(url)
    return { action: 'deny' }
  })
  contents.on('will-navigate', (event) => event.preventDefault())
  contents.on('will-redirect', (event) => event.preventDefault())
  contents.on('will-attach-webview', (event) => event.preventDefault())
}

/**
 * The sender check of every IPC call: only the app's own top frame, showing the app's own page,
 * may talk to the workstation.
 */
export function isOwnFrame(frame: { url: string; parent: unknown } | null | undefined, appUrl: string): boolean {
  if (!frame || frame.parent !== null) return false
  try {
    const sender = new URL(frame.url)
    const own = new URL(appUrl)
    return sender.protocol === own.protocol && sender.host === own.host && sender.pathname === own.pathname
  } catch {
    return false
  }
}
