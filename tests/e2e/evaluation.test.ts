import { copyFile, mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeTestModel } from '../../electron/core/models/test-model.ts'
import { HostSocket } from '../support/host-socket.ts'
import { openHostWindow, type HostWindow } from '../support/host-window.ts'
import type { EngineScript } from '../support/scripted-engine.ts'

// The Evaluation screen in Chromium through `huatuo serve`: the datasets of the hospital's
// evaluation folder offered by name with their format guessed, a run of the loaded model started
// and cancelled (the finished items kept), a small run to its end, and its report read inside the
// window, in both languages. Then two runs compared blind: a review created from the Evaluation
// screen, judged by two doctors (one skips an item and comes back to it), and its result.

const script: EngineScript = {
  modelName: 'HuatuoGPT2-7B (scripted)',
  answers: [
    { chunks: ['建议', '多饮水，', '注意休息，', '症状加重时及时就医。'], pauseMs: 150 },
    { chunks: ['可以', '先观察，', '一般无需', '特殊处理。'], pauseMs: 150 },
    { chunks: ['请到医院', '做进一步检查，', '明确诊断后', '再用药。'], pauseMs: 150 },
  ],
}
const fixture = (name: string) => new URL(`../fixtures/eval/${name}`, import.meta.url).pathname

let window: HostWindow

beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'huatuo-evaluation-'))
  await writeTestModel({ out: join(dir, 'tiny.gguf'), size: 'tiny', name: 'HuatuoGPT2-7B', seed: 5 })
  await writeFile(join(dir, 'script.json'), JSON.stringify(script))
  const datasets = join(dir, 'datasets')
  await mkdir(join(datasets, 'cmedqa2'), { recursive: true })
  for (const name of ['answer.csv', 'question.csv', 'test_candidates.txt']) await copyFile(fixture(`cmedqa2/${name}`), join(datasets, 'cmedqa2', name))
  await copyFile(fixture('generic.jsonl'), join(datasets, 'generic.jsonl'))
  await copyFile(fixture('kuake-qic.json'), join(datasets, 'kuake-qic.json'))
  await writeFile(join(dir, 'hospital.json'), JSON.stringify({ evaluationDataDir: datasets }))
  window = await openHostWindow(dir, { args: ['--model', join(dir, 'tiny.gguf'), '--scripted-engine', join(dir, 'script.json')] })
  await window.page.locator('[data-testid=nav][data-screen=evaluation]').click()
  await window.page.getByTestId('evaluation-model').waitFor()
}, 60_000)

afterAll(() => window?.close())

async function choose(select: string, option: string): Promise<void> {
  const { page } = window
  await page.getByTestId(select).click()
  await page.locator('.el-select-dropdown__item:visible', { hasText: option }).first().click()
  await page.locator('.el-select-dropdown__item:visible').first().waitFor({ state: 'hidden' })
}

