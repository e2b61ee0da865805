import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeTestModel } from '../../electron/core/models/test-model.ts'
import { testClinician } from '../support/host-socket.ts'
import { openHostWindow, type HostWindow } from '../support/host-window.ts'
import type { EngineScript } from '../support/scripted-engine.ts'

// The idle lock as a clinician meets it: the hospital's shortest setting (one minute), a
// consultation left on screen, the whole window covered with no patient data, the lock screen
// saying it was the idle timer, and the same consultation back after the PIN, scrolled to its end.

const script: EngineScript = { modelName: 'HuatuoGPT2-7B (scripted)', answers: [{ chunks: ['建议多饮水，注意休息。'], pauseMs: 10 }] }

let window: HostWindow

beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'huatuo-idle-'))
  await writeTestModel({ out: join(dir, 'tiny.gguf'), size: 'tiny', name: 'HuatuoGPT2-7B', seed: 21 })
  await writeFile(join(dir, 'script.json'), JSON.stringify(script))
  await writeFile(join(dir, 'hospital.json'), JSON.stringify({ idleLockMinutes: 1 }))
  window = await openHostWindow(dir, { args: ['--model', join(dir, 'tiny.gguf'), '--scripted-engine', join(dir, 'script.json')] })
})

afterAll(() => window?.close())

describe('the idle lock', () => {
  it('covers the window after a minute without input, says why, and unlocks back to the same consultation', async () => {
    const { page } = window
    await page.getByTestId('open-consultation').click()
    await page.getByTestId('patient-name').fill('赵敏')
    await page.getByTestId('patient-name').press('Tab')
    await page.getByTestId('patient-input').fill('咽痛两天，低热')
    await page.getByTestId('send').click()
    await page.locator('[data-testid=message][data-role=model][data-status=complete]').waitFor()
    const place = new URL(page.url()).hash

    // No input for the hospital's idle time: the lock comes from the workstation, not from the page.
    const gate = page.locator('[data-testid=session-gate][data-mode=unlock]')
    await gate.waitFor({ timeout: 90_000 })
    const shown = (await page.locator('body').textContent()) ?? ''
    expect(shown).not.toContain('赵敏')
    expect(shown).not.toContain('咽痛两天')
    expect(shown).toContain('长时间未操作')
    expect(await page.locator('[data-testid=nav]').count()).toBe(0)
    await window.shot('idle-locked-zh')

    await page.getByTestId('pin').fill(testClinician.pin)
    await page.getByTestId('pin').press('Enter')
    await page.locator('[data-role=patient] [data-testid=message-text]', { hasText: '咽痛两天' }).waitFor()
    expect(new URL(page.url()).hash).toBe(place)
    await expect(page.getByTestId('patient-name').inputValue()).resolves.toBe('赵敏')
  }, 120_000)
})
