import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { WebSocket } from 'ws'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { contentSecurityPolicy } from '../../electron/contract/content-security-policy.ts'
import { loopbackListenAddress } from '../../electron/host/loopback-address.ts'
import { runHuatuo } from '../support/cli.ts'
import { startHostProcess, type HostProcess } from '../support/host-process.ts'
import { HostSocket, rawGet, sessionCookie, type RawResponse } from '../support/host-socket.ts'
import { ensureRendererBuilt } from '../support/renderer-build.ts'

// Who may reach the browser host: the token printed at start, or the cookie it buys; the right
// Host; on the WebSocket also the host's own Origin. And it listens on loopback only.

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

function upgradeStatus(port: number, options: { cookie?: string; origin?: string; host?: string; path?: string }): Promise<number> {
  const headers: Record<string, string> = {}
  if (options.cookie) headers['Cookie'] = options.cookie
  if (options.host) headers['Host'] = options.host
  const socket = new WebSocket(`ws://127.0.0.1:${port}${options.path ?? '/ws'}`, { headers, ...(options.origin ? { origin: options.origin } : {}) })
  return new Promise((resolve, reject) => {
    socket.once('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0)
      socket.terminate()
    })
    socket.once('open', () => {
      resolve(101)
      socket.close()
    })
    socket.once('error', (error) => {
      if (!String(error.message).includes('Unexpected server response')) reject(error)
    })
  })
}

describe('huatuo serve start-up', () => {
  it('prints exactly one line with the address and a fresh random token', async () => {
    expect(host.stdout()).toMatch(/^Listening on http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{43}\n$/)
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
  it('answers 401 without token or cookie, and with a wrong token or cookie', async () => {
    for (const [path, headers] of [
      ['/', {}],
      ['/index.html', {}],
      ['/?token=wrong', {}],
      ['/', { Cookie: `huatuo_host_${host.port}=forged` }],
    ] as const) {
      const response = await rawGet(host.port, path, headers)
      expect(response.status, path).toBe(401)
      expectStrictPolicy(response, host.port)
    }
  })

  it("sends the app's own policy, opened only to its own WebSocket", async () => {
    const response = await rawGet(host.port, '/')
    expect(response.headers['content-security-policy']).toBe(contentSecurityPolicy(`ws://127.0.0.1:${host.port}`))
  })

  it('trades the token for an HttpOnly SameSite=Strict cookie and strips it from the address', async () => {
    const response = await rawGet(host.port, `/?token=${host.token}`)
    expect(response.status).toBe(303)
    expect(response.headers['location']).toBe('/')
    expectStrictPolicy(response, host.port)
    const [cookie] = response.headers['set-cookie'] as string[]
    const attributes = cookie!.split(';').map((part) => part.trim().toLowerCase())
    expect(attributes).toContain('httponly')
    expect(attributes).toContain('samesite=strict')
    expect(attributes).toContain('path=/')
    // A session cookie for this host only.
    expect(attributes.some((a) => a.startsWith('domain=') || a.startsWith('max-age=') || a.startsWith('expires='))).toBe(false)
  })

  it('serves the built page and its assets with the cookie, each with the strict policy', async () => {
    const cookie = await sessionCookie(host.port, host.token)
    const page = await rawGet(host.port, '/', { Cookie: cookie })
    expect(page.status).toBe(200)
    expect(page.headers['content-type']).toMatch(/^text\/html/)
    expect(page.headers['referrer-policy']).toBe('no-referrer')
    expect(page.headers['x-content-type-options']).toBe('nosniff')
    expectStrictPolicy(page, host.port)
    const script = /<script[^>]+src="([^"]+)"/.exec(page.body)?.[1]
    expect(script).toBeDefined()
    const asset = await rawGet(host.port, new URL(script!, host.origin).pathname, { Cookie: cookie })
    expect(asset.status).toBe(200)
    expect(asset.headers['content-type']).toMatch(/^text\/javascript/)
    expectStrictPolicy(asset, host.port)
    // No inline script in the page itself.
    expect(page.body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/)
  })

  it('serves nothing outside the built renderer', async () => {
    const cookie = await sessionCookie(host.port, host.token)
    for (const path of ['/../package.json', '/%2e%2e/%2e%2e/package.json', '/..%2f..%2fpackage.json', '/.env', '/assets/', '/no-such-file.js']) {
      const response = await rawGet(host.port, path, { Cookie: cookie })
      expect(response.status, path).toBe(404)
      expect(response.body).not.toContain('huatuo-workstation')
    }
  })

  it('refuses another Host (a rebound domain name), even with the cookie', async () => {
    const cookie = await sessionCookie(host.port, host.token)
    const response = await rawGet(host.port, '/', { Cookie: cookie, Host: `attacker.example:${host.port}` })
    expect(response.status).toBe(403)
  })

  it('accepts only GET and HEAD', async () => {
    const cookie = await sessionCookie(host.port, host.token)
    expect((await rawGet(host.port, '/', { Cookie: cookie }, 'POST')).status).toBe(405)
    expect((await rawGet(host.port, '/', {}, 'POST')).status).toBe(401)
  })
})

describe('WebSocket access', () => {
  it('refuses a handshake without token or cookie (401)', async () => {
    expect(await upgradeStatus(host.port, { origin: host.origin })).toBe(401)
    expect(await upgradeStatus(host.port, { origin: host.origin, cookie: `huatuo_host_${host.port}=forged` })).toBe(401)
  })

  it('refuses a wrong or missing Origin, even with the cookie (403)', async () => {
    const cookie = await sessionCookie(host.port, host.token)
    expect(await upgradeStatus(host.port, { cookie, origin: 'http://attacker.example' })).toBe(403)
    expect(await upgradeStatus(host.port, { cookie, origin: `http://localhost:${host.port + 1}` })).toBe(403)
    expect(await upgradeStatus(host.port, { cookie })).toBe(403)
  })

  it('refuses a wrong Host, even with cookie and a matching Origin (403)', async () => {
    const cookie = await sessionCookie(host.port, host.token)
    const rebound = `attacker.example:${host.port}`
    expect(await upgradeStatus(host.port, { cookie, host: rebound, origin: `http://${rebound}` })).toBe(403)
  })

  it('accepts the page: cookie and its own Origin, then answers requests', async () => {
    const cookie = await sessionCookie(host.port, host.token)
    expect(await upgradeStatus(host.port, { cookie, origin: host.origin })).toBe(101)
    expect(await upgradeStatus(host.port, { cookie, origin: host.origin, path: '/other' })).toBe(404)
    const socket = await HostSocket.open(host.port, cookie)
    try {
      const about = await socket.value<{ name: string }>('app.about')
      expect(about.name).toBe('Huatuo Workstation')
    } finally {
      socket.close()
    }
  })
})
