import { request as httpRequest } from 'node:http'
import { WebSocket } from 'ws'
import { HOST_CONTRACT_PROTOCOL, HOST_TOKEN_PROTOCOL_PREFIX, type HostClientMessage, type HostServerMessage } from '../../electron/contract/bridge.ts'
import type { Reply, WorkstationEvent } from '../../electron/contract/channels.ts'

// A client of the browser host speaking its WebSocket protocol directly, offering the token as the
// page does (a Sec-WebSocket-Protocol value) with the Origin a browser would send.

export interface RawResponse {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

/** One HTTP request with full control of the headers (Host included, which fetch will not set). */
export function rawGet(port: number, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: '127.0.0.1', port, path, method, headers: { Host: `127.0.0.1:${port}`, ...headers } }, (response) => {
      let body = ''
      response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk))
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }))
    })
    request.on('error', reject)
    request.end()
  })
}

/** The subprotocols the page offers: the contract's, and its token. */
export function tokenProtocols(token: string): string[] {
  return [HOST_CONTRACT_PROTOCOL, `${HOST_TOKEN_PROTOCOL_PREFIX}${token}`]
}

export class HostSocket {
  readonly socket: WebSocket
  readonly events: WorkstationEvent[] = []
  readonly #pending = new Map<number, (reply: Reply<unknown>) => void>()
  #nextId = 1

  private constructor(socket: WebSocket) {
    this.socket = socket
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as HostServerMessage
      if (message.kind === 'event') this.events.push(message.event)
      else {
        this.#pending.get(message.id)?.(message.reply)
        this.#pending.delete(message.id)
      }
    })
  }

  static open(port: number, token: string): Promise<HostSocket> {
    const socket = new WebSocket(`ws://127.0.0.1:${port}/ws`, tokenProtocols(token), { origin: `http://127.0.0.1:${port}` })
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve(new HostSocket(socket)))
      socket.once('error', reject)
    })
  }

  /** Sends a request frame as given (the input is not checked here) and waits for its reply. */
  request(name: unknown, input?: unknown): Promise<Reply<unknown>> {
    const id = this.#nextId++
    const frame: Omit<HostClientMessage, 'name'> & { name: unknown } = { kind: 'request', id, name, input }
    return this.sendRaw(JSON.stringify(frame), id)
  }

  /** Sends any text; the reply to `id` is awaited. */
  sendRaw(text: string, id: number): Promise<Reply<unknown>> {
    return new Promise((resolve, reject) => {
      this.#pending.set(id, resolve)
      this.socket.send(text, (error) => error && reject(error))
    })
  }

  async value<T>(name: string, input: unknown = {}): Promise<T> {
    const reply = await this.request(name, input)
    if (!reply.ok) throw new Error(`${name}: ${reply.error.code} ${reply.error.detail ?? ''}`)
    return reply.value as T
  }

  close(): void {
    this.socket.close()
  }
}

/** The clinician the end-to-end tests work as: the workstation's first account, a doctor who is also its admin. */
export const testClinician = { staffId: 'D0001', name: '测试医生', roles: ['doctor', 'admin'], department: '全科', pin: '482915' } as const

/**
 * Creates the first account and signs it in, as a clinician would at a new workstation's first
 * start. One clinician works at a workstation at a time, so the page's requests then act as them.
 */
export async function signInFirstClinician(port: number, token: string): Promise<void> {
  const socket = await HostSocket.open(port, token)
  try {
    await socket.value('session.firstAdmin', { ...testClinician, roles: [...testClinician.roles] })
  } finally {
    socket.close()
  }
}
