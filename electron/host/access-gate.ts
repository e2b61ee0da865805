import { randomBytes, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import { HOST_CONTRACT_PROTOCOL, HOST_TOKEN_PROTOCOL_PREFIX } from '../contract/bridge.ts'

// Who may talk to the browser host: whoever holds this start's token, printed once to the
// terminal in the address's fragment (a fragment is never sent in a request). The page keeps it in
// sessionStorage, which is per origin, port included, and offers it in the WebSocket handshake as a
// Sec-WebSocket-Protocol value: no cookie exists (a cookie for 127.0.0.1 reaches every port on
// 127.0.0.1), and no socket is ever opened before the token is checked. The Host header must name
// this host, so that a web page that rebinds its own domain name to 127.0.0.1 is turned away.

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}

export class AccessGate {
  /** Random per start (256 bits, base64url: valid in a Sec-WebSocket-Protocol value). */
  readonly token = randomBytes(32).toString('base64url')
  readonly #allowedHosts: ReadonlySet<string>

  constructor(options: { port: number; hostWithPort: string }) {
    this.#allowedHosts = new Set([options.hostWithPort, `localhost:${options.port}`])
  }

  /** The Host header, when it names this host (the only hosts the page's own origin can have). */
  allowedHost(request: IncomingMessage): string | null {
    const host = request.headers.host?.toLowerCase()
    return host !== undefined && this.#allowedHosts.has(host) ? host : null
  }

  /** Whether the handshake offers exactly one token, this start's, beside the contract's subprotocol. */
  acceptsHandshake(request: IncomingMessage): boolean {
    const offered = offeredProtocols(request)
    const tokens = offered.filter((value) => value.startsWith(HOST_TOKEN_PROTOCOL_PREFIX))
    return tokens.length === 1 && sameSecret(tokens[0]!.slice(HOST_TOKEN_PROTOCOL_PREFIX.length), this.token) && offered.includes(HOST_CONTRACT_PROTOCOL)
  }
}

/** Sec-WebSocket-Protocol values, as a client offers them (comma-separated, possibly several headers). */
function offeredProtocols(request: IncomingMessage): string[] {
  const header = request.headers['sec-websocket-protocol']
  if (header === undefined) return []
  return header
    .split(',')
    .map((value) => value.trim())
    .filter((value) => value.length > 0)
}
