import { createHash } from 'node:crypto'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeTestModel } from '../../electron/core/models/test-model.ts'
import { launchChromium } from '../support/chromium.ts'
import { startHostProcess, type HostProcess } from '../support/host-process.ts'
import { signInFirstClinician } from '../support/host-socket.ts'
import { ensureRendererBuilt } from '../support/renderer-build.ts'

// The hospital's approved list in the window: an approved model shows as such; a file that is not on
// the list is refused at import with the sentence that says who can approve it (hospital IT).

const screens = resolve(process.env['HUATUO_SCREENSHOTS'] ?? 'out/screens')
let dir: string
let host: HostProcess
let browser: Browser
let page: Page

beforeAll(async () => {
  await ensureRendererBuilt()
  await mkdir(screens, { recursive: true })
  dir = await mkdtemp(join(tmpdir(), 'huatuo-approval-'))
  await writeTestModel({ out: join(dir, 'approved.gguf'), size: 'tiny', name: 'HuatuoGPT2-7B', seed: 3 })
  await mkdir(join(dir, 'import'))
  await writeTestModel({ out: join(dir, 'import', 'unvetted.gguf'), size: 'tiny', name: 'HuatuoGPT2-7B', seed: 99 })
  const approvedSha = createHash('sha256').update(await readFile(join(dir, 'approved.gguf'))).digest('hex')
  await writeFile(join(dir, 'hospital.json'), JSON.stringify({ importDir: join(dir, 'import'), approvedModelSha256: [approvedSha] }))
  host = await startHostProcess({
    args: ['--db', join(dir, 'records.db'), '--model', join(dir, 'approved.gguf'), '--data-dir', join(dir, 'data')],
    env: { HUATUO_HOSPITAL_CONFIG: join(dir, 'hospital.json') },
  })
  await signInFirstClinician(host.port, host.token)
  browser = await launchChromium()
  page = await browser.newPage({ viewport: { width: 1280, height: 720 } })
  page.setDefaultTimeout(15_000)
  await page.goto(host.url)
  await page.locator('[data-testid=nav][data-screen=model]').click()
})

afterAll(async () => {
  await browser?.close()
  await host?.stop()
  if (dir) await rm(dir, { recursive: true, force: true })
})

describe('the approved list', () => {
  it('shows the approved model as approved, and refuses a file not on the list, saying who approves', async () => {
    await expect(page.getByTestId('library-table').textContent()).resolves.toContain('已批准')
    expect(await page.getByTestId('not-approved').count()).toBe(0)
    await page.locator('[data-testid=import-candidate][data-file="unvetted.gguf"] [data-testid=import-file]').click()
    const refusal = page.locator('[data-testid=add-models] [data-testid=failure][data-code=MODEL_NOT_APPROVED]')
    await refusal.waitFor()
    await expect(refusal.textContent()).resolves.toContain('信息科')
    expect(await page.getByTestId('model-option').count()).toBe(1)
    await page.screenshot({ path: join(screens, 'models-10-not-approved-zh.png') })
    await page.getByTestId('language').click()
    await expect(refusal.textContent()).resolves.toContain('hospital IT')
    await page.screenshot({ path: join(screens, 'models-10-not-approved-en.png') })
  })
})
