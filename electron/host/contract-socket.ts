import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocket, WebSocketServer, type RawData } from 'ws'
import { HOST_CONTRACT_PROTOCOL, type HostServerMessage } from '../contract/bridge.ts'
import type { Reply, WorkstationEvent } from '../contract/channels.ts'
import { WorkstationError } from '../core/errors.ts'
import { parseClientFrame, replyFrame, UNREADABLE_ID } from './client-message.ts'

// The contract over WebSocket: every frame becomes one Workstation.invoke (which validates the
// name and the input), and every workstation event goes to every connected page.

/** What the host needs of the workstation: the contract's two calls. */
export interface ContractEndpoint {
  invoke(name: unknown, input: unknown): Promise<Reply<unknown>>
  onEvent(listener: (event: WorkstationEvent) => void): () => void
}

/** Large enough for the longest message the contract accepts (20,000 characters, escaped), no larger. */
const MAX_FRAME_BYTES = 1024 * 1024

export class ContractSocket {
  readonly #server = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_FRAME_BYTES,
    perMessageDeflate: false,
    // The fixed protocol name is selected, never the token the client offered beside it.
    handleProtocols: (offered) => (offered.has(HOST_CONTRACT_PROTOCOL) ? HOST_CONTRACT_PROTOCOL : false),
  })
  readonly #endpoint: ContractEndpoint
  readonly #stopEvents: () => void

  constructor(endpoint: ContractEndpoint) {
    this.#endpoint = endpoint
    this.#server.on('connection', (socket) => this.#serve(socket))
    this.#stopEvents = endpoint.onEvent((event) => this.#broadcast({ kind: 'event', event }))
  }

  /** Completes a handshake the caller has already authorised. */
  accept(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.#server.handleUpgrade(request, socket, head, (client) => this.#server.emit('connection', client, request))
  }

  #serve(socket: WebSocket): void {
    // A broken connection only ends that page's session; it never takes the host down.
    socket.on('error', () => socket.terminate())
    socket.on('message', (data: RawData, isBinary: boolean) => {
      if (isBinary) {
        reply(socket, UNREADABLE_ID, refusal('binary frames are not part of the contract'))
        return
      }
      const frame = parseClientFrame(frameText(data))
      if (!frame.ok) {
        reply(socket, frame.id, { ok: false, error: frame.error })
        return
      }
      // Not awaited: a long consultation.send must not hold up the consultation.stop behind it.
      void this.#endpoint.invoke(frame.name, frame.input).then(
        (answer) => reply(socket, frame.id, answer),
        (error: unknown) => reply(socket, frame.id, internal(error)),
      )
    })
  }

  #broadcast(message: HostServerMessage): void {
    const text = JSON.stringify(message)
    for (const client of this.#server.clients) if (client.readyState === WebSocket.OPEN) client.send(text)
  }

  close(): void {
    this.#stopEvents()
    for (const client of this.#server.clients) client.close(1001, 'host stopping')
    this.#server.close()
  }
}

function frameText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8')
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8')
  return Buffer.from(data).toString('utf8')
}

function reply(socket: WebSocket, id: number, answer: Reply<unknown>): void {
  if (socket.readyState !== WebSocket.OPEN) return
  let text: string
  try {
    text = replyFrame(id, answer)
  } catch (error) {
    text = replyFrame(id, internal(error))
  }
  socket.send(text)
}

function refusal(detail: string): Reply<unknown> {
  return { ok: false, error: new WorkstationError('CONTRACT_INVALID_INPUT', detail).toPayload() }
}

function internal(error: unknown): Reply<unknown> {
  return { ok: false, error: new WorkstationError('INTERNAL', error instanceof Error ? error.message : String(error)).toPayload() }
}
