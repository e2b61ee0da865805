import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeTestModel } from '../../electron/core/models/test-model.ts'
import { launchChromium } from '../support/chromium.ts'
import { startHostProcess, type HostProcess } from '../support/host-process.ts'
import { signInFirstClinician } from '../support/host-socket.ts'
import { ensureRendererBuilt } from '../support/renderer-build.ts'

// A model too large for the memory, as IT meets it in the window: the engine (told by a test-only
// fault that 40 MiB are free) refuses the load with MODEL_TOO_LARGE and the largest context that
// fits; the refusal is said in the load panel with a button that loads at that context.

const screens = resolve(process.env['HUATUO_SCREENSHOTS'] ?? 'out/screens')
let dir: string
let host: HostProcess
let browser: Browser
let page: Page

beforeAll(async () => {
  await ensureRendererBuilt()
  await mkdir(screens, { recursive: true })
  dir = await mkdtemp(join(tmpdir(), 'huatuo-too-large-'))
  await mkdir(join(dir, 'import'))
  await writeTestModel({ out: join(dir, 'import', 'HuatuoGPT2-7B.gguf'), size: 'tiny', name: 'HuatuoGPT2-7B', seed: 3 })
  await writeFile(join(dir, 'hospital.json'), JSON.stringify({ importDir: join(dir, 'import') }))
  host = await startHostProcess({
    args: ['--db', join(dir, 'records.db'), '--data-dir', join(dir, 'data')],
    env: { HUATUO_HOSPITAL_CONFIG: join(dir, 'hospital.json'), HUATUO_ENGINE_FAULTS: 'low-memory' },
  })
  await signInFirstClinician(host.port, host.token)
  browser = await launchChromium()
  page = await browser.newPage({ viewport: { width: 1280, height: 720 } })
  page.setDefaultTimeout(15_000)
  await page.goto(host.url)
})

afterAll(async () => {
  await browser?.close()
  await host?.stop()
  if (dir) await rm(dir, { recursive: true, force: true })
})

describe('a model too large for the memory', () => {
  it('is refused where it was loaded, with the largest context that fits, and loads at that context in one click', async () => {
    // No model yet: the model screen is where the clinician starts.
    await page.getByTestId('engine-idle').waitFor()
    expect(new URL(page.url()).hash).toBe('#/model')
    await page.locator('[data-testid=import-candidate] [data-testid=import-file]').click()
    await page.getByTestId('model-option').click()
    await page.getByTestId('load-model').click()
    const refusal = page.locator('[data-testid=load-panel] [data-testid=failure][data-code=MODEL_TOO_LARGE]')
    await refusal.waitFor({ timeout: 60_000 })
    const retry = page.getByTestId('load-largest')
    const label = (await retry.textContent()) ?? ''
    const largest = Number(label.replace(/[^\d]/g, ''))
    expect(largest).toBeGreaterThanOrEqual(256)
    expect(largest).toBeLessThan(2048)
    await page.screenshot({ path: join(screens, 'models-09-too-large-zh.png') })
    await page.getByTestId('language').click()
    await page.getByTestId('load-panel').scrollIntoViewIfNeeded()
    await expect(page.getByTestId('load-largest').textContent()).resolves.toMatch(/Use \d/)
    await page.screenshot({ path: join(screens, 'models-09-too-large-en.png') })
    await page.getByTestId('language').click()
    await retry.click()
    await page.locator('[data-testid=model-state][data-state=ready]').waitFor({ timeout: 60_000 })
    await expect(page.getByTestId('loaded-model').textContent()).resolves.toContain(largest.toLocaleString('en-US'))
    expect(await refusal.count()).toBe(0)
  })
})
