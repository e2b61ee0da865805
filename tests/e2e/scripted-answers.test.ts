import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeTestModel } from '../../electron/core/models/test-model.ts'
import { launchChromium } from '../support/chromium.ts'
import { startHostProcess, type HostProcess, placeOnly } from '../support/host-process.ts'
import { signInFirstClinician } from '../support/host-socket.ts'
import { ensureRendererBuilt } from '../support/renderer-build.ts'
import type { EngineScript } from '../support/scripted-engine.ts'

// Chosen answers in the window, through the scripted engine (the real engine protocol, a script
// instead of a model): Markdown shown as a doctor reads it, HuatuoGPT-o1's thinking collapsed above
// the answer, and hostile markup from a model shown as inert text that runs nothing and loads nothing.

declare const window: { __pwned?: number }

const script: EngineScript = {
  modelName: 'HuatuoGPT-o1-7B (scripted)',
  answers: [
    {
      thinking: '患者头痛伴发热，先排除脑膜炎等危重情况。',
      chunks: ['**初步考虑**：病毒性感冒。\n\n', '建议：\n\n', '1. 多饮水\n', '2. 注意休息\n\n', '| 药物 | 剂量 |\n|---|---|\n| 对乙酰氨基酚 | 0.5g |\n'],
      pauseMs: 40,
    },
    {
      chunks: [
        '<script>window.__pwned = 1</script>\n\n',
        '<img src="http://127.0.0.1:9/beacon.png" onerror="window.__pwned = 2">\n\n',
        '[点这里](javascript:window.__pwned=3) ',
        '![图](http://127.0.0.1:9/image.png)\n\n',
        '<a href="javascript:window.__pwned=4">链接</a>',
      ],
      pauseMs: 20,
    },
  ],
}

let dir: string
let host: HostProcess
let browser: Browser
let page: Page
const requested: string[] = []

beforeAll(async () => {
  await ensureRendererBuilt()
  dir = await mkdtemp(join(tmpdir(), 'huatuo-scripted-'))
  await writeTestModel({ out: join(dir, 'tiny.gguf'), size: 'tiny', name: 'HuatuoGPT-o1-7B', seed: 21 })
  await writeFile(join(dir, 'script.json'), JSON.stringify(script))
  host = await startHostProcess({
    args: ['--db', join(dir, 'records.db'), '--model', join(dir, 'tiny.gguf'), '--data-dir', join(dir, 'data'), '--scripted-engine', join(dir, 'script.json')],
    env: { HUATUO_HOSPITAL_CONFIG: join(dir, 'none.json') },
  })
  await signInFirstClinician(host.port, host.token)
  browser = await launchChromium()
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
  page.on('request', (request) => requested.push(request.url()))
  await page.goto(host.url)
  await page.getByTestId('open-consultation').click()
  await page.getByTestId('consultation-id').waitFor()
})

afterAll(async () => {
  await browser?.close()
  await host?.stop()
  if (dir) await rm(dir, { recursive: true, force: true })
})

async function ask(text: string) {
  await page.getByTestId('patient-input').fill(text)
  await page.getByTestId('send').click()
  const answer = page.locator('[data-testid=message][data-role=model]').last()
  await answer.and(page.locator('[data-status=complete]')).waitFor({ timeout: 30_000 })
  return answer
}

describe('chosen answers in the window', () => {
  it('shows Markdown as a doctor reads it, with the thinking collapsed above the answer', async () => {
    const answer = await ask('头痛发热两天')
    await expect(answer.locator('strong').first().textContent()).resolves.toBe('初步考虑')
    expect(await answer.locator('ol li').allTextContents()).toEqual(['多饮水', '注意休息'])
    expect(await answer.locator('table td').allTextContents()).toEqual(['对乙酰氨基酚', '0.5g'])
    const thinking = answer.locator('details.thinking')
    expect(await thinking.getAttribute('open')).toBeNull()
    await expect(thinking.textContent()).resolves.toContain('先排除脑膜炎')
    // Thinking comes before the final answer, and is not part of it.
    await expect(answer.getByTestId('message-text').textContent()).resolves.not.toContain('脑膜炎')
  })

  it('shows hostile markup from the model as inert text: nothing runs, nothing loads, no link leads anywhere', async () => {
    const answer = await ask('再说一次')
    const text = answer.getByTestId('message-text')
    await expect(text.textContent()).resolves.toContain('<script>window.__pwned = 1</script>')
    expect(await text.locator('script, img, iframe, a, [onerror], [href], [src]').count()).toBe(0)
    await text.getByText('点这里').click()
    await page.waitForTimeout(300)
    expect(await page.evaluate(() => window.__pwned)).toBeUndefined()
    expect(requested.filter((url) => url.includes('127.0.0.1:9'))).toEqual([])
    // The address keeps only the window's place (a screen, a consultation id): never the token.
    expect(page.url()).toMatch(placeOnly(host.origin))
  })

  it("keeps the clinician's note: saved a second after typing stops and on leaving the field, each save a version", async () => {
    const note = page.getByTestId('note')
    await note.fill('查体：咽部充血，双肺呼吸音清')
    await page.getByTestId('note-state').filter({ hasText: '已保存' }).waitFor({ timeout: 10_000 })
    await note.fill('查体：咽部充血，双肺呼吸音清。印象：上感')
    await note.blur()
    await page.getByTestId('note-state').filter({ hasText: '已保存' }).waitFor({ timeout: 10_000 })
    const { openRecordStore } = await import('../../electron/core/records/record-store.ts')
    const store = await openRecordStore({ path: join(dir, 'records.db'), readOnly: true })
    try {
      const [consultation] = store.consultations.list({ limit: 1 }).items
      const [saved] = store.notes.list(consultation!.id)
      expect(saved).toMatchObject({ text: '查体：咽部充血，双肺呼吸音清。印象：上感', version: 2, author: 'D0001' })
      expect(store.notes.history(saved!.id).map((version) => version.text)).toEqual(['查体：咽部充血，双肺呼吸音清', '查体：咽部充血，双肺呼吸音清。印象：上感'])
    } finally {
      store.close()
    }
  })

  it('edits an earlier patient message and goes on from there; what it replaced stays, marked', async () => {
    await page.getByTestId('edit-message').first().click()
    await page.getByTestId('edit-text').fill('头痛发热三天，今天加重')
    await page.getByTestId('edit-save').click()
    const answer = page.locator('[data-testid=message][data-role=model]').last()
    await answer.and(page.locator('[data-status=complete]')).waitFor({ timeout: 30_000 })
    // Both earlier turns are replaced, still shown (dimmed), and the consultation goes on from the new words.
    expect(await page.locator('[data-testid=message][data-superseded=true]').count()).toBe(4)
    const current = page.locator('[data-testid=message]:not([data-superseded])')
    expect(await current.count()).toBe(2)
    await expect(current.first().textContent()).resolves.toContain('头痛发热三天，今天加重')
    // The record keeps every word: the replaced messages are there, marked superseded.
    const { openRecordStore } = await import('../../electron/core/records/record-store.ts')
    const store = await openRecordStore({ path: join(dir, 'records.db'), readOnly: true })
    try {
      const [consultation] = store.consultations.list({ limit: 1 }).items
      const messages = store.messages.list(consultation!.id, { includeSuperseded: true }).items
      expect(messages.map((m) => [m.role, m.supersededAt === null])).toEqual([
        ['patient', false],
        ['model', false],
        ['patient', false],
        ['model', false],
        ['patient', true],
        ['model', true],
      ])
    } finally {
      store.close()
    }
  })
})
