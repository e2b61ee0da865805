// npm run bench:ui [-- --json] [-- --consultations N] [-- --tokens N]
//
// The window under load, in Chromium through `huatuo serve` with the scripted engine (the real
// engine protocol replaying chosen text), in one run:
//   - streaming: a 4,000-token answer in Markdown (paragraphs, lists, a table) streamed at about
//     200 deltas per second, and the same words as plain paragraphs, in the order Markdown, plain,
//     plain, Markdown (so drift hits both alike). From Chromium's own counters and a performance
//     trace of each: main-thread scripting time (CDP Performance ScriptDuration) of Markdown ÷
//     plain (target ≤ 2), and the longest main-thread task of each (trace RunTask; target ≤ 50 ms);
//   - the history list over 100,000 demo consultations: the list scrolled by the mouse wheel, a
//     page of rows at a time, while the page records every animation frame; the longest frame
//     (target ≤ 50 ms).
// With --json the last line is one JSON object:
//   {"scriptingRatio", "longestTaskMs", "plainLongestTaskMs", "historyLongestFrameMs"}
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import type { Browser, Page } from 'playwright-core'
import { writeTestModel } from '../../electron/core/models/test-model.ts'
import { bundledDemoSources, demoConsultations } from '../../electron/core/records/demo-corpus.ts'
import { storeDemoConsultations } from '../../electron/core/records/demo-records.ts'
import { openRecordStore } from '../../electron/core/records/record-store.ts'
import { launchChromium } from '../support/chromium.ts'
import { startHostProcess, type HostProcess } from '../support/host-process.ts'
import { signInFirstClinician } from '../support/host-socket.ts'
import { ensureRendererBuilt } from '../support/renderer-build.ts'
import type { EngineScript } from '../support/scripted-engine.ts'
import { formatRatio, median, ratio, roundForJson } from './bench-stats.ts'
import { benchAnswers, longestFrameMs, longestTaskMs, type TraceEvent } from './ui-trace.ts'

const { values: cli } = parseArgs({ options: { json: { type: 'boolean' }, consultations: { type: 'string' }, tokens: { type: 'string' } }, strict: true })
const consultationCount = Number(cli.consultations ?? 100_000)
const tokenCount = Number(cli.tokens ?? 4000)
if (!Number.isInteger(consultationCount) || consultationCount < 100 || !Number.isInteger(tokenCount) || tokenCount < 100) {
  process.stderr.write('usage: node tests/bench/ui.bench.ts [--json] [--consultations N (≥ 100)] [--tokens N (≥ 100)]\n')
  process.exit(2)
}

const SCRIPTING_RATIO_TARGET = 2
const LONGEST_TASK_TARGET_MS = 50
const LONGEST_FRAME_TARGET_MS = 50
/** The answer's pace: deltas sent on a fixed schedule, 200 a second. */
const DELTAS_PER_SECOND = 200

declare const document: { querySelector(selector: string): { scrollTop: number } | null }
declare function requestAnimationFrame(callback: (time: number) => void): number
declare const window: { __frames?: number[]; __recording?: boolean }
declare const location: { hash: string }

const progress = (text: string) => process.stderr.write(`${text}\n`)
const count = (n: number) => n.toLocaleString('en-US')

interface StreamRun {
  scriptingMs: number
  longestTaskMs: number
  deltasPerSecond: number
}