describe('the Evaluation screen', () => {
  it('offers the folder’s datasets by name and guesses their format', async () => {
    const { page } = window
    await expect(page.getByTestId('evaluation-model').textContent()).resolves.toContain('HuatuoGPT2-7B (scripted)')
    await page.getByTestId('evaluation-dataset').click()
    await page.locator('.el-select-dropdown__item:visible').nth(2).waitFor()
    const names = await page.locator('.el-select-dropdown__item:visible').allTextContents()
    expect(names.map((name) => name.trim())).toEqual(['cmedqa2', 'generic.jsonl', 'kuake-qic.json'])
    await page.locator('.el-select-dropdown__item:visible', { hasText: 'cmedqa2' }).click()
    await expect(page.getByTestId('evaluation-format').textContent()).resolves.toContain('cMedQA2')
    await window.shot('evaluation-01-start-zh')
  })

  it('starts a run with its progress (items, time left, speed) and cancels it, keeping the finished items', async () => {
    const { page } = window
    await choose('evaluation-dataset', 'generic.jsonl')
    await expect(page.getByTestId('evaluation-format').textContent()).resolves.toContain('通用 JSON Lines')
    await page.getByTestId('evaluation-start').click()
    const progress = page.locator('[data-testid=evaluation-progress][data-status=running]')
    await progress.waitFor()
    await page.getByTestId('evaluation-items').filter({ hasText: /已完成 [1-9]\d* \/ \d+ 题/ }).waitFor()
    await expect(progress.textContent()).resolves.toMatch(/预计剩余 .+ · [\d.]+ 词元\/秒/)
    expect(await page.getByTestId('evaluation-start').isDisabled()).toBe(true)
    await window.shot('evaluation-02-running-zh')
    await page.getByTestId('evaluation-cancel').click()
    await page.locator('[data-testid=evaluation-progress][data-status=cancelled]').waitFor()
    const row = page.locator('[data-testid=evaluation-run][data-status=cancelled]')
    await row.waitFor()
    const items = (await row.getByTestId('evaluation-run-items').textContent())!.trim()
    const [done, total] = items.split(' / ').map(Number)
    expect(done).toBeGreaterThanOrEqual(1)
    expect(done).toBeLessThan(total!)
    await expect(row.textContent()).resolves.toContain('已取消')
  })

  it('runs a small dataset to its end and opens its report inside the window', async () => {
    const { page } = window
    await choose('evaluation-dataset', 'kuake-qic.json')
    await expect(page.getByTestId('evaluation-format').textContent()).resolves.toContain('KUAKE-QIC')
    await page.locator('[data-testid=evaluation-limit] input').fill('2')
    await page.locator('[data-testid=evaluation-limit] input').press('Tab')
    await page.getByTestId('evaluation-start').click()
    await page.locator('[data-testid=evaluation-progress][data-status=finished]').waitFor({ timeout: 20_000 })
    const row = page.locator('[data-testid=evaluation-run][data-status=finished]')
    await expect(row.getByTestId('evaluation-run-items').textContent()).resolves.toContain('2 / 2')
    await expect(row.textContent()).resolves.toContain('HuatuoGPT2-7B (scripted)')
    await expect(page.getByTestId('evaluation-runs').locator('[data-testid=evaluation-run]').count()).resolves.toBe(2)
    await window.shot('evaluation-03-runs-zh')

    await row.getByTestId('evaluation-open-report').click()
    const frame = page.frameLocator('[data-testid=evaluation-report]')
    await frame.locator('body').waitFor()
    await expect(frame.locator('body').textContent()).resolves.toContain('kuake-qic.json')
    // The report's page runs no script in the window (sandboxed with nothing allowed).
    expect(await page.getByTestId('evaluation-report').getAttribute('sandbox')).toBe('')
    await window.shot('evaluation-04-report-zh')
    await page.getByTestId('evaluation-report-close').click()
    await page.getByTestId('evaluation-report').waitFor({ state: 'detached' })
  })

  it('says the same in English', async () => {
    const { page } = window
    await page.getByTestId('language').click()
    await expect(page.getByTestId('evaluation-view').textContent()).resolves.toContain('Past runs')
    await expect(page.locator('[data-testid=evaluation-run][data-status=cancelled]').textContent()).resolves.toContain('Cancelled')
    await window.shot('evaluation-05-runs-en')
    await page.locator('[data-testid=evaluation-run][data-status=finished] [data-testid=evaluation-open-report]').click()
    await page.frameLocator('[data-testid=evaluation-report]').locator('body').waitFor()
    await window.shot('evaluation-06-report-en')
    await page.getByTestId('evaluation-report-close').click()
  })
})

