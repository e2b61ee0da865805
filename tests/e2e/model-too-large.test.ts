import { mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeTestModel } from '../../electron/core/models/test-model.ts'
import { openHostWindow, type HostWindow } from '../support/host-window.ts'

// A model too large for the memory, as IT meets it in the window: the engine (told by a test-only
// fault that 40 MiB are free) refuses the load with MODEL_TOO_LARGE and the largest context that
// fits; the refusal is said in the load panel with a button that loads at that context.

let window: HostWindow

beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'huatuo-too-large-'))
  await mkdir(join(dir, 'import'))
  await writeTestModel({ out: join(dir, 'import', 'HuatuoGPT2-7B.gguf'), size: 'tiny', name: 'HuatuoGPT2-7B', seed: 3 })
  await writeFile(join(dir, 'hospital.json'), JSON.stringify({ importDir: join(dir, 'import') }))
  window = await openHostWindow(dir, { env: { HUATUO_ENGINE_FAULTS: 'low-memory' } })
})

afterAll(() => window?.close())

describe('a model too large for the memory', () => {
  it('is refused where it was loaded, with the largest context that fits, and loads at that context in one click', async () => {
    const { page } = window
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
    await window.shot('models-09-too-large-zh')
    await page.getByTestId('language').click()
    await page.getByTestId('load-panel').scrollIntoViewIfNeeded()
    await expect(page.getByTestId('load-largest').textContent()).resolves.toMatch(/Use \d/)
    await window.shot('models-09-too-large-en')
    await page.getByTestId('language').click()
    await retry.click()
    await page.locator('[data-testid=model-state][data-state=ready]').waitFor({ timeout: 60_000 })
    await expect(page.getByTestId('loaded-model').textContent()).resolves.toContain(largest.toLocaleString('en-US'))
    expect(await refusal.count()).toBe(0)
  })
})
