import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { WebSocket } from 'ws'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { contentSecurityPolicy } from '../../electron/contract/content-security-policy.ts'
import { loopbackListenAddress } from '../../electron/host/loopback-address.ts'
import { runHuatuo } from '../support/cli.ts'
import { startHostProcess, type HostProcess } from '../support/host-process.ts'
import { HostSocket, rawGet, tokenProtocols, type RawResponse } from '../support/host-socket.ts'
import { ensureRendererBuilt } from '../support/renderer-build.ts'

// Who may reach the browser host: the page's files to anyone naming the right Host (they carry no
// secret); the contract only over a WebSocket whose handshake offers the token printed at start,
// from the host's own Origin. And it listens on loopback only.

let dir: string
let host: HostProcess

beforeAll(async () => {
  await ensureRendererBuilt()
  dir = await mkdtemp(join(tmpdir(), 'huatuo-host-access-'))
  host = await startHostProcess({
    args: ['--db', join(dir, 'records.db'), '--data-dir', join(dir, 'data')],
    env: { HUATUO_HOSPITAL_CONFIG: join(dir, 'no-hospital.json') },
  })
})

afterAll(async () => {
  await host?.stop()
  await rm(dir, { recursive: true, force: true })
})

function expectStrictPolicy(response: RawResponse, port: number): void {
  const policy = String(response.headers['content-security-policy'])
  const directives = new Map(policy.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name!, values]))
  expect(directives.get('default-src')).toEqual(["'self'"])
  expect(directives.get('script-src')).toEqual(["'self'"])
  expect(directives.get('connect-src')).toEqual(["'self'", `ws://127.0.0.1:${port}`])
  expect(directives.get('object-src')).toEqual(["'none'"])
  expect(directives.get('frame-ancestors')).toEqual(["'none'"])
  // No remote origin anywhere in the policy.
  expect(policy).not.toMatch(/https?:|\*|wss?:\/\/(?!127\.0\.0\.1:)/)
}

describe('huatuo serve start-up', () => {
  it('prints exactly one line with the address and a fresh random token', async () => {
    expect(host.stdout()).toMatch(/^Listening on http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]{43}\n$/)
    const second = await startHostProcess({ args: ['--db', join(dir, 'records.db'), '--data-dir', join(dir, 'data')], env: { HUATUO_HOSPITAL_CONFIG: join(dir, 'none.json') } })
    try {
      expect(second.token).not.toBe(host.token)
      expect(second.port).not.toBe(host.port)
    } finally {
      expect(await second.stop()).toBe(0)
    }
  })

  it.each(['0.0.0.0', '192.168.1.10'])('refuses the non-loopback --host %s before binding', async (address) => {
    const result = await runHuatuo(['serve', '--db', join(dir, 'r.db'), '--host', address])
    expect(result.status).toBe(1)
    expect(result.stderr).toMatch(/^HOST_NOT_LOOPBACK: /m)
    expect(result.stdout).toBe('')
  })

  it('takes only loopback addresses for --host', () => {
    for (const address of ['0.0.0.0', '::', '[::]', '192.168.1.10', '10.0.0.1', '172.16.0.1', 'example.org', '127.1', '::ffff:0:0', '', 'localhost.example']) {
      expect(() => loopbackListenAddress(address), address).toThrow(expect.objectContaining({ code: 'HOST_NOT_LOOPBACK' }))
    }
    expect(loopbackListenAddress('127.0.0.1')).toBe('127.0.0.1')
    expect(loopbackListenAddress('127.0.0.2')).toBe('127.0.0.2')
    expect(loopbackListenAddress('localhost')).toBe('127.0.0.1')
    expect(loopbackListenAddress('::1')).toBe('::1')
  })

  it('says so when the port is taken', async () => {
    const result = await runHuatuo(['serve', '--db', join(dir, 'r.db'), '--data-dir', join(dir, 'data'), '--port', String(host.port)], {
      env: { HUATUO_HOSPITAL_CONFIG: join(dir, 'no-hospital.json') },
    })
    expect(result.status).toBe(1)
    expect(result.stderr).toMatch(/^HOST_PORT_IN_USE: /m)
    expect(result.stdout).toBe('')
  })

  it('names the build command when the renderer is not built', async () => {
    const result = await runHuatuo(['serve', '--db', join(dir, 'r.db'), '--renderer', join(dir, 'no-such-build')])
    expect(result.status).toBe(1)
    expect(result.stderr).toMatch(/^RENDERER_NOT_BUILT: .*npm run build/m)
  })

  it('requires --db', async () => {
    const result = await runHuatuo(['serve'])
    expect(result.status).toBe(2)
    expect(result.stderr).toMatch(/^USAGE: .*--db/m)
  })
})