/** One answer streamed into the window while Chromium traces the page. */
async function streamOnce(browser: Browser, page: Page, pieces: number, label: string): Promise<StreamRun> {
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('Performance.enable')
  const scriptSeconds = async () => (await cdp.send('Performance.getMetrics')).metrics.find((metric) => metric.name === 'ScriptDuration')?.value ?? 0
  await page.getByTestId('open-consultation').click()
  await page.getByTestId('consultation-id').waitFor()
  await page.getByTestId('patient-input').fill('头痛发热两天，想咨询一下')
  await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'] })
  const scriptBefore = await scriptSeconds()
  const started = performance.now()
  await page.getByTestId('send').click()
  const answer = page.locator('[data-testid=message][data-role=model]').last()
  await answer.and(page.locator('[data-status=complete]')).waitFor({ timeout: 600_000 })
  const seconds = (performance.now() - started) / 1000
  const scriptAfter = await scriptSeconds()
  const trace = JSON.parse((await browser.stopTracing()).toString('utf8')) as { traceEvents: TraceEvent[] }
  await cdp.detach()
  const run = { scriptingMs: (scriptAfter - scriptBefore) * 1000, longestTaskMs: longestTaskMs(trace.traceEvents), deltasPerSecond: pieces / seconds }
  progress(`  ${label}: scripting ${run.scriptingMs.toFixed(0)} ms, longest task ${run.longestTaskMs.toFixed(1)} ms, ${run.deltasPerSecond.toFixed(0)} deltas/s`)
  return run
}

/** The history list scrolled a page at a time by the wheel, every animation frame recorded. */
async function scrollHistory(browser: Browser, page: Page): Promise<{ longestFrameMs: number; longestTaskMs: number; frames: number; scrolledPx: number; rows: number }> {
  await page.evaluate(() => {
    location.hash = '#/history'
  })
  const list = page.getByTestId('history-list')
  await list.waitFor({ timeout: 60_000 })
  await page.getByTestId('history-row').first().waitFor({ timeout: 60_000 })
  await page.waitForTimeout(500)
  const box = await list.boundingBox()
  if (box === null) throw new Error('the history list is not visible')
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2)
  await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'] })
  await page.evaluate(() => {
    window.__frames = []
    window.__recording = true
    const record = (time: number) => {
      if (!window.__recording) return
      window.__frames!.push(time)
      requestAnimationFrame(record)
    }
    requestAnimationFrame(record)
  })
  for (let step = 0; step < 150; step++) {
    await page.mouse.wheel(0, Math.round(box.height * 0.9))
    await page.waitForTimeout(40)
  }
  const frames = await page.evaluate(() => {
    window.__recording = false
    return window.__frames ?? []
  })
  const trace = JSON.parse((await browser.stopTracing()).toString('utf8')) as { traceEvents: TraceEvent[] }
  const scrolledPx = await page.evaluate(() => document.querySelector('[data-testid=history-list]')?.scrollTop ?? 0)
  const rows = Number(await list.getAttribute('aria-rowcount'))
  return { longestFrameMs: longestFrameMs(frames), longestTaskMs: longestTaskMs(trace.traceEvents), frames: frames.length, scrolledPx, rows }
}