describe('the blind review of two runs', () => {
  const second = { staffId: 'D0002', name: '王医生', roles: ['doctor'], department: '全科', pin: '529163' }

  it('is prepared from the Evaluation screen from two runs on the same dataset', async () => {
    const { page } = window
    await page.getByTestId('language').click()
    await choose('evaluation-dataset', 'kuake-qic.json')
    await page.locator('[data-testid=evaluation-limit] input').fill('2')
    await page.locator('[data-testid=evaluation-limit] input').press('Tab')
    await page.getByTestId('evaluation-start').click()
    await page.locator('[data-testid=evaluation-run][data-status=finished]').nth(1).waitFor({ timeout: 20_000 })
    await page.locator('[data-testid=evaluation-progress][data-status=finished]').waitFor()
    const finished = await page.locator('[data-testid=evaluation-run][data-status=finished]').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-run')!))
    await page.getByTestId('evaluation-compare-a').click()
    await page.locator('.compare-a-options .el-select-dropdown__item:visible', { hasText: 'kuake-qic.json' }).nth(1).click()
    await page.getByTestId('evaluation-compare-b').click()
    await page.locator('.compare-b-options .el-select-dropdown__item:visible', { hasText: 'kuake-qic.json' }).nth(0).click()
    await page.getByTestId('evaluation-compare-create').click()
    await expect(page.getByTestId('evaluation-compare-created').textContent()).resolves.toContain('2 题')
    expect(finished).toHaveLength(2)
    await window.shot('review-01-compare-zh')
  })

  it('shows a doctor one question and two unlabelled answers; a skipped item comes back; the result once every item is judged', async () => {
    const { page } = window
    await page.locator('[data-testid=nav][data-screen=review]').click()
    const entry = page.getByTestId('review-entry').first()
    await expect(entry.getByTestId('review-mine').textContent()).resolves.toContain('我已评 0 / 2')
    // The administrator sees which runs are compared; the judging screen never names a model.
    await expect(entry.getByTestId('review-runs').textContent()).resolves.toContain('HuatuoGPT2-7B (scripted)')
    await window.shot('review-02-list-zh')
    await entry.getByTestId('review-open').click()
    const item = page.getByTestId('review-item')
    await item.waitFor()
    const view = (await page.getByTestId('review-view').textContent())!
    expect(view).not.toMatch(/HuatuoGPT|scripted|tiny\.gguf|评测 A|评测 B/)
    await expect(page.getByTestId('review-first').textContent()).resolves.toContain('回答一')
    await expect(page.getByTestId('review-second').textContent()).resolves.toContain('回答二')
    await page.getByTestId('review-position').filter({ hasText: '第 1 / 2 题' }).waitFor()
    await window.shot('review-03-item-zh')
    const firstItem = await item.getAttribute('data-item')
    await page.getByTestId('review-skip').click()
    await page.locator(`[data-testid=review-item]:not([data-item="${firstItem}"])`).waitFor()
    await page.getByTestId('review-reason').fill('回答一建议就医，更稳妥')
    await page.locator('[data-testid=review-choose][data-choice=first]').click()
    // The skipped item comes back, said so.
    await page.locator(`[data-testid=review-item][data-item="${firstItem}"]`).waitFor()
    await expect(page.getByTestId('review-item').textContent()).resolves.toContain('此题你之前跳过了')
    await page.locator('[data-testid=review-choose][data-choice=tie]').click()
    await page.getByTestId('review-done').waitFor()
    await page.getByTestId('review-done-result').click()
    await page.getByTestId('review-result-counts').filter({ hasText: '2 次评判 · 1 位评审者' }).waitFor()
    // An administrator reads which runs were compared.
    await expect(page.getByTestId('review-result-runs').textContent()).resolves.toContain('HuatuoGPT2-7B (scripted)')
    await window.shot('review-04-result-admin-zh')
  })

  it('a second doctor resumes where they left off, and the result shows both reviewers and their agreement', async () => {
    const { page, host } = window
    const socket = await HostSocket.open(host.port, host.token)
    try {
      await socket.value('accounts.add', second)
      await socket.value('session.switchUser', { staffId: second.staffId, pin: second.pin })
      await socket.value('session.changePin', { currentPin: second.pin, newPin: '640271' })
    } finally {
      socket.close()
    }
    await page.locator('[data-testid=nav][data-screen=review]').waitFor()
    await page.locator('[data-testid=nav][data-screen=history]').click()
    await page.locator('[data-testid=nav][data-screen=review]').click()
    const entry = page.getByTestId('review-entry').first()
    await expect(entry.getByTestId('review-mine').textContent()).resolves.toContain('我已评 0 / 2')
    // A doctor who is not an administrator sees no run and no model.
    expect(await entry.getByTestId('review-runs').count()).toBe(0)
    expect(await entry.getByTestId('review-result-open').count()).toBe(0)
    await entry.getByTestId('review-open').click()
    await page.locator('[data-testid=review-choose][data-choice=second]').click()
    await page.getByTestId('review-position').filter({ hasText: '第 2 / 2 题' }).waitFor()
    // Leaving and coming back: the review goes on at the item not yet judged.
    await page.getByTestId('review-back').click()
    await page.getByTestId('review-entry').first().getByTestId('review-mine').filter({ hasText: '我已评 1 / 2' }).waitFor()
    await page.getByTestId('review-entry').first().getByTestId('review-open').click()
    await page.getByTestId('review-position').filter({ hasText: '第 2 / 2 题' }).waitFor()
    await page.locator('[data-testid=review-choose][data-choice=tie]').click()
    await page.getByTestId('review-done-result').click()
    await page.getByTestId('review-result-counts').filter({ hasText: '4 次评判 · 2 位评审者' }).waitFor()
    expect(await page.getByTestId('review-result-runs').count()).toBe(0)
    await expect(page.getByTestId('review-rate-tie').textContent()).resolves.toMatch(/95% 置信区间 [\d.]+% – [\d.]+%（Wilson）/)
    await expect(page.getByTestId('review-agreement').textContent()).resolves.toContain('2 题由两位以上评审者评判')
    await window.shot('review-05-result-doctor-zh')
    await page.getByTestId('language').click()
    await page.getByTestId('review-result-counts').filter({ hasText: '4 judgements · 2 reviewers' }).waitFor()
    await window.shot('review-06-result-doctor-en')
    await page.getByTestId('review-back').click()
    await page.getByTestId('review-entry').first().waitFor()
    await window.shot('review-07-list-en')
  })
})
