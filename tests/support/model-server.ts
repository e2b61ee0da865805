import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'

// A real HTTP server on loopback that serves files the way a model hub does (Range requests,
// ETag), and misbehaves on request: cut the connection mid-file, stall, or answer 404.

export interface ServedFile {
  body: Buffer
  etag?: string
  /** Further response headers (e.g. a hostile Content-Disposition). */
  headers?: Record<string, string>
}

export type Behaviour = 'normal' | { cutAfterBytes: number } | { stallAfterBytes: number } | 'not-found' | 'ignore-range'

export interface ModelServer {
  url: string
  requests: { path: string; range: string | undefined }[]
  /** The next request for a path behaves like this; later ones are normal. */
  once(path: string, behaviour: Behaviour): void
  close(): Promise<void>
}

export async function startModelServer(files: Record<string, ServedFile>): Promise<ModelServer> {
  const requests: ModelServer['requests'] = []
  const planned = new Map<string, Behaviour>()
  const sockets = new Set<Socket>()

  const handle = (request: IncomingMessage, response: ServerResponse) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname)
    requests.push({ path, range: request.headers.range })
    const behaviour = planned.get(path) ?? 'normal'
    planned.delete(path)
    const file = files[path]
    if (!file || behaviour === 'not-found') {
      response.writeHead(404).end('not found')
      return
    }
    let start = 0
    const range = /^bytes=(\d+)-$/.exec(request.headers.range ?? '')
    const ifRange = request.headers['if-range']
    if (range && behaviour !== 'ignore-range' && (!ifRange || ifRange === file.etag)) start = Number(range[1])
    if (start >= file.body.length && start > 0) {
      response.writeHead(416, { 'Content-Range': `bytes */${file.body.length}` }).end()
      return
    }
    const body = file.body.subarray(start)
    const headers: Record<string, string> = { 'Content-Length': String(body.length), 'Accept-Ranges': 'bytes' }
    if (file.etag) headers['ETag'] = file.etag
    Object.assign(headers, file.headers)
    if (start > 0) headers['Content-Range'] = `bytes ${start}-${file.body.length - 1}/${file.body.length}`
    response.writeHead(start > 0 ? 206 : 200, headers)
    if (typeof behaviour === 'object' && 'cutAfterBytes' in behaviour) {
      // The bytes reach the client, then the connection drops (as a flaky hospital network does).
      response.write(body.subarray(0, behaviour.cutAfterBytes), () => setTimeout(() => response.socket?.destroy(), 50))
    } else if (typeof behaviour === 'object' && 'stallAfterBytes' in behaviour) {
      // Sends part of the file, then nothing, holding the connection open.
      response.write(body.subarray(0, behaviour.stallAfterBytes))
    } else {
      response.end(body)
    }
  }

  const server: Server = createServer(handle)
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    once: (path, behaviour) => planned.set(path, behaviour),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      }),
  }
}

/** A loopback port nothing listens on (a server that is switched off). */
export async function unusedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}