describe('HTTP access', () => {
  it("serves the built page and its assets without any credential, each with the app's strict policy", async () => {
    const page = await rawGet(host.port, '/')
    expect(page.status).toBe(200)
    expect(page.headers['content-type']).toMatch(/^text\/html/)
    expect(page.headers['referrer-policy']).toBe('no-referrer')
    expect(page.headers['x-content-type-options']).toBe('nosniff')
    expect(page.headers['content-security-policy']).toBe(contentSecurityPolicy(`ws://127.0.0.1:${host.port}`))
    expectStrictPolicy(page, host.port)
    const script = /<script[^>]+src="([^"]+)"/.exec(page.body)?.[1]
    expect(script).toBeDefined()
    const asset = await rawGet(host.port, new URL(script!, host.origin).pathname)
    expect(asset.status).toBe(200)
    expect(asset.headers['content-type']).toMatch(/^text\/javascript/)
    expectStrictPolicy(asset, host.port)
    // No inline script in the page itself, and no secret in what any visitor can fetch.
    expect(page.body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/)
    expect(page.body + asset.body).not.toContain(host.token)
  })

  it('sets no cookie, whatever the address carries', async () => {
    for (const path of ['/', `/?token=${host.token}`, '/index.html']) {
      const response = await rawGet(host.port, path)
      expect(response.headers['set-cookie'], path).toBeUndefined()
    }
  })

  it('serves nothing outside the built renderer', async () => {
    for (const path of ['/../package.json', '/%2e%2e/%2e%2e/package.json', '/..%2f..%2fpackage.json', '/.env', '/assets/', '/no-such-file.js']) {
      const response = await rawGet(host.port, path)
      expect(response.status, path).toBe(404)
      expect(response.body).not.toContain('huatuo-workstation')
    }
  })

  it('refuses another Host (a rebound domain name)', async () => {
    const response = await rawGet(host.port, '/', { Host: `attacker.example:${host.port}` })
    expect(response.status).toBe(403)
  })

  it('accepts only GET and HEAD', async () => {
    expect((await rawGet(host.port, '/', {}, 'POST')).status).toBe(405)
  })
})

function upgrade(port: number, options: { protocols?: string[]; origin?: string; host?: string; path?: string; headers?: Record<string, string> }) {
  const headers: Record<string, string> = { ...options.headers }
  if (options.host) headers['Host'] = options.host
  const socket = new WebSocket(`ws://127.0.0.1:${port}${options.path ?? '/ws'}`, options.protocols ?? [], { headers, ...(options.origin ? { origin: options.origin } : {}) })
  return new Promise<{ status: number; protocol: string; headers: Record<string, unknown> }>((resolve, reject) => {
    socket.once('unexpected-response', (_request, response) => {
      resolve({ status: response.statusCode ?? 0, protocol: '', headers: response.headers })
      socket.terminate()
    })
    socket.once('upgrade', (response) => {
      socket.once('open', () => {
        resolve({ status: 101, protocol: socket.protocol, headers: response.headers })
        socket.close()
      })
    })
    socket.once('error', (error) => {
      if (!String(error.message).includes('Unexpected server response')) reject(error)
    })
  })
}

describe('WebSocket access', () => {
  it('refuses a handshake without the token, with a wrong one, or with the old cookie (401)', async () => {
    expect((await upgrade(host.port, { origin: host.origin })).status).toBe(401)
    expect((await upgrade(host.port, { origin: host.origin, protocols: ['huatuo.v1'] })).status).toBe(401)
    expect((await upgrade(host.port, { origin: host.origin, protocols: tokenProtocols('A'.repeat(43)) })).status).toBe(401)
    expect((await upgrade(host.port, { origin: host.origin, protocols: tokenProtocols(host.token.slice(1)) })).status).toBe(401)
    // Two tokens offered: not a way to guess.
    expect((await upgrade(host.port, { origin: host.origin, protocols: [...tokenProtocols(host.token), `huatuo.token.x${host.token}`] })).status).toBe(401)
    // A token without the contract protocol is not the page.
    expect((await upgrade(host.port, { origin: host.origin, protocols: [`huatuo.token.${host.token}`] })).status).toBe(401)
    expect((await upgrade(host.port, { origin: host.origin, headers: { Cookie: `huatuo_host_${host.port}=${host.token}` } })).status).toBe(401)
    // The token in the query string is no credential either.
    expect((await upgrade(host.port, { origin: host.origin, path: `/ws?token=${host.token}` })).status).toBe(401)
  })

  it('refuses a wrong or missing Origin, even with the token (403)', async () => {
    const protocols = tokenProtocols(host.token)
    expect((await upgrade(host.port, { protocols, origin: 'http://attacker.example' })).status).toBe(403)
    expect((await upgrade(host.port, { protocols, origin: `http://127.0.0.1:${host.port + 1}` })).status).toBe(403)
    expect((await upgrade(host.port, { protocols, origin: `http://localhost:${host.port + 1}` })).status).toBe(403)
    expect((await upgrade(host.port, { protocols })).status).toBe(403)
  })

  it('refuses a wrong Host, even with the token and a matching Origin (403)', async () => {
    const rebound = `attacker.example:${host.port}`
    expect((await upgrade(host.port, { protocols: tokenProtocols(host.token), host: rebound, origin: `http://${rebound}` })).status).toBe(403)
  })

  it('accepts the page: its token and its own Origin; selects huatuo.v1 and never echoes the token', async () => {
    const accepted = await upgrade(host.port, { protocols: tokenProtocols(host.token), origin: host.origin })
    expect(accepted.status).toBe(101)
    expect(accepted.protocol).toBe('huatuo.v1')
    expect(JSON.stringify(accepted.headers)).not.toContain(host.token)
    expect((await upgrade(host.port, { protocols: tokenProtocols(host.token), origin: host.origin, path: '/other' })).status).toBe(404)
    const socket = await HostSocket.open(host.port, host.token)
    try {
      const about = await socket.value<{ name: string }>('app.about')
      expect(about.name).toBe('Huatuo Workstation')
    } finally {
      socket.close()
    }
  })
})
