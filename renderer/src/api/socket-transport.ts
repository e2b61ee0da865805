import {
  HOST_CONTRACT_PROTOCOL,
  HOST_TOKEN_PROTOCOL_PREFIX,
  type HostClientMessage,
  type HostServerMessage,
  type WorkstationBridge,
} from '../../../electron/contract/bridge.ts'
import type { Reply, WorkstationEvent } from '../../../electron/contract/channels.ts'
import { errorMessages } from '../../../electron/contract/errors.ts'
import { isRequestName } from '../../../electron/contract/request-names.ts'
import { connectionLost } from './request-error.ts'

// The contract over the browser host's WebSocket (same origin; the handshake offers the tab's token).
// It behaves like the preload bridge: undeclared names are refused here, and every answer —
// including a lost connection — arrives as a Reply, never as a thrown error.

type Pending = (reply: Reply<unknown>) => void

export class SocketTransport implements WorkstationBridge {
  readonly #url: string
  readonly #token: string | null
  readonly #pending = new Map<number, Pending>()
  readonly #listeners = new Set<(event: WorkstationEvent) => void>()
  #socket: Promise<WebSocket> | undefined
  #nextId = 1

  constructor(url: string, token: string | null) {
    this.#url = url
    this.#token = token
  }

  invoke(name: string, input?: unknown): Promise<Reply<unknown>> {
    if (!isRequestName(name)) {
      return Promise.resolve({ ok: false, error: { code: 'CONTRACT_UNKNOWN_REQUEST', message: errorMessages.CONTRACT_UNKNOWN_REQUEST.en } })
    }
    const id = this.#nextId++
    const message: HostClientMessage = { kind: 'request', id, name, input: input ?? {} }
    if (this.#token === null) {
      return Promise.resolve({ ok: false, error: { code: 'HOST_TOKEN_MISSING', message: errorMessages.HOST_TOKEN_MISSING.en } })
    }
    return new Promise((resolve) => {
      this.#pending.set(id, resolve)
      this.#connected().then(
        (socket) => socket.send(JSON.stringify(message)),
        () => this.#settle(id, { ok: false, error: connectionLost('the workstation cannot be reached') }),
      )
    })
  }

  onEvent(listener: (event: WorkstationEvent) => void): () => void {
    this.#listeners.add(listener)
    // Events flow only over an open socket.
    if (this.#token !== null) void this.#connected().catch(() => undefined)
    return () => {
      this.#listeners.delete(listener)
    }
  }

  #settle(id: number, reply: Reply<unknown>): void {
    const resolve = this.#pending.get(id)
    this.#pending.delete(id)
    resolve?.(reply)
  }

  /** The open socket, opened again on demand after a loss. */
  #connected(): Promise<WebSocket> {
    this.#socket ??= new Promise<WebSocket>((resolve, reject) => {
      // The token travels as a subprotocol value of the handshake; the host answers with the contract's own.
      const socket = new WebSocket(this.#url, [HOST_CONTRACT_PROTOCOL, `${HOST_TOKEN_PROTOCOL_PREFIX}${this.#token ?? ''}`])
      socket.addEventListener('open', () => resolve(socket), { once: true })
      socket.addEventListener('message', (event: { data: unknown }) => {
        if (typeof event.data === 'string') this.#receive(event.data)
      })
      // A failed connection reports an error and then closes; the close handler settles everything.
      socket.addEventListener('error', () => undefined)
      socket.addEventListener('close', () => {
        this.#socket = undefined
        reject(new Error('closed'))
        // Whatever was asked and not answered will not be answered now.
        for (const id of [...this.#pending.keys()]) this.#settle(id, { ok: false, error: connectionLost('the connection closed') })
      })
    })
    return this.#socket
  }

  #receive(text: string): void {
    let message: HostServerMessage
    try {
      message = JSON.parse(text) as HostServerMessage
    } catch {
      return
    }
    if (message.kind === 'reply') this.#settle(message.id, message.reply)
    else if (message.kind === 'event') for (const listener of this.#listeners) listener(message.event)
  }
}

/** The host serves its contract at /ws on the page's own origin. */
export function hostSocketUrl(location: { protocol: string; host: string }): string {
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/ws`
}
