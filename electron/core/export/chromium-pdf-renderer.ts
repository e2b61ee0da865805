import { access } from 'node:fs/promises'
import type * as Playwright from 'playwright-core'
import type { PaperSize } from '../../contract/outpatient-record.ts'
import { WorkstationError } from '../errors.ts'
import type { PdfRenderer } from './pdf-renderer-interface.ts'

/** Where a Chromium is usually installed (Debian, Fedora, snap, Google Chrome); HUATUO_CHROMIUM first. */
const candidates = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/snap/bin/chromium', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable']

async function findChromium(): Promise<string> {
  const named = process.env['HUATUO_CHROMIUM']
  for (const path of named ? [named] : candidates) {
    if (await access(path).then(() => true, () => false)) return path
  }
  throw new WorkstationError('PDF_RENDERER_UNAVAILABLE', named ? 'HUATUO_CHROMIUM does not exist' : 'no Chromium found')
}

/**
 * Prints with a headless Chromium through playwright-core (a development dependency: present for
 * the CLI from source and the tests; the app prints with Electron). Pages run with JavaScript off and
 * every network request refused: the record is printed from its own text and nothing else.
 */
export class ChromiumPdfRenderer implements PdfRenderer {
  #browser: Promise<Playwright.Browser> | undefined

  async render(html: string, _paper: PaperSize): Promise<Uint8Array> {
    const browser = await (this.#browser ??= this.#launch())
    const context = await browser.newContext({ javaScriptEnabled: false, offline: true })
    try {
      const page = await context.newPage()
      await page.route('**/*', (route) => route.abort())
      await page.setContent(html, { waitUntil: 'load' })
      await page.emulateMedia({ media: 'print' })
      // Paper and margins come from the page's own @page rule.
      return await page.pdf({ preferCSSPageSize: true, printBackground: true, tagged: true, outline: false })
    } finally {
      await context.close()
    }
  }

  async close(): Promise<void> {
    const browser = this.#browser
    this.#browser = undefined
    if (browser) await (await browser.catch(() => undefined))?.close()
  }

  async #launch(): Promise<Playwright.Browser> {
    const executablePath = await findChromium()
    // A name the bundler cannot follow: playwright-core stays out of the app's main bundle.
    const moduleName = 'playwright-core'
    let chromium: typeof Playwright.chromium
    try {
      chromium = ((await import(moduleName)) as typeof Playwright).chromium
    } catch (error) {
      throw new WorkstationError('PDF_RENDERER_UNAVAILABLE', 'playwright-core is not installed', { cause: error })
    }
    try {
      return await chromium.launch({
        executablePath,
        args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
      })
    } catch (error) {
      throw new WorkstationError('PDF_RENDERER_UNAVAILABLE', 'Chromium did not start', { cause: error })
    }
  }
}
