import { createHash } from 'node:crypto'
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeTestModel } from '../../electron/core/models/test-model.ts'
import { openHostWindow, type HostWindow } from '../support/host-window.ts'

// The hospital's approved list in the window: an approved model shows as such; a file not on the list
// is refused at import with the sentence that says who can approve it (hospital IT).

let window: HostWindow

beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'huatuo-approval-'))
  await writeTestModel({ out: join(dir, 'approved.gguf'), size: 'tiny', name: 'HuatuoGPT2-7B', seed: 3 })
  await mkdir(join(dir, 'import'))
  await writeTestModel({ out: join(dir, 'import', 'unvetted.gguf'), size: 'tiny', name: 'HuatuoGPT2-7B', seed: 99 })
  const approvedSha = createHash('sha256').update(await readFile(join(dir, 'approved.gguf'))).digest('hex')
  await writeFile(join(dir, 'hospital.json'), JSON.stringify({ importDir: join(dir, 'import'), approvedModelSha256: [approvedSha] }))
  window = await openHostWindow(dir, { args: ['--model', join(dir, 'approved.gguf')] })
  await window.page.locator('[data-testid=nav][data-screen=model]').click()
})

afterAll(() => window?.close())

describe('the approved list', () => {
  it('shows the approved model as approved, and refuses a file not on the list, saying who approves', async () => {
    const { page } = window
    await expect(page.getByTestId('library-table').textContent()).resolves.toContain('已批准')
    expect(await page.getByTestId('not-approved').count()).toBe(0)
    await page.locator('[data-testid=import-candidate][data-file="unvetted.gguf"] [data-testid=import-file]').click()
    const refusal = page.locator('[data-testid=add-models] [data-testid=failure][data-code=MODEL_NOT_APPROVED]')
    await refusal.waitFor()
    await expect(refusal.textContent()).resolves.toContain('信息科')
    expect(await page.getByTestId('model-option').count()).toBe(1)
    await window.shot('models-10-not-approved-zh')
    await page.getByTestId('language').click()
    await expect(refusal.textContent()).resolves.toContain('hospital IT')
    await window.shot('models-10-not-approved-en')
  })
})
