import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { HostServerMessage } from '../../electron/contract/bridge.ts'
import type { SamplingSettings } from '../../electron/contract/sampling.ts'
import { openRecordStore } from '../../electron/core/records/record-store.ts'
import { readHospitalConfig } from '../../electron/core/config/hospital-config.ts'
import { ModelLibrary } from '../../electron/core/models/library/model-library.ts'
import { writeTestModel } from '../../electron/core/models/test-model.ts'
import { launchChromium } from '../support/chromium.ts'
import type { EgressRecord } from '../support/egress-recorder.ts'
import { startHostProcess, type HostProcess, placeOnly } from '../support/host-process.ts'
import { HostSocket, signInFirstClinician, testClinician } from '../support/host-socket.ts'
import { inetSocketsOf, isLoopbackEndpoint, type InetSocket } from '../support/process-sockets.ts'
import { ensureRendererBuilt } from '../support/renderer-build.ts'

// The page in real Chromium through the browser host, with generated models: it loads, a message
// is sent, the answer streams in and is shown, another model is chosen and loaded, an answer is
// stopped. Meanwhile every request Chromium makes and every socket the host opens stays on loopback.

/** The page's own globals, as far as the in-page callbacks below use them (this file compiles without the DOM library). */
declare const window: { __testSampling?: SamplingSettings; __shownLengths?: number[]; sessionStorage: { getItem(key: string): string | null } }
declare const document: { body: object; querySelectorAll(selector: string): ArrayLike<{ textContent: string | null }> }
declare const MutationObserver: new (callback: () => void) => { observe(target: object, options: object): void }

const TINY = 'HuatuoGPT2-7B'
const NURSE = { staffId: 'N0001', pin: '560382' }
const SLOWER = 'HuatuoGPT2-13B'

let dir: string
let host: HostProcess
let browser: Browser
let context: BrowserContext
let page: Page
const egressLog = () => join(dir, 'egress.jsonl')
/** Everything Chromium fetched or opened, and every frame the host pushed to the page. */
const chromiumUrls: string[] = []
const framesFromHost: HostServerMessage[] = []
const hostSockets: InetSocket[] = []

/**
 * Random weights give random answers: the page's consultation.send is given a fixed seed (and a
 * length) on its way out, so that every run streams the same answer.
 */
async function useSampling(sampling: SamplingSettings): Promise<void> {
  await page.evaluate((value) => (window.__testSampling = value), sampling)
}

async function snapshotHostSockets(): Promise<void> {
  hostSockets.push(...(await inetSocketsOf(host.child.pid!)))
}

/** The answer's final text, as the workstation announced its end. */
function finalAnswerText(answerId: string): string {
  const finished = framesFromHost.find((frame) => frame.kind === 'event' && frame.event.type === 'consultation.answer-finished' && frame.event.answerId === answerId)
  return finished?.kind === 'event' && finished.event.type === 'consultation.answer-finished' ? finished.event.text : ''
}

function deltaTexts(answerId: string): string[] {
  return framesFromHost.flatMap((frame) =>
    frame.kind === 'event' && frame.event.type === 'consultation.delta' && frame.event.answerId === answerId ? [frame.event.text] : [],
  )
}

