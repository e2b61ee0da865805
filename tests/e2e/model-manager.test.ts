import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeTestModel } from '../../electron/core/models/test-model.ts'
import { HostSocket, testClinician } from '../support/host-socket.ts'
import { openHostWindow, type HostWindow } from '../support/host-window.ts'
import { startModelServer, type ModelServer } from '../support/model-server.ts'

// The model screen as hospital IT uses it, in Chromium through the browser host with generated
// models: the library with its inspection and approval, the memory gauge before loading, import
// from the import folder (a good file, a file that is not GGUF, a damaged one), load and unload,
// and a nurse who may load but not add or remove. Screenshots in out/screens.

let window: HostWindow
let host: HostWindow['host']
let page: Page
let server: ModelServer
/** Where the catalog's HuatuoGPT-o1-7B file is found under the mirror IT configured. */
const catalogPath = '/bartowski/HuatuoGPT-o1-7B-GGUF/resolve/main/HuatuoGPT-o1-7B-Q4_K_M.gguf'

const shot = (name: string) => window.shot(`models-${name}`)

/** The same state in both languages: Chinese first, then English, then back. */
async function shotBoth(name: string) {
  await shot(`${name}-zh`)
  await page.getByTestId('language').click()
  await shot(`${name}-en`)
  await page.getByTestId('language').click()
}

async function importFile(fileName: string) {
  await page.locator(`[data-testid=import-candidate][data-file="${fileName}"] [data-testid=import-file]`).click()
}

beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'huatuo-models-'))
  await writeTestModel({ out: join(dir, 'tiny.gguf'), size: 'tiny', name: 'HuatuoGPT2-7B', seed: 3 })
  await mkdir(join(dir, 'import'))
  await writeTestModel({ out: join(dir, 'import', 'HuatuoGPT-o1-7B.Q4_K_M.gguf'), size: 'tiny', name: 'HuatuoGPT-o1-7B', seed: 9 })
  await writeFile(join(dir, 'import', 'notes.gguf'), '这不是模型文件，是交班记录。')
  const good = await readFile(join(dir, 'import', 'HuatuoGPT-o1-7B.Q4_K_M.gguf'))
  await writeFile(join(dir, 'import', 'damaged.gguf'), good.subarray(0, Math.floor(good.length / 3)))
  // The hospital's mirror, on loopback: it serves the catalog's o1-7B file (a generated model).
  await writeTestModel({ out: join(dir, 'mirror.gguf'), size: 'tiny', name: 'HuatuoGPT-o1-7B', seed: 17 })
  server = await startModelServer({ [catalogPath]: { body: await readFile(join(dir, 'mirror.gguf')) } })
  await writeFile(
    join(dir, 'hospital.json'),
    JSON.stringify({ importDir: join(dir, 'import'), clinicName: '华佗社区卫生服务中心', downloadBaseUrl: server.url, downloadStallSeconds: 60 }),
  )
  window = await openHostWindow(dir, { args: ['--model', join(dir, 'tiny.gguf')] })
  ;({ host, page } = window)
  await page.locator('[data-testid=nav][data-screen=model]').click()
})

afterAll(async () => {
  await window?.close()
  await server?.close()
})

