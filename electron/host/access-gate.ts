import { randomBytes, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'

// Who may talk to the browser host: whoever holds this start's token (printed once to the
// terminal) or the cookie the token buys. The Host header must name this host, so that a web page
// that rebinds its own domain name to 127.0.0.1 is turned away.

export type Credential = 'token' | 'cookie' | 'none'

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}

export class AccessGate {
  /** Random per start; shown to the user in the address printed at start-up. */
  readonly token = randomBytes(32).toString('base64url')
  /** A separate secret for the cookie, so the token itself is never stored in the browser. */
  readonly #session = randomBytes(32).toString('base64url')
  /** Cookies ignore ports: the name carries the port so two hosts on one machine keep theirs apart. */
  readonly cookieName: string
  readonly #allowedHosts: ReadonlySet<string>

  constructor(options: { port: number; hostWithPort: string }) {
    this.cookieName = `huatuo_host_${options.port}`
    this.#allowedHosts = new Set([options.hostWithPort, `localhost:${options.port}`])
  }

  /** The Host header, when it names this host (the only hosts the page's own origin can have). */
  allowedHost(request: IncomingMessage): string | null {
    const host = request.headers.host?.toLowerCase()
    return host !== undefined && this.#allowedHosts.has(host) ? host : null
  }

  /** What the request carries: the token (in the query), the cookie, or nothing valid. */
  credential(request: IncomingMessage, url: URL): Credential {
    const token = url.searchParams.get('token')
    if (token !== null) return sameSecret(token, this.token) ? 'token' : 'none'
    const cookie = readCookie(request.headers.cookie, this.cookieName)
    return cookie !== null && sameSecret(cookie, this.#session) ? 'cookie' : 'none'
  }

  /** HttpOnly: no script reads it. SameSite=Strict: no other site's page sends it. No Max-Age: gone when the browser closes. */
  setCookieHeader(): string {
    return `${this.cookieName}=${this.#session}; Path=/; HttpOnly; SameSite=Strict`
  }
}

function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null
  for (const part of header.split(';')) {
    const eq = part.indexOf('=')
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim()
  }
  return null
}