async function main() {
  const dir = await mkdtemp(join(tmpdir(), 'huatuo-bench-ui-'))
  let host: HostProcess | undefined
  let browser: Browser | undefined
  try {
    await ensureRendererBuilt()
    // 1. The history's consultations, built before the workstation opens the database.
    const databasePath = join(dir, 'records.db')
    let clock: number | null = null
    const store = await openRecordStore({ path: databasePath, scheduledBackups: false, now: () => clock ?? Date.now() })
    const sources = await bundledDemoSources()
    storeDemoConsultations(store, demoConsultations(sources, { count: consultationCount, seed: 5, turns: 1 }), {
      batchSize: 1000,
      setClock: (at) => (clock = at),
      onBatch: ({ consultations }) => {
        if (consultations % 20_000 === 0) progress(`built ${count(consultations)} / ${count(consultationCount)} consultations`)
      },
    })
    store.close()

    // 2. The workstation with the scripted engine: Markdown, plain, plain, Markdown.
    const answers = benchAnswers(tokenCount)
    const answer = (chunks: string[]) => ({ chunks, deltasPerSecond: DELTAS_PER_SECOND })
    const script: EngineScript = {
      modelName: 'HuatuoGPT2-7B (bench)',
      answers: [answer(answers.markdown), answer(answers.plain), answer(answers.plain), answer(answers.markdown)],
    }
    await writeFile(join(dir, 'script.json'), JSON.stringify(script))
    await writeTestModel({ out: join(dir, 'tiny.gguf'), size: 'tiny', name: 'HuatuoGPT2-7B', seed: 21 })
    host = await startHostProcess({
      args: ['--db', databasePath, '--model', join(dir, 'tiny.gguf'), '--data-dir', join(dir, 'data'), '--scripted-engine', join(dir, 'script.json')],
      env: { HUATUO_HOSPITAL_CONFIG: join(dir, 'none.json') },
    })
    await signInFirstClinician(host.port, host.token)
    browser = await launchChromium()
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } })
    page.setDefaultTimeout(60_000)
    await page.goto(host.url)

    progress(`streaming ${count(tokenCount)} pieces, Markdown and plain (M, P, P, M):`)
    const markdown: StreamRun[] = []
    const plain: StreamRun[] = []
    for (const [side, runs] of [
      ['markdown', markdown],
      ['plain', plain],
      ['plain', plain],
      ['markdown', markdown],
    ] as const) {
      runs.push(await streamOnce(browser, page, tokenCount, side))
    }
    progress(`scrolling the history over ${count(consultationCount)} consultations`)
    const history = await scrollHistory(browser, page)

    const scriptingRatio = ratio(median(markdown.map((r) => r.scriptingMs)), median(plain.map((r) => r.scriptingMs)))
    const longest = Math.max(...markdown.map((r) => r.longestTaskMs))
    const plainLongest = Math.max(...plain.map((r) => r.longestTaskMs))
    const deltas = median([...markdown, ...plain].map((r) => r.deltasPerSecond))
    console.log(`streaming ${count(tokenCount)} pieces, ${DELTAS_PER_SECOND} deltas/s scheduled: ${deltas.toFixed(0)}/s from send to the answer's end (median of 4 runs)`)
    console.log(
      `main-thread scripting, Markdown ÷ plain: ${formatRatio(scriptingRatio)} (median ${median(markdown.map((r) => r.scriptingMs)).toFixed(0)} ms ÷ ${median(plain.map((r) => r.scriptingMs)).toFixed(0)} ms) — ${formatRatio(scriptingRatio / SCRIPTING_RATIO_TARGET)} of the target (target ≤ ${SCRIPTING_RATIO_TARGET})`,
    )
    console.log(`longest main-thread task, Markdown: ${longest.toFixed(1)} ms — ${formatRatio(longest / LONGEST_TASK_TARGET_MS)} of the ${LONGEST_TASK_TARGET_MS} ms target`)
    console.log(`longest main-thread task, plain: ${plainLongest.toFixed(1)} ms — ${formatRatio(plainLongest / LONGEST_TASK_TARGET_MS)} of the ${LONGEST_TASK_TARGET_MS} ms target`)
    console.log(
      `history over ${count(consultationCount)} consultations: longest frame ${history.longestFrameMs.toFixed(1)} ms over ${history.frames} frames (longest task ${history.longestTaskMs.toFixed(1)} ms), ${count(Math.round(history.scrolledPx))} px scrolled through ${count(history.rows)} rows paged in — ${formatRatio(history.longestFrameMs / LONGEST_FRAME_TARGET_MS)} of the ${LONGEST_FRAME_TARGET_MS} ms target`,
    )
    if (cli.json) {
      console.log(
        JSON.stringify({
          scriptingRatio: roundForJson(scriptingRatio),
          longestTaskMs: roundForJson(longest),
          plainLongestTaskMs: roundForJson(plainLongest),
          historyLongestFrameMs: roundForJson(history.longestFrameMs),
        }),
      )
    }
  } finally {
    await browser?.close()
    await host?.stop()
    await rm(dir, { recursive: true, force: true })
  }
}

await main()
