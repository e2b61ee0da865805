// Where the hospital inference server is and how to reach it safely: HTTPS except on loopback,
// certificates checked against the system roots plus the hospital CA, and every failure mapped to
// a stable code. Nothing here logs: not the API key, not any text of a consultation.
import http from 'node:http'
import https from 'node:https'
import type { LookupFunction } from 'node:net'
import tls from 'node:tls'
import { WorkstationError } from '../../errors.ts'

export interface RemoteServer {
  /** The server's root, e.g. https://gpu1.hospital.local:8000 (paths such as /v1/models are added). */
  url: string
  /** Sent as `Authorization: Bearer …`; never logged, never put in an error's detail. */
  apiKey?: string | (() => string)
  /** The hospital's own CA (PEM), trusted beside the system roots. */
  hospitalCa?: string
  /** From the request until the connection (and TLS handshake) is up. Default 10 s. */
  connectTimeoutMs?: number
  /** The longest silence allowed while waiting for the response or between chunks. Default 120 s. */
  idleTimeoutMs?: number
  /** Name resolution (tests replace it). */
  lookup?: LookupFunction
}

const DEFAULT_CONNECT_TIMEOUT_MS = 10_000
const DEFAULT_IDLE_TIMEOUT_MS = 120_000

/** localhost, 127.0.0.0/8 and ::1: the only hosts that may be reached over plain http. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase()
  if (host === 'localhost' || host.endsWith('.localhost') || host === '::1') return true
  if (/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)) return true
  return /^::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)
}

/** Parses and checks the server address: https anywhere, http only on loopback. */
export function serverUrl(server: Pick<RemoteServer, 'url'>, path: string): URL {
  let base: URL
  try {
    base = new URL(server.url)
  } catch {
    throw new WorkstationError('REMOTE_INSECURE_URL', 'the server address is not a URL')
  }
  if (base.protocol !== 'https:' && base.protocol !== 'http:') throw new WorkstationError('REMOTE_INSECURE_URL', `protocol ${base.protocol}`)
  if (base.protocol === 'http:' && !isLoopbackHost(base.hostname)) {
    throw new WorkstationError('REMOTE_INSECURE_URL', `http:// to ${base.hostname}`)
  }
  if (base.username || base.password) throw new WorkstationError('REMOTE_INSECURE_URL', 'credentials in the server address')
  // A gateway may mount the server under a path; a trailing /v1 is how OpenAI clients write a
  // base URL, and is the API's own prefix here (paths carry it), so it is not doubled.
  const prefix = base.pathname.replace(/\/+$/, '').replace(/\/v1$/, '')
  return new URL(`${base.origin}${prefix}${path}`)
}

/**
 * The trusted roots: Node's `ca` option replaces the system roots, so the hospital CA is added to
 * them rather than given alone. Undefined (Node's defaults) without a hospital CA.
 */
export function trustedRoots(hospitalCa: string | undefined): string[] | undefined {
  return hospitalCa === undefined ? undefined : [...tls.rootCertificates, hospitalCa]
}

export function requestHeaders(server: RemoteServer, body: boolean): Record<string, string> {
  const headers: Record<string, string> = { accept: 'application/json, text/event-stream, application/x-ndjson' }
  if (body) headers['content-type'] = 'application/json'
  // A function when the shell keeps the key sealed (Electron's safeStorage): opened only for this request.
  const apiKey = typeof server.apiKey === 'function' ? server.apiKey() : server.apiKey
  if (apiKey) headers['authorization'] = `Bearer ${apiKey}`
  return headers
}

export interface OpenedRequest {
  request: http.ClientRequest
  /** Restarts the silence timer (called on every chunk). */
  touch(): void
  /** Clears every timer. */
  done(): void
}

/**
 * Starts one HTTP request with the connect and silence timeouts armed; `onTimeout` receives
 * REMOTE_CONNECT_TIMEOUT or REMOTE_STALLED. Errors of the socket go to the request's 'error'.
 */
export function openRequest(
  server: RemoteServer,
  method: 'GET' | 'POST',
  path: string,
  body: unknown,
  onResponse: (response: http.IncomingMessage) => void,
  onTimeout: (error: WorkstationError) => void,
): OpenedRequest {
  const url = serverUrl(server, path)
  const payload = body === undefined ? undefined : JSON.stringify(body)
  const options: https.RequestOptions = {
    method,
    headers: requestHeaders(server, payload !== undefined),
    agent: false,
    ...(server.lookup ? { lookup: server.lookup } : {}),
  }
  const roots = url.protocol === 'https:' ? trustedRoots(server.hospitalCa) : undefined
  if (roots) options.ca = roots
  const request = (url.protocol === 'https:' ? https : http).request(url, options, onResponse)
  const idleMs = server.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS
  let idleTimer: NodeJS.Timeout | undefined
  let connectTimer: NodeJS.Timeout | undefined = setTimeout(() => {
    connectTimer = undefined
    onTimeout(new WorkstationError('REMOTE_CONNECT_TIMEOUT', `no connection within ${server.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS} ms`))
  }, server.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS)
  const touch = (): void => {
    if (connectTimer !== undefined) return
    clearTimeout(idleTimer)
    idleTimer = setTimeout(() => onTimeout(new WorkstationError('REMOTE_STALLED', `nothing received for ${idleMs} ms`)), idleMs)
  }
  const connected = (): void => {
    clearTimeout(connectTimer)
    connectTimer = undefined
    touch()
  }
  request.on('socket', (socket) => {
    socket.once(url.protocol === 'https:' ? 'secureConnect' : 'connect', connected)
  })
  const done = (): void => {
    clearTimeout(connectTimer)
    clearTimeout(idleTimer)
    connectTimer = undefined
  }
  request.end(payload)
  return { request, touch, done }
}

