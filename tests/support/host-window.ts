import { mkdir, rm } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { launchChromium } from './chromium.ts'
import { startHostProcess, type HostProcess } from './host-process.ts'
import { signInFirstClinician } from './host-socket.ts'
import { ensureRendererBuilt } from './renderer-build.ts'

/** In the page: no finite animation or transition still running. */
const settled = `document.getAnimations().every((a) => a.playState !== 'running' || a.effect?.getComputedTiming().endTime === Infinity)`

/** Where the window's tests save their screenshots to look at (out/screens, or HUATUO_SCREENSHOTS). */
export const screensFolder = resolve(process.env['HUATUO_SCREENSHOTS'] ?? 'out/screens')

export interface HostWindow {
  host: HostProcess
  browser: Browser
  page: Page
  /** Saves a screenshot of the page as out/screens/NAME.png. */
  shot(name: string): Promise<void>
  close(): Promise<void>
}

/**
 * `huatuo serve` on a folder of the test's with `--db`, `--data-dir` and its hospital configuration,
 * the first clinician signed in (unless the test signs in through the window), and Chromium open on
 * the host's page at 1280×720. A step that cannot happen fails after 15 s with what it waited for.
 */
export async function openHostWindow(
  dir: string,
  options: { args?: string[]; env?: Record<string, string>; signIn?: boolean } = {},
): Promise<HostWindow> {
  await ensureRendererBuilt()
  await mkdir(screensFolder, { recursive: true })
  const host = await startHostProcess({
    args: ['--db', join(dir, 'records.db'), '--data-dir', join(dir, 'data'), ...(options.args ?? [])],
    env: { HUATUO_HOSPITAL_CONFIG: join(dir, 'hospital.json'), ...options.env },
  })
  if (options.signIn !== false) await signInFirstClinician(host.port, host.token)
  const browser = await launchChromium()
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } })
  page.setDefaultTimeout(15_000)
  await page.goto(host.url)
  return {
    host,
    browser,
    page,
    shot: async (name) => {
      // A dialog fading in or a tab sliding is photographed once it has settled.
      // (Spinners turn for ever: only animations that end are waited for. Vue starts an enter
      // transition a frame after the element appears, and Element Plus's dialog fades in over
      // 300 ms without always showing as a document animation: hence the wait first.)
      await page.waitForTimeout(320)
      await page
        .waitForFunction(settled, undefined, { timeout: 5000 })
        .catch(() => undefined)
      await page.screenshot({ path: join(screensFolder, `${name}.png`) })
    },
    close: async () => {
      await browser.close()
      await host.stop()
      await rm(dir, { recursive: true, force: true })
    },
  }
}