beforeAll(async () => {
  await ensureRendererBuilt()
  dir = await mkdtemp(join(tmpdir(), 'huatuo-e2e-'))
  const tiny = join(dir, 'tiny.gguf')
  const slower = join(dir, 'slower.gguf')
  await writeTestModel({ out: tiny, size: 'tiny', name: TINY, seed: 5 })
  // ~200 tokens/s on one thread: an answer long enough to be stopped half-way.
  await writeTestModel({ out: slower, size: 'bench', name: SLOWER, seed: 6 })
  const config = await readHospitalConfig(join(dir, 'no-hospital.json'), { HUATUO_DATA_DIR: join(dir, 'data') })
  await new ModelLibrary(config).import(slower)

  host = await startHostProcess({
    args: ['--db', join(dir, 'records.db'), '--model', tiny, '--data-dir', join(dir, 'data')],
    env: { HUATUO_HOSPITAL_CONFIG: join(dir, 'no-hospital.json') },
    egressLog: egressLog(),
  })
  await signInFirstClinician(host.port, host.token)
  // A second clinician for the hand-over below: a nurse, whose first PIN is changed as IT asks.
  const admin = await HostSocket.open(host.port, host.token)
  try {
    await admin.value('accounts.add', { staffId: NURSE.staffId, name: '王护士', roles: ['nurse'], pin: '739104' })
    await admin.value('session.switchUser', { staffId: NURSE.staffId, pin: '739104' })
    await admin.value('session.changePin', { currentPin: '739104', newPin: NURSE.pin })
    await admin.value('session.switchUser', { staffId: testClinician.staffId, pin: testClinician.pin })
  } finally {
    admin.close()
  }

  await snapshotHostSockets()

  browser = await launchChromium()
  context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
  context.on('request', (request) => chromiumUrls.push(request.url()))
  await context.addInitScript(() => {
    const send = WebSocket.prototype.send
    WebSocket.prototype.send = function (data) {
      const sampling = window.__testSampling
      if (typeof data === 'string' && sampling) {
        const frame = JSON.parse(data) as { name?: string; input?: Record<string, unknown> }
        if ((frame.name === 'consultation.send' || frame.name === 'consultation.regenerate') && frame.input) data = JSON.stringify({ ...frame, input: { ...frame.input, sampling } })
      }
      return send.call(this, data)
    }
  })
  page = await context.newPage()
  page.on('websocket', (socket) => {
    chromiumUrls.push(socket.url())
    socket.on('framereceived', (frame) => framesFromHost.push(JSON.parse(String(frame.payload)) as HostServerMessage))
  })
})

afterAll(async () => {
  await browser?.close()
  await host?.stop()
  if (dir) await rm(dir, { recursive: true, force: true })
})

/** Sign-out lives in the clinician's account menu in the header. */
async function signOut() {
  await page.getByTestId('clinician').click()
  await page.getByTestId('sign-out').click()
}

