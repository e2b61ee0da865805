import { HOST_TOKEN_STORAGE_KEY } from '../../../electron/contract/bridge.ts'

// Imported first by main.ts, so it runs before anything else on the page: the browser host's
// access token arrives in the address's fragment (#token=…, never sent in a request). It moves to
// sessionStorage — this origin (port included) and this tab only — and leaves the address bar and
// the history at once, so no later script, link or screenshot carries it.

const match = /^#token=([A-Za-z0-9_-]{20,200})$/.exec(window.location.hash)
if (match) {
  window.sessionStorage.setItem(HOST_TOKEN_STORAGE_KEY, match[1]!)
  window.history.replaceState(null, '', `${window.location.pathname}${window.location.search}`)
}

/** The token this tab was opened with, or null (the app's window has none: it talks through the preload). */
export function hostToken(): string | null {
  return window.sessionStorage.getItem(HOST_TOKEN_STORAGE_KEY)
}
