// What the preload exposes to the window as `window.workstation`, and what the browser host's
// WebSocket carries: the same two calls. Requests are the names declared in channels.ts; anything
// else is refused before it leaves the window.
import type { Reply, WorkstationEvent } from './channels.ts'

export interface WorkstationBridge {
  /** Answers with a Reply: errors arrive as {code, message, detail}, never as thrown exceptions. */
  invoke(name: string, input?: unknown): Promise<Reply<unknown>>
  /** Returns the function that stops listening. */
  onEvent(listener: (event: WorkstationEvent) => void): () => void
}

/** The WebSocket messages of the browser host (JSON text frames). */
export type HostClientMessage = { kind: 'request'; id: number; name: string; input?: unknown }
export type HostServerMessage = { kind: 'reply'; id: number; reply: Reply<unknown> } | { kind: 'event'; event: WorkstationEvent }

/**
 * The browser host's WebSocket subprotocols: the page offers the fixed contract protocol and its
 * access token as `huatuo.token.<token>`; the host selects the contract protocol only.
 */
export const HOST_CONTRACT_PROTOCOL = 'huatuo.v1'
export const HOST_TOKEN_PROTOCOL_PREFIX = 'huatuo.token.'
/** Where the page keeps the token it was opened with: sessionStorage, per origin (port included) and tab. */
export const HOST_TOKEN_STORAGE_KEY = 'huatuo.hostToken'
