import { cp, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium } from '../support/chromium.ts'
import { repoRoot, runHuatuo } from '../support/cli.ts'

// `huatuo eval report` as the committee receives it: the page opened from disk in Chromium loads
// nothing but itself and runs nothing, a hostile answer shows as text, the published figures stand
// beside a cMedQA2 run and a note replaces them for KUAKE-QIC. Full-page screenshots go to out/screens
// (or HUATUO_SCREENSHOTS) to look at, and an A4 PDF of the scored run to out/screens too.

const screens = resolve(process.env['HUATUO_SCREENSHOTS'] ?? 'out/screens')
const fixtures = join(repoRoot, 'tests/fixtures/eval/report-run')
let folder: string
let browser: Browser

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'huatuo-eval-report-'))
  await cp(fixtures, folder, { recursive: true })
  await mkdir(screens, { recursive: true })
  for (const run of ['cmedqa2', 'kuake-qic']) {
    const result = await runHuatuo(['eval', 'report', '--predictions', join(folder, run, 'predictions.jsonl')])
    expect(result.stderr).toBe('')
    expect(result.status).toBe(0)
  }
  browser = await launchChromium()
})
afterAll(async () => {
  await browser?.close()
  await rm(folder, { recursive: true, force: true })
})

/** Opens a run's report.html from disk and returns every URL the page asked for. */
async function openReport(run: string): Promise<{ page: Page; requests: string[]; url: string }> {
  const page = await browser.newPage({ viewport: { width: 1000, height: 900 } })
  const requests: string[] = []
  page.on('request', (request) => requests.push(request.url()))
  const url = pathToFileURL(join(folder, run, 'report.html')).href
  await page.goto(url, { waitUntil: 'load' })
  return { page, requests, url }
}

describe('huatuo eval report, opened in Chromium', () => {
  it('a cMedQA2 run: loads only itself, runs nothing, shows hostile text as text, the published figures beside it', async () => {
    const html = await readFile(join(folder, 'cmedqa2', 'report.html'), 'utf8')
    // No address to load from, no script, no tag with an event handler (the hostile text is escaped).
    expect(html).not.toMatch(/https?:|\/\/[a-z]|<script|<[^>]*\son[a-z]+\s*=/i)
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'`)

    const { page, requests, url } = await openReport('cmedqa2')
    try {
      expect(requests).toEqual([url])
      expect(await page.locator('script, img, iframe, link, object').count()).toBe(0)
      const hostile = page.locator('article.item[data-id="45272"]')
      await expect.poll(() => hostile.textContent()).toContain(`<script>alert("被注入")</script> 退烧贴 & "物理降温" 'ok' </div><img src=x onerror=alert(1)>`)

      const table = page.locator('table.metrics').first()
      const head = await table.locator('thead').textContent()
      expect(head).toContain('HuatuoGPT（13B，已发表）')
      expect(head).toContain('T5 微调基线（已发表）')
      const bleu1 = await table.locator('tbody tr').first().locator('td').allTextContents()
      expect(bleu1[0]).toBe('BLEU-1')
      expect(bleu1.slice(2)).toEqual(['27.39', '20.88'])
      expect(await page.locator('.no-comparison').count()).toBe(0)
      expect(await page.locator('svg.chart').count()).toBe(3)
      expect(await page.locator('article.item').count()).toBe(10)
      // Only part of cMedQA2 was answered, and the page says the comparison is rough for it.
      expect(await page.locator('body').textContent()).toContain('本次只回答了数据集 4000 题中的 12 题')

      await page.screenshot({ path: join(screens, 'eval-report-cmedqa2.png'), fullPage: true })
      await page.emulateMedia({ media: 'print' })
      await page.pdf({ path: join(screens, 'eval-report-cmedqa2.pdf'), preferCSSPageSize: true, printBackground: true })
    } finally {
      await page.close()
    }
  })

  it('an unscored KUAKE-QIC run: no published table, the note instead, the first answers to read', async () => {
    const { page, requests, url } = await openReport('kuake-qic')
    try {
      expect(requests).toEqual([url])
      const text = (await page.locator('body').textContent()) ?? ''
      expect(text).not.toContain('HuatuoGPT（13B，已发表）')
      expect(await page.locator('.no-comparison').textContent()).toContain('不在 HuatuoGPT 已发表的评测表中')
      expect(await page.locator('.unscored').count()).toBe(1)
      expect(await page.locator('article.item').count()).toBe(10)
      // The answer's own markup is text too.
      expect(text).toContain('<b>请勿自行用药</b>')
      await page.screenshot({ path: join(screens, 'eval-report-kuake-qic.png'), fullPage: true })
    } finally {
      await page.close()
    }
  })
})
