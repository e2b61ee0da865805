import { chromium, type Browser } from 'playwright-core'

// Debian's Chromium, headless, with its own background traffic (updates, sync, metrics) off: what
// remains is what the page asks for.
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env['HUATUO_CHROMIUM'] ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  })
}