/** A socket-level failure as a stable code (the detail names the system code, nothing else). */
export function socketError(error: unknown): WorkstationError {
  if (error instanceof WorkstationError) return error
  const code = typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : 'unknown'
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME' || code === 'EAI_FAIL') {
    return new WorkstationError('REMOTE_DNS_FAILED', code, { cause: error })
  }
  if (/CERT|SELF_SIGNED|UNABLE_TO_|ERR_TLS|ERR_SSL|HOSTNAME|EPROTO/.test(code)) return new WorkstationError('REMOTE_TLS_FAILED', code, { cause: error })
  if (code === 'ETIMEDOUT') return new WorkstationError('REMOTE_CONNECT_TIMEOUT', code, { cause: error })
  return new WorkstationError('REMOTE_UNREACHABLE', code, { cause: error })
}

/** Seconds from a Retry-After header (seconds or an HTTP date); null when absent or unreadable. */
export function retryAfterSeconds(header: string | undefined, now = Date.now()): number | null {
  if (header === undefined || header.trim() === '') return null
  if (/^\d+$/.test(header.trim())) return Number(header.trim())
  const date = Date.parse(header)
  return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - now) / 1000))
}

const TOO_LONG = /context length|context window|maximum context|too long|exceeds? the (?:available )?context|n_ctx|prompt is too long|exceed_context_size/i

/**
 * An HTTP status other than 200 as a stable code. `body` is read only to tell "too long" apart
 * from other rejections; it never goes into the error (a server may echo the prompt).
 */
export function statusError(status: number, headers: http.IncomingHttpHeaders, body: string): WorkstationError {
  const detail = `HTTP ${status}`
  if (status === 401 || status === 403) return new WorkstationError('REMOTE_UNAUTHORIZED', detail)
  if (status === 404) return new WorkstationError('REMOTE_MODEL_NOT_FOUND', detail)
  if (status === 429) {
    const header = headers['retry-after']
    const seconds = retryAfterSeconds(Array.isArray(header) ? header[0] : header)
    return new WorkstationError('REMOTE_RATE_LIMITED', detail, { data: { retryAfterSeconds: seconds } })
  }
  if (status >= 500) return new WorkstationError('REMOTE_SERVER_ERROR', detail)
  if ((status === 400 || status === 413) && TOO_LONG.test(body)) return new WorkstationError('CONTEXT_FULL', detail)
  return new WorkstationError('REMOTE_REJECTED', detail)
}

/** An error the server put inside the stream (vLLM `data: {"error":…}`, Ollama `{"error":"…"}`). */
export function inStreamError(error: { status: number | null; message: string }): WorkstationError {
  if (TOO_LONG.test(error.message)) return new WorkstationError('CONTEXT_FULL', 'error event in the stream')
  if (error.status !== null && error.status !== 200) return statusError(error.status, {}, '')
  return new WorkstationError('REMOTE_SERVER_ERROR', 'error event in the stream')
}

const MAX_ERROR_BODY = 64 * 1024

/** Reads a (short) response body as text, e.g. of an error status. */
export function readBody(response: http.IncomingMessage, limit = MAX_ERROR_BODY): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    let size = 0
    response.on('data', (chunk: Buffer) => {
      if (size < limit) chunks.push(chunk)
      size += chunk.length
    })
    response.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    response.on('error', () => resolve(Buffer.concat(chunks).toString('utf8')))
    response.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')))
  })
}

/** One JSON request and its JSON answer (model lists, /props, /tokenize), with the same failure mapping. */
export function requestJson(server: RemoteServer, method: 'GET' | 'POST', path: string, body?: unknown, signal?: AbortSignal): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let settled = false
    const fail = (error: WorkstationError): void => {
      if (settled) return
      settled = true
      opened?.done()
      opened?.request.destroy()
      reject(error)
    }
    let opened: OpenedRequest | undefined
    try {
      opened = openRequest(
        server,
        method,
        path,
        body,
        (response) => {
          opened?.touch()
          response.on('data', () => opened?.touch())
          void readBody(response, 16 * 1024 * 1024).then((text) => {
            if (settled) return
            if (response.statusCode !== 200) return fail(statusError(response.statusCode ?? 0, response.headers, text))
            if (!response.complete) return fail(new WorkstationError('REMOTE_STREAM_CUT', 'response cut short'))
            try {
              const value: unknown = JSON.parse(text)
              settled = true
              opened?.done()
              resolve(value)
            } catch {
              fail(new WorkstationError('REMOTE_MALFORMED', 'response is not JSON'))
            }
          })
        },
        fail,
      )
    } catch (error) {
      reject(error as Error)
      return
    }
    opened.request.on('error', (error) => fail(socketError(error)))
    signal?.addEventListener('abort', () => fail(new WorkstationError('REQUEST_CANCELLED')), { once: true })
  })
}
