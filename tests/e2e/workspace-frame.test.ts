import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeTestModel } from '../../electron/core/models/test-model.ts'
import { launchChromium } from '../support/chromium.ts'
import { startHostProcess, type HostProcess } from '../support/host-process.ts'
import { HostSocket } from '../support/host-socket.ts'
import { ensureRendererBuilt } from '../support/renderer-build.ts'
import type { EngineScript } from '../support/scripted-engine.ts'

// The window's frame as a new clinic meets it, one flow per test, in Chromium through the browser
// host with the scripted engine: the first administrator created from the window, navigation by
// role, the patient header, today's consultations and switching between them, a reload that comes
// back to the same place, switching clinician from the lock screen in two clicks, one's own PIN,
// and the language. Every flow saves screenshots (out/screens, or HUATUO_SCREENSHOTS) to look at.

// The page's own globals, as the functions evaluated in it see them (this file compiles without the DOM library).
declare const document: { querySelector(selector: string): { scrollHeight: number; clientHeight: number; scrollTop: number } | null }

const screens = resolve(process.env['HUATUO_SCREENSHOTS'] ?? 'out/screens')
const ADMIN = { staffId: 'A0001', name: '周主任', pin: '482915' }
const NURSE = { staffId: 'N0001', name: '王护士', pin: '560382' }
const IT = { staffId: 'IT001', name: '信息科陈工', pin: '615283' }

const script: EngineScript = {
  modelName: 'HuatuoGPT2-7B (scripted)',
  answers: [
    { chunks: ['**考虑**：紧张型头痛可能。\n\n', '建议：\n\n', '1. 规律作息\n', '2. 必要时对乙酰氨基酚\n'], pauseMs: 20 },
    { chunks: ['Likely a viral upper respiratory infection. ', 'Rest and fluids.'], pauseMs: 20 },
  ],
}

let dir: string
let host: HostProcess
let browser: Browser
let page: Page
/** What the page reported against itself: a CSP refusal (eval, inline script or style) or an uncaught error. */
const pageProblems: string[] = []

async function shot(name: string) {
  await page.screenshot({ path: join(screens, `frame-${name}.png`) })
}

async function signOut() {
  await page.getByTestId('clinician').click()
  await page.getByTestId('sign-out').click()
  await page.locator('[data-testid=session-gate][data-mode=sign-in]').waitFor()
}

async function navItems(): Promise<string[]> {
  await page.locator('[data-testid=nav]').first().waitFor()
  return page.locator('[data-testid=nav]').evaluateAll((items) => items.map((item) => item.getAttribute('data-screen') ?? ''))
}

beforeAll(async () => {
  await ensureRendererBuilt()
  await mkdir(screens, { recursive: true })
  dir = await mkdtemp(join(tmpdir(), 'huatuo-frame-'))
  await writeTestModel({ out: join(dir, 'tiny.gguf'), size: 'tiny', name: 'HuatuoGPT2-7B', seed: 21 })
  await writeFile(join(dir, 'script.json'), JSON.stringify(script))
  await writeFile(join(dir, 'hospital.json'), JSON.stringify({ clinicName: '华佗社区卫生服务中心' }))
  host = await startHostProcess({
    args: ['--db', join(dir, 'records.db'), '--model', join(dir, 'tiny.gguf'), '--data-dir', join(dir, 'data'), '--scripted-engine', join(dir, 'script.json')],
    env: { HUATUO_HOSPITAL_CONFIG: join(dir, 'hospital.json') },
  })
  browser = await launchChromium()
  page = await browser.newPage({ viewport: { width: 1280, height: 720 } })
  // A step that cannot happen fails with what it waited for, before the test's own time runs out.
  page.setDefaultTimeout(10_000)
  page.on('pageerror', (error) => pageProblems.push(String(error)))
  page.on('console', (message) => {
    if (message.type() === 'error' || /Content Security Policy|unsafe-eval/i.test(message.text())) pageProblems.push(message.text())
  })
  await page.goto(host.url)
})

afterAll(async () => {
  await browser?.close()
  await host?.stop()
  if (dir) await rm(dir, { recursive: true, force: true })
})