describe('the model screen', () => {
  it('shows the library with each model’s inspection and approval, and the memory gauge for the chosen one', async () => {
    await page.getByTestId('model-option').filter({ hasText: 'HuatuoGPT2-7B' }).click()
    const gauge = page.getByTestId('memory-gauge')
    await gauge.waitFor()
    expect(await gauge.getAttribute('data-fits')).toBe('true')
    await expect(gauge.textContent()).resolves.toMatch(/需要 .*可用/)
    await expect(page.getByTestId('largest-context').textContent()).resolves.toMatch(/\d/)
    await expect(page.getByTestId('library-table').textContent()).resolves.toContain('已批准')
    await expect(page.getByTestId('engine-backend').textContent()).resolves.toBe('CPU')
    // Opening a row reads the file's inspection: architecture, tensors, tokenizer, why this prompt format.
    await page.locator('[data-testid=library-table] .el-table__expand-icon').first().click()
    await expect(page.getByTestId('inspection-architecture').textContent()).resolves.toMatch(/llama|qwen2|baichuan/)
    await shotBoth('01-library')
  })

  it('refuses a file that is not GGUF and a damaged one where they were imported, and imports a good one', async () => {
    await importFile('notes.gguf')
    const addModels = page.getByTestId('add-models')
    await addModels.locator('[data-testid=failure][data-code=MODEL_NOT_GGUF]').waitFor()
    await shotBoth('02-not-gguf')
    await addModels.locator('[data-testid=failure] button').click()
    await importFile('damaged.gguf')
    const damaged = addModels.locator('[data-testid=failure]')
    await damaged.waitFor()
    expect(['MODEL_CORRUPT', 'MODEL_NOT_GGUF', 'MODEL_UNREADABLE']).toContain(await damaged.getAttribute('data-code'))
    await addModels.locator('[data-testid=failure] button').click()
    expect(await page.getByTestId('model-option').count()).toBe(1)

    await importFile('HuatuoGPT-o1-7B.Q4_K_M.gguf')
    await page.getByTestId('model-option').filter({ hasText: 'HuatuoGPT-o1-7B' }).waitFor()
    expect(await addModels.locator('[data-testid=failure]').count()).toBe(0)
  })

  it('loads the chosen model at the chosen context, shows the backend after, and unloads', async () => {
    await page.getByTestId('model-option').filter({ hasText: 'HuatuoGPT-o1-7B' }).click()
    await page.getByTestId('context-size').click()
    await page.getByRole('option', { name: '1,024' }).click()
    await page.getByTestId('memory-gauge').filter({ hasText: '1,024' }).waitFor()
    await page.getByTestId('load-model').click()
    await page.locator('[data-testid=loaded-model] dd').first().filter({ hasText: 'HuatuoGPT-o1-7B' }).waitFor({ timeout: 60_000 })
    await page.locator('[data-testid=model-state][data-state=ready]').waitFor()
    await expect(page.getByTestId('loaded-model').textContent()).resolves.toContain('1,024')
    await expect(page.getByTestId('engine-state').textContent()).resolves.toContain('HuatuoGPT-o1-7B')
    await shotBoth('03-loaded')
    await page.getByTestId('unload-model').click()
    await page.locator('[data-testid=model-state][data-state=idle]').waitFor()
    await expect(page.getByTestId('engine-state').textContent()).resolves.toContain('未加载模型')
  })

  it('downloads from the hospital mirror: an interrupted download is said, a cancelled one kept, and both resume', async () => {
    const entry = page.locator('[data-testid=catalog-entry][data-catalog-id=huatuogpt-o1-7b-q4km]')
    const addModels = page.getByTestId('add-models')
    await expect(addModels.textContent()).resolves.toContain(server.url)
    // The connection drops half-way: said where the download was started.
    server.once(catalogPath, { cutAfterBytes: 100_000 })
    await entry.getByTestId('download-model').click()
    const failure = addModels.locator('[data-testid=failure]')
    await failure.waitFor()
    await expect(failure.textContent()).resolves.toContain('再次点“下载”会从断点继续')
    await shotBoth('06-download-interrupted')
    await expect(entry.getByTestId('catalog-needs').textContent()).resolves.toMatch(/内存至少 \d/)
    await failure.locator('button').click()
    // The mirror stalls; the clinician cancels: a calm word, not an error.
    server.once(catalogPath, { stallAfterBytes: 300_000 })
    await entry.getByTestId('download-model').click()
    await page.getByTestId('cancel-download').waitFor()
    await expect.poll(async () => (await page.getByTestId('transfer').textContent()) ?? '').toMatch(/下载中 [1-9]/)
    await shot('07-downloading-zh')
    await page.getByTestId('cancel-download').click()
    await page.getByTestId('download-cancelled').waitFor()
    expect(await addModels.locator('[data-testid=failure]').count()).toBe(0)
    await page.getByTestId('language').click()
    await page.getByTestId('download-cancelled').scrollIntoViewIfNeeded()
    await shot('07b-cancelled-en')
    await page.getByTestId('language').click()
    // Asked again: it resumes with a Range request and the model joins the library.
    const before = server.requests.length
    await entry.getByTestId('download-model').click()
    await page.getByTestId('model-option').filter({ hasText: 'HuatuoGPT-o1-7B' }).nth(1).waitFor({ timeout: 60_000 })
    const resumed = server.requests.slice(before).find((request) => request.path === catalogPath)
    expect(resumed?.range).toMatch(/^bytes=[1-9]\d*-$/)
    await shotBoth('08-downloaded')
  })

  it('reads in English', async () => {
    await page.getByTestId('language').click()
    await expect(page.getByTestId('library-table').textContent()).resolves.toContain('Approved')
    await expect(page.getByTestId('add-models').textContent()).resolves.toContain('Import from the import folder')
    await shot('04-library-en')
    await page.getByTestId('language').click()
  })

  it('lets a nurse load a model but not add or remove one', async () => {
    const admin = await HostSocket.open(host.port, host.token)
    try {
      await admin.value('accounts.add', { staffId: 'N0001', name: '王护士', roles: ['nurse'], pin: '739104' })
      await admin.value('session.switchUser', { staffId: 'N0001', pin: '739104' })
      await admin.value('session.changePin', { currentPin: '739104', newPin: '560382' })
    } finally {
      admin.close()
    }
    await page.getByTestId('clinician').filter({ hasText: '王护士' }).waitFor()
    await page.locator('[data-testid=nav][data-screen=model]').click()
    await page.getByTestId('library-table').waitFor()
    expect(await page.getByTestId('add-models').count()).toBe(0)
    expect(await page.getByTestId('remove-model').count()).toBe(0)
    await page.getByTestId('model-option').filter({ hasText: 'HuatuoGPT2-7B' }).click()
    await page.getByTestId('load-model').click()
    await page.locator('[data-testid=model-state][data-state=ready]').waitFor({ timeout: 60_000 })
    await shotBoth('05-nurse')
    const back = await HostSocket.open(host.port, host.token)
    try {
      await back.value('session.switchUser', { staffId: testClinician.staffId, pin: testClinician.pin })
    } finally {
      back.close()
    }
  })
})