describe('a consultation in Chromium through the browser host', () => {
  it("opens with the token, which leaves the address bar for this tab's sessionStorage; no cookie", async () => {
    await page.goto(host.url)
    // The address keeps only the window's place (a screen, a consultation id): never the token.
    expect(page.url()).toMatch(placeOnly(host.origin))
    await expect(page.locator('h1').textContent()).resolves.toBe('华佗工作站')
    expect(await context.cookies()).toEqual([])
    await expect(page.evaluate(() => window.sessionStorage.getItem('huatuo.hostToken'))).resolves.toBe(host.token)
    // The model given to `huatuo serve` is loaded and shown in the header, on the CPU here.
    const engine = page.locator('[data-testid=engine-state][data-state=ready]')
    await engine.waitFor()
    await expect(engine.textContent()).resolves.toContain(TINY)
    await expect(engine.textContent()).resolves.toContain('CPU')
    // A doctor starts on the consultation screen, its place in the address.
    expect(page.url()).toMatch(/#\/consultation$/)
  })

  it('sends a patient message and shows the answer as it streams in', async () => {
    await page.getByTestId('open-consultation').click()
    await page.getByTestId('consultation-id').waitFor()
    // Every change of the answer's length on screen, as the clinician would see it grow.
    await page.evaluate(() => {
      const lengths: number[] = []
      window.__shownLengths = lengths
      new MutationObserver(() => {
        const answer = Array.from(document.querySelectorAll('[data-role=model] [data-testid=message-text]')).at(-1)
        const length = answer?.textContent?.length ?? 0
        if (length > 0 && length !== lengths.at(-1)) lengths.push(length)
      }).observe(document.body, { subtree: true, childList: true, characterData: true })
    })
    await useSampling({ seed: 11, maxTokens: 200 })
    await page.getByTestId('patient-input').fill('医生您好，我头痛三天了，还有点发烧，体温 38.2 度。')
    await page.getByTestId('send').click()

    const answer = page.locator('[data-testid=message][data-role=model]').last()
    await answer.and(page.locator(':not([data-status=streaming])')).waitFor({ timeout: 60_000 })
    expect(await answer.getAttribute('data-status')).toBe('complete')
    const answerId = framesFromHost.flatMap((f) => (f.kind === 'event' && f.event.type === 'consultation.delta' ? [f.event.answerId] : [])).at(-1)!
    const deltas = deltaTexts(answerId)
    const shown = (await answer.getByTestId('message-text').textContent()) ?? ''
    // Streamed in several coalesced pieces, which add up to the answer the workstation returned.
    expect(deltas.length).toBeGreaterThanOrEqual(3)
    expect(deltas.join('')).toBe(finalAnswerText(answerId))
    // Shown as Markdown (so not character for character): on screen, and updated as it grew.
    expect(shown.trim().length).toBeGreaterThan(0)
    const lengths = await page.evaluate(() => window.__shownLengths ?? [])
    expect(lengths.length).toBeGreaterThanOrEqual(3)
    expect(lengths.at(-1)).toBe(shown.length)
    await expect(page.locator('[data-role=patient] [data-testid=message-text]').textContent()).resolves.toContain('头痛三天')
  })

  it('stores the turn in the record database given to huatuo serve --db', async () => {
    const answerId = framesFromHost.flatMap((f) => (f.kind === 'event' && f.event.type === 'consultation.delta' ? [f.event.answerId] : [])).at(-1)!
    const streamed = deltaTexts(answerId).join('')
    // A second, read-only connection, as `huatuo records search` would open it while the host runs.
    const store = await openRecordStore({ path: join(dir, 'records.db'), readOnly: true })
    try {
      const [consultation] = store.consultations.list({ limit: 1 }).items
      const messages = store.messages.list(consultation!.id).items
      expect(messages.map((m) => [m.role, m.status])).toEqual([
        ['patient', 'complete'],
        ['model', 'complete'],
      ])
      expect(messages[0]!.text).toBe('医生您好，我头痛三天了，还有点发烧，体温 38.2 度。')
      expect(messages[1]!.text).toBe(streamed)
      expect(store.search.search({ query: '38.2' }).hits.map((hit) => hit.messageId)).toEqual([messages[0]!.id])
    } finally {
      store.close()
    }
  })

  it('chooses another model from the library, loads it, and stops an answer half-way', async () => {
    await page.locator('[data-testid=nav][data-screen=model]').click()
    await page.getByTestId('model-option').filter({ hasText: SLOWER }).click()
    await page.getByTestId('load-model').click()
    await page.locator('[data-testid=loaded-model] dd').first().filter({ hasText: SLOWER }).waitFor({ timeout: 60_000 })
    await page.locator('[data-testid=model-state][data-state=ready]').waitFor()
    await page.locator('[data-testid=nav][data-screen=consultation]').click()

    // Loading a model ends the consultation: a new one is opened.
    await page.getByTestId('open-consultation').click()
    await useSampling({ seed: 12, maxTokens: 1500 })
    await page.getByTestId('patient-input').fill('孩子咳嗽一周，夜间加重。')
    await page.getByTestId('send').click()
    const answer = page.locator('[data-testid=message][data-role=model]').last()
    // The first words are on screen: stop the rest.
    await answer.getByTestId('message-text').filter({ hasText: /\S/ }).waitFor({ timeout: 60_000 })
    await snapshotHostSockets()
    await page.getByTestId('stop').click()
    await answer.and(page.locator('[data-status=stopped]')).waitFor({ timeout: 60_000 })
    expect(((await answer.getByTestId('message-text').textContent()) ?? '').length).toBeGreaterThan(0)
    await expect(answer.locator('.note').textContent()).resolves.toBe('已停止')
    // The page is ready for the next message.
    await page.getByTestId('send').waitFor()
  })

  it("shows the red flag the triage rules raise on the patient's words, until the doctor acknowledges it", async () => {
    await useSampling({ seed: 13, maxTokens: 600 })
    await page.getByTestId('patient-input').fill('胸口压着疼了半个小时，出冷汗，左胳膊发麻')
    await page.getByTestId('send').click()
    const flag = page.locator('[data-testid=red-flag][data-category=chest-pain]')
    await flag.waitFor({ timeout: 60_000 })
    // Shown while the answer is still being written: an emergency does not wait behind the model.
    expect(await page.locator('[data-testid=message][data-role=model]').last().getAttribute('data-status')).toBe('streaming')
    await expect(flag.textContent()).resolves.toContain('危急')
    await page.getByTestId('send').waitFor({ timeout: 60_000 })

    // The doctor asks for the answer again: a new one streams in, the replaced one stays, marked.
    await useSampling({ seed: 14, maxTokens: 40 })
    const answers = page.locator('[data-testid=message][data-role=model]')
    const before = await answers.count()
    await page.getByTestId('regenerate').click()
    await page.locator('[data-testid=message][data-superseded=true]').waitFor()
    expect(await answers.count()).toBe(before + 1)
    await answers.last().and(page.locator('[data-status=complete]')).waitFor({ timeout: 60_000 })
    expect(await answers.last().getAttribute('data-superseded')).toBeNull()
    // What to do comes with the flag, as triage recommended it.
    await expect(flag.getByTestId('red-flag-action').textContent()).resolves.toContain('心电图')
    await flag.getByTestId('acknowledge').click()
    // Acknowledged: the banner stays, quieter, saying by whom and when.
    await flag.getByTestId('red-flag-acknowledged').waitFor()
    await expect(flag.getByTestId('red-flag-acknowledged').textContent()).resolves.toContain('D0001')
    expect(await flag.getAttribute('data-acknowledged')).toBe('true')
  })

  it('shows no patient text and receives no answer while locked; the answer continues after unlock; the next clinician sees nothing of it', async () => {
    const patientText = '右下腹疼了一天，走路加重'
    await useSampling({ seed: 15, maxTokens: 1400 })
    await page.getByTestId('patient-input').fill(patientText)
    await page.getByTestId('send').click()
    const answer = page.locator('[data-testid=message][data-role=model]').last()
    await answer.getByTestId('message-text').filter({ hasText: /\S/ }).waitFor({ timeout: 60_000 })
    const answerId = framesFromHost.flatMap((f) => (f.kind === 'event' && f.event.type === 'consultation.delta' ? [f.event.answerId] : [])).at(-1)!
    const shownBeforeLock = (await answer.getByTestId('message-text').textContent()) ?? ''

    await page.getByTestId('lock').click()
    await page.locator('[data-testid=session-gate][data-mode=unlock]').waitFor()
    const framesAtLock = framesFromHost.length
    await page.waitForTimeout(1500)
    const body = (await page.locator('body').textContent()) ?? ''
    expect(body).not.toContain(patientText)
    expect(body).not.toContain(shownBeforeLock.slice(0, 12))
    expect(await page.locator('[data-testid=message]').count()).toBe(0)
    const whileLocked = framesFromHost.slice(framesAtLock).filter((f) => f.kind === 'event' && 'answerId' in f.event)
    expect(whileLocked).toEqual([])

    await page.getByTestId('pin').fill(testClinician.pin)
    await page.getByTestId('session-submit').click()
    // The consultation comes back from the record, and the answer goes on streaming to its end.
    await page.locator('[data-role=patient] [data-testid=message-text]', { hasText: patientText }).waitFor()
    const resumed = page.locator('[data-testid=message][data-role=model]').last()
    await resumed.and(page.locator('[data-status=complete]')).waitFor({ timeout: 60_000 })
    const finalText = (await resumed.getByTestId('message-text').textContent()) ?? ''
    expect(finalText.length).toBeGreaterThan(shownBeforeLock.length)
    // What the window had before the lock, the snapshot after it, then the deltas: the whole answer.
    const streamedBeforeLock = framesFromHost
      .slice(0, framesAtLock)
      .flatMap((f) => (f.kind === 'event' && f.event.type === 'consultation.delta' && f.event.answerId === answerId ? [f.event.text] : []))
      .join('')
    const afterUnlock = framesFromHost.slice(framesAtLock).filter((f) => f.kind === 'event' && 'answerId' in f.event && f.event.answerId === answerId)
    const snapshot = afterUnlock[0]
    expect(snapshot).toMatchObject({ kind: 'event', event: { type: 'consultation.snapshot' } })
    const snapshotText = snapshot?.kind === 'event' && snapshot.event.type === 'consultation.snapshot' ? snapshot.event.text : ''
    expect(snapshotText.startsWith(streamedBeforeLock)).toBe(true)
    expect(snapshotText.length).toBeGreaterThan(streamedBeforeLock.length)
    const resumedText = afterUnlock.flatMap((f) => (f.kind === 'event' && f.event.type === 'consultation.delta' ? [f.event.text] : [])).join('')
    const finished = afterUnlock.at(-1)
    expect(finished).toMatchObject({ kind: 'event', event: { type: 'consultation.answer-finished', status: 'complete', text: snapshotText + resumedText } })

    // Hand-over: the doctor signs out, the nurse signs in — nothing of the doctor's consultation shows.
    await signOut()
    await page.locator('[data-testid=session-gate][data-mode=sign-in]').waitFor()
    await page.getByTestId('staff-id').fill(NURSE.staffId)
    await page.getByTestId('pin').fill(NURSE.pin)
    await page.getByTestId('session-submit').click()
    await page.getByTestId('clinician').filter({ hasText: '王护士' }).waitFor()
    const nurseSees = (await page.locator('body').textContent()) ?? ''
    expect(nurseSees).not.toContain(patientText)
    expect(nurseSees).not.toContain(finalText.slice(0, 12))
    expect(await page.locator('[data-testid=message]').count()).toBe(0)
    expect(await page.getByTestId('consultation-id').count()).toBe(0)

    // And back to the doctor for the rest of the tour.
    await signOut()
    await page.getByTestId('staff-id').fill(testClinician.staffId)
    await page.getByTestId('pin').fill(testClinician.pin)
    await page.getByTestId('session-submit').click()
    await page.getByTestId('clinician').filter({ hasText: testClinician.name }).waitFor()
  }, 120_000)

  it('a doctor added by IT sets their own PIN at first sign-in; a wrong PIN at the lock screen is said as such, and is gone for the next clinician', async () => {
    const admin = await HostSocket.open(host.port, host.token)
    try {
      await admin.value('accounts.add', { staffId: 'D2048', name: '赵医生', roles: ['doctor'], pin: '739104' })
    } finally {
      admin.close()
    }
    await signOut()
    await page.getByTestId('staff-id').fill('D2048')
    await page.getByTestId('pin').fill('739104')
    await page.getByTestId('session-submit').click()
    const gate = page.locator('[data-testid=session-gate][data-mode=change-pin]')
    await gate.waitFor()
    // Nothing of the workspace until the PIN is the doctor's own.
    expect(await page.getByTestId('open-consultation').count()).toBe(0)
    await page.getByTestId('pin').fill('739104')
    await page.getByTestId('new-pin').fill('615283')
    await page.getByTestId('new-pin-again').fill('615284')
    await page.getByTestId('session-submit').click()
    await page.locator('[data-testid=failure][data-code=PIN_MISMATCH]').waitFor()
    await page.getByTestId('new-pin-again').fill('615283')
    await page.getByTestId('session-submit').click()
    await page.getByTestId('open-consultation').waitFor()

    await page.getByTestId('lock').click()
    await page.getByTestId('pin').fill('000000')
    await page.getByTestId('session-submit').click()
    await expect(page.locator('[data-testid=failure][data-code=PIN_WRONG] p').first().textContent()).resolves.toBe('PIN 不正确，请重新输入。')
    // Another clinician takes over from the lock screen: the refusal was the previous one's.
    const handOver = await HostSocket.open(host.port, host.token)
    try {
      await handOver.value('session.switchUser', { staffId: testClinician.staffId, pin: testClinician.pin })
    } finally {
      handOver.close()
    }
    await page.getByTestId('clinician').filter({ hasText: testClinician.name }).waitFor()
    expect(await page.getByTestId('failure').count()).toBe(0)
  })

  it('answers the keys a doctor uses: Alt+N a new consultation, Esc stops the answer, Ctrl+L locks', async () => {
    await page.keyboard.press('Alt+KeyN')
    await page.getByTestId('consultation-id').waitFor()
    await useSampling({ seed: 16, maxTokens: 1400 })
    await page.getByTestId('patient-input').fill('头晕两天')
    await page.getByTestId('patient-input').press('Control+Enter')
    const answer = page.locator('[data-testid=message][data-role=model]').last()
    await answer.getByTestId('message-text').filter({ hasText: /\S/ }).waitFor({ timeout: 60_000 })
    await page.keyboard.press('Escape')
    await answer.and(page.locator('[data-status=stopped]')).waitFor({ timeout: 60_000 })
    await page.keyboard.press('Control+KeyL')
    await page.locator('[data-testid=session-gate][data-mode=unlock]').waitFor()
    await page.getByTestId('pin').fill(testClinician.pin)
    await page.getByTestId('session-submit').click()
    await page.getByTestId('clinician').filter({ hasText: testClinician.name }).waitFor()
    await page.getByTestId('send').waitFor()
  })

  it('a message too long for the context is refused where it was typed, and its words come back to be shortened', async () => {
    const long = '头痛伴有恶心呕吐，'.repeat(1500)
    await page.getByTestId('patient-input').fill(long)
    await page.getByTestId('send').click()
    await page.locator('[data-testid=failure][data-code=CONTEXT_FULL]').waitFor({ timeout: 60_000 })
    await expect(page.getByTestId('patient-input').inputValue()).resolves.toBe(long)
    await page.getByTestId('patient-input').fill('')
  })

  it('an engine that dies mid-answer is said where the answer was, with a restart right there', async () => {
    const probe = await HostSocket.open(host.port, host.token)
    let enginePid: number | undefined
    try {
      enginePid = (await probe.value<{ local: { enginePid?: number } | null }>('model.status')).local?.enginePid
    } finally {
      probe.close()
    }
    expect(enginePid).toBeGreaterThan(0)
    await useSampling({ seed: 17, maxTokens: 1400 })
    await page.getByTestId('patient-input').fill('咳嗽三天')
    await page.getByTestId('send').click()
    const answer = page.locator('[data-testid=message][data-role=model]').last()
    await answer.getByTestId('message-text').filter({ hasText: /\S/ }).waitFor({ timeout: 60_000 })
    process.kill(enginePid!, 'SIGKILL')
    await page.locator('[data-testid=failure][data-code=MODEL_CRASHED]').waitFor({ timeout: 60_000 })
    await expect(answer.getAttribute('data-status')).resolves.toBe('interrupted')
    await page.getByTestId('restart-engine').click()
    await page.locator('[data-testid=engine-state][data-state=ready]').waitFor({ timeout: 60_000 })
    expect(await page.locator('[data-testid=failure][data-code=MODEL_CRASHED]').count()).toBe(0)
  })

  it('switches the page to English', async () => {
    await page.getByTestId('language').click()
    await expect(page.locator('h1').textContent()).resolves.toBe('Huatuo Workstation')
    await expect(page.locator('[data-testid=engine-state]').textContent()).resolves.toContain('Ready')
    await expect(page.locator('[data-testid=nav][data-screen=consultation]').textContent()).resolves.toContain('Consult')
  })

  it('kept every request of Chromium and every socket of the host on loopback', async () => {
    await snapshotHostSockets()
    // Chromium: the page, its assets and its WebSocket, all from the host.
    expect(chromiumUrls.length).toBeGreaterThan(2)
    for (const url of chromiumUrls) {
      const { protocol, hostname } = new URL(url)
      if (protocol === 'data:') continue
      expect(['http:', 'ws:'], url).toContain(protocol)
      expect(hostname, url).toBe('127.0.0.1')
    }
    // The host and its engine process: sockets held at three moments, listening and talking on loopback only.
    expect(hostSockets.length).toBeGreaterThan(0)
    for (const socket of hostSockets) {
      expect(isLoopbackEndpoint(socket.local), `${socket.protocol} ${socket.local}`).toBe(true)
      expect(isLoopbackEndpoint(socket.remote, true), `${socket.protocol} ${socket.remote}`).toBe(true)
    }
    // Every connection, datagram and name lookup either process started, recorded as it happened.
    const records = (await readFile(egressLog(), 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as EgressRecord)
    expect(new Set(records.filter((r) => r.kind === 'start').map((r) => r.pid)).size).toBeGreaterThanOrEqual(2)
    for (const record of records.filter((r) => r.kind !== 'start')) {
      if (record.path !== null) continue
      expect(['127.0.0.1', 'localhost', '::1'], JSON.stringify(record)).toContain(record.host)
    }
  })
})