describe("the window's frame", () => {
  it('creates the first administrator from the window of a new workstation, and names the clinic', async () => {
    await page.locator('[data-testid=session-gate][data-mode=first]').waitFor()
    await expect(page.locator('h1').textContent()).resolves.toBe('华佗社区卫生服务中心')
    await shot('01-first-run-zh')
    await page.getByTestId('staff-id').fill(ADMIN.staffId)
    await page.getByTestId('clinician-name').fill(ADMIN.name)
    // Too short a PIN is said as too short; too easy a one as too easy; nothing is created.
    await page.getByTestId('pin').fill('1234')
    await page.getByTestId('session-submit').click()
    await expect(page.locator('[data-testid=failure][data-code=PIN_WRONG_LENGTH] p').first().textContent()).resolves.toContain('长度')
    await page.getByTestId('pin').fill('123456')
    await page.getByTestId('session-submit').click()
    await page.locator('[data-testid=failure][data-code=PIN_TOO_WEAK]').waitFor()
    await page.getByTestId('pin').fill(ADMIN.pin)
    await page.getByTestId('session-submit').click()
    await page.getByTestId('clinician').filter({ hasText: ADMIN.name }).waitFor()
    // The first account is a doctor and an administrator: every screen, starting on the consultation.
    expect(await navItems()).toEqual(['consultation', 'history', 'records', 'model', 'evaluation', 'review', 'settings', 'administration'])
    expect(page.url()).toMatch(/#\/consultation$/)
    await page.locator('[data-testid=engine-state][data-state=ready]').waitFor()
    await shot('02-doctor-home-zh')
  })

  it('fills the patient header after the consultation started, and today’s list shows the patient', async () => {
    await page.getByTestId('open-consultation').click()
    await page.getByTestId('patient-header').waitFor()
    await page.getByTestId('patient-input').fill('头痛三天，下午加重')
    await page.getByTestId('send').click()
    await page.locator('[data-testid=message][data-role=model][data-status=complete]').waitFor()
    // Filled while the conversation goes on, field by field; each saved when left.
    await page.getByTestId('patient-clinic-number').fill('MZ2026001')
    await page.getByTestId('patient-name').fill('王建国')
    await page.getByTestId('patient-age').fill('58')
    await page.getByTestId('patient-department').fill('神经内科')
    await page.getByTestId('patient-department').press('Tab')
    const line = page.locator('[data-testid=today-consultation][aria-current=true]')
    await line.filter({ hasText: '王建国' }).filter({ hasText: 'MZ2026001' }).filter({ hasText: '神经内科' }).waitFor()
    await page.getByTestId('patient-sex').click()
    await page.getByRole('option', { name: '男' }).click()
    await page.waitForTimeout(300)
    await shot('03-patient-header-zh')
    // What the record says now, read back by another connection.
    const reader = await HostSocket.open(host.port, host.token)
    try {
      const id = decodeURIComponent(new URL(page.url()).hash.split('/').at(-1) ?? '')
      const view = await reader.value<{ patient: { name: string; sex: string; ageYears: number; clinicNumber: string }; consultation: { department: string } }>('consultation.open', { consultationId: id })
      expect(view.patient).toMatchObject({ name: '王建国', sex: 'male', ageYears: 58, clinicNumber: 'MZ2026001' })
      expect(view.consultation.department).toBe('神经内科')
    } finally {
      reader.close()
    }
  })

  it('switches between today’s consultations, and a reload comes back to the same one scrolled to its end', async () => {
    const first = new URL(page.url()).hash
    await page.keyboard.press('Alt+KeyN')
    await page.waitForURL((url) => url.hash !== first && /#\/consultation\/[0-9a-f-]+$/.test(url.hash))
    await page.getByTestId('patient-name').fill('李秀英')
    await page.getByTestId('patient-name').press('Tab')
    await page.locator('[data-testid=today-consultation]').filter({ hasText: '李秀英' }).waitFor()
    expect(await page.locator('[data-testid=today-consultation]').count()).toBe(2)
    expect(await page.locator('[data-testid=message]').count()).toBe(0)

    // Back to the first patient: their conversation, their header.
    await page.locator('[data-testid=today-consultation]').filter({ hasText: '王建国' }).click()
    await page.locator('[data-role=patient] [data-testid=message-text]', { hasText: '头痛三天' }).waitFor()
    expect(new URL(page.url()).hash).toBe(first)
    await expect(page.getByTestId('patient-name').inputValue()).resolves.toBe('王建国')

    await page.reload()
    await page.locator('[data-role=patient] [data-testid=message-text]', { hasText: '头痛三天' }).waitFor()
    expect(new URL(page.url()).hash).toBe(first)
    // Scrolled to the end: the last answer is in view.
    const transcript = page.locator('.transcript')
    await page.waitForFunction(() => {
      const element = document.querySelector('.transcript')
      return element !== null && Math.abs(element.scrollHeight - element.clientHeight - element.scrollTop) < 4
    })
    await expect(transcript.locator('[data-testid=message][data-role=model]').last().isVisible()).resolves.toBe(true)
    await shot('04-after-reload-zh')
  })

  it('shows each role only its screens, and an address it may not open leads to its home', async () => {
    const admin = await HostSocket.open(host.port, host.token)
    try {
      await admin.value('accounts.add', { staffId: NURSE.staffId, name: NURSE.name, roles: ['nurse'], pin: '739104' })
      await admin.value('accounts.add', { staffId: IT.staffId, name: IT.name, roles: ['admin'], pin: '904617' })
    } finally {
      admin.close()
    }
    // The nurse's first sign-in asks for her own PIN, in the window.
    await signOut()
    await page.getByTestId('staff-id').fill(NURSE.staffId)
    await page.getByTestId('pin').fill('739104')
    await page.getByTestId('session-submit').click()
    await page.locator('[data-testid=session-gate][data-mode=change-pin]').waitFor()
    await page.getByTestId('pin').fill('739104')
    await page.getByTestId('new-pin').fill(NURSE.pin)
    await page.getByTestId('new-pin-again').fill(NURSE.pin)
    await page.getByTestId('session-submit').click()
    await page.getByTestId('clinician').filter({ hasText: NURSE.name }).waitFor()
    expect(await navItems()).toEqual(['consultation', 'history', 'model', 'review', 'settings'])
    // The doctor's consultation is not where the nurse starts.
    expect(page.url()).toMatch(/#\/consultation$/)
    expect(await page.locator('[data-testid=message]').count()).toBe(0)
    await page.goto(`${host.origin}/#/records`)
    await page.waitForURL((url) => url.hash === '#/consultation')
    await shot('05-nurse-zh')
    await page.getByTestId('language').click()
    await shot('05-nurse-en')
    await page.getByTestId('language').click()

    // An administrator without a clinical role: accounts and models, no patient's screens, no "start consultation".
    await signOut()
    await page.getByTestId('staff-id').fill(IT.staffId)
    await page.getByTestId('pin').fill('904617')
    await page.getByTestId('session-submit').click()
    await page.locator('[data-testid=session-gate][data-mode=change-pin]').waitFor()
    await page.getByTestId('pin').fill('904617')
    await page.getByTestId('new-pin').fill(IT.pin)
    await page.getByTestId('new-pin-again').fill(IT.pin)
    await page.getByTestId('session-submit').click()
    await page.getByTestId('clinician').filter({ hasText: IT.name }).waitFor()
    expect(await navItems()).toEqual(['model', 'evaluation', 'review', 'settings', 'administration'])
    await page.waitForURL((url) => url.hash === '#/model')
    expect(await page.getByTestId('open-consultation').count()).toBe(0)
    await page.goto(`${host.origin}/#/consultation`)
    await page.waitForURL((url) => url.hash === '#/model')
    expect(await page.getByTestId('failure').count()).toBe(0)
    await shot('06-administrator-zh')
    await page.getByTestId('language').click()
    await shot('06-administrator-en')
    await page.getByTestId('language').click()
  })

  it('switches clinician from the lock screen in two clicks, and back', async () => {
    await page.getByTestId('lock').click()
    await page.locator('[data-testid=session-gate][data-mode=unlock]').waitFor()
    await shot('07-locked-zh')
    // Click one: switch user. Click two: one's own name among those lately signed in here.
    await page.locator('[data-testid=session-gate] [data-testid=switch-user]').click()
    await page.locator('[data-testid=session-gate][data-mode=switch]').waitFor()
    const offered = await page.getByTestId('recent-clinician').evaluateAll((buttons) => buttons.map((button) => button.getAttribute('data-staff-id')))
    expect(offered).toContain(ADMIN.staffId)
    expect(offered).not.toContain(IT.staffId)
    await page.locator(`[data-testid=recent-clinician][data-staff-id=${ADMIN.staffId}]`).click()
    await expect(page.getByTestId('staff-id').inputValue()).resolves.toBe(ADMIN.staffId)
    await shot('08-switch-user-zh')
    // The PIN field has the focus: type and press Enter.
    await page.keyboard.type(ADMIN.pin)
    await page.keyboard.press('Enter')
    await page.getByTestId('clinician').filter({ hasText: ADMIN.name }).waitFor()
    expect(await navItems()).toEqual(['consultation', 'history', 'records', 'model', 'evaluation', 'review', 'settings', 'administration'])
  })

  it("changes one's own PIN from the account menu", async () => {
    const form = page.locator('.el-dialog [data-testid=change-pin-form]')
    // A lock while the form is open takes it away with the rest of the window.
    await page.getByTestId('clinician').click()
    await page.getByTestId('change-own-pin').click()
    await form.waitFor()
    await page.keyboard.press('Control+KeyL')
    await page.locator('[data-testid=session-gate][data-mode=unlock]').waitFor()
    await form.waitFor({ state: 'hidden' })
    await page.getByTestId('pin').fill(ADMIN.pin)
    await page.getByTestId('session-submit').click()
    await page.getByTestId('clinician').filter({ hasText: ADMIN.name }).waitFor()
    expect(await form.isVisible()).toBe(false)

    await page.getByTestId('clinician').click()
    await page.getByTestId('change-own-pin').click()
    await form.waitFor()
    await form.getByTestId('pin').fill(ADMIN.pin)
    await form.getByTestId('new-pin').fill('274951')
    await form.getByTestId('new-pin-again').fill('274951')
    await shot('09-change-pin-zh')
    await form.getByTestId('session-submit').click()
    await form.waitFor({ state: 'hidden' })
    // The new PIN is the one that unlocks.
    await page.keyboard.press('Control+KeyL')
    await page.locator('[data-testid=session-gate][data-mode=unlock]').waitFor()
    await page.getByTestId('pin').fill(ADMIN.pin)
    await page.getByTestId('session-submit').click()
    await page.locator('[data-testid=failure][data-code=PIN_WRONG]').waitFor()
    await page.getByTestId('pin').fill('274951')
    await page.getByTestId('session-submit').click()
    await page.getByTestId('clinician').filter({ hasText: ADMIN.name }).waitFor()
    expect(await page.getByTestId('failure').count()).toBe(0)
  })

  it('speaks English throughout after the switch, and keeps the choice after a reload', async () => {
    await page.locator('[data-testid=nav][data-screen=consultation]').click()
    await page.getByTestId('language').click()
    await expect(page.locator('[data-testid=nav][data-screen=history]').textContent()).resolves.toContain('History')
    await expect(page.getByTestId('engine-state').textContent()).resolves.toContain('Ready')
    // After the hand-overs the doctor starts afresh: today's list takes them back to their patient.
    await page.locator('[data-testid=today-consultation]').filter({ hasText: '王建国' }).click()
    await page.getByTestId('patient-header').waitFor()
    await expect(page.getByTestId('patient-header').textContent()).resolves.toContain('Clinic no.')
    await shot('10-consultation-en')
    for (const screen of ['history', 'records', 'model', 'settings'] as const) {
      await page.locator(`[data-testid=nav][data-screen=${screen}]`).click()
      await page.waitForURL((url) => url.hash === `#/${screen}`)
      await page.waitForTimeout(200)
      const text = (await page.locator('main').textContent()) ?? ''
      // No Chinese of the window's own in English (patient data and model names aside).
      expect(text, screen).not.toMatch(/[设模历病]/)
      await shot(`11-${screen}-en`)
    }
    await page.reload()
    await page.getByTestId('clinician').waitFor()
    await expect(page.locator('[data-testid=nav][data-screen=settings]').textContent()).resolves.toContain('Settings')
    await page.getByTestId('lock').click()
    await page.locator('[data-testid=session-gate][data-mode=unlock]').waitFor()
    await shot('12-locked-en')
    await page.getByTestId('pin').fill('274951')
    await page.getByTestId('session-submit').click()
    await page.getByTestId('clinician').waitFor()
    await page.getByTestId('language').click()
  })

  it('ran under its strict CSP with no refusal and no uncaught error, on every screen', () => {
    expect(pageProblems).toEqual([])
  })
})
