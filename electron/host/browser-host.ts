import { createServer, STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import { WorkstationError } from '../core/errors.ts'
import { AccessGate } from './access-gate.ts'
import { ContractSocket, type ContractEndpoint } from './contract-socket.ts'
import { hostWithPort } from './loopback-address.ts'
import { readRendererFile } from './renderer-files.ts'
import { securityHeaders } from './security-headers.ts'

// The browser host: the built renderer over HTTP and the contract over a WebSocket at /ws, on a
// loopback address. The page's files carry no secret and are served to any request naming this
// host; the contract is served only over a socket whose handshake offered this start's token (see
// AccessGate). No domain logic: every request goes to the workstation's invoke.

export interface BrowserHostOptions {
  workstation: ContractEndpoint
  rendererDir: string
  /** Already checked to be a loopback address (loopbackListenAddress). */
  address: string
  /** 0 lets the system choose. */
  port: number
}

export interface BrowserHost {
  /** The address to open, token in the fragment: `http://127.0.0.1:PORT/#token=…`. */
  readonly url: string
  readonly port: number
  close(): Promise<void>
}

export const CONTRACT_SOCKET_PATH = '/ws'

export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  const server = createServer()
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(error.code === 'EADDRINUSE' ? new WorkstationError('HOST_PORT_IN_USE', `port ${options.port}`) : error)
    })
    server.listen({ host: options.address, port: options.port, exclusive: true }, () => resolve())
  })
  // The handlers are attached in the same turn as the listen callback, before any connection is read.
  const port = (server.address() as AddressInfo).port
  const authority = hostWithPort(options.address, port)
  const gate = new AccessGate({ port, hostWithPort: authority })
  const contract = new ContractSocket(options.workstation)

  async function serveHttp(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const host = gate.allowedHost(request)
    const headers = securityHeaders(host)
    // A Host other than this host's own: someone else's domain name pointed at 127.0.0.1.
    if (!host) return respond(response, 403, headers)
    const url = new URL(request.url ?? '/', `http://${host}`)
    if (request.method !== 'GET' && request.method !== 'HEAD') return respond(response, 405, { ...headers, Allow: 'GET, HEAD' })
    const file = await readRendererFile(options.rendererDir, url.pathname)
    if (!file) return respond(response, 404, headers)
    response.writeHead(200, { ...headers, 'Content-Type': file.contentType, 'Content-Length': file.body.length })
    response.end(request.method === 'HEAD' ? undefined : file.body)
  }

  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    void serveHttp(request, response).catch(() => {
      if (!response.headersSent) respond(response, 500, securityHeaders(null))
      else response.destroy()
    })
  })
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy())
    const host = gate.allowedHost(request)
    if (!host) return refuseUpgrade(socket, 403, host)
    const url = new URL(request.url ?? '/', `http://${host}`)
    if (url.pathname !== CONTRACT_SOCKET_PATH) return refuseUpgrade(socket, 404, host)
    // Checked before any socket exists: no unauthenticated connection is ever open.
    if (!gate.acceptsHandshake(request)) return refuseUpgrade(socket, 401, host)
    // Browsers always send Origin on a WebSocket handshake: only the host's own page may connect.
    if (request.headers.origin !== `http://${host}`) return refuseUpgrade(socket, 403, host)
    contract.accept(request, socket, head)
  })
  server.on('clientError', (_error, socket) => socket.destroy())

  return {
    url: `http://${authority}/#token=${gate.token}`,
    port,
    close: async () => {
      contract.close()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

function respond(response: ServerResponse, status: number, headers: Record<string, string>): void {
  const body = `${status} ${STATUS_CODES[status] ?? ''}\n`
  response.writeHead(status, { ...headers, 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(body) })
  response.end(body)
}

function refuseUpgrade(socket: Duplex, status: number, host: string | null): void {
  const headers = Object.entries({ ...securityHeaders(host), Connection: 'close', 'Content-Length': '0' })
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('')
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n${headers}\r\n`)
}
