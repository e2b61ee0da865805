import type { BrowserWindow as BrowserWindowType } from 'electron'
import type { PaperSize } from '../contract/outpatient-record.ts'
import type { PdfRenderer } from '../core/export/pdf-renderer.ts'

/**
 * Prints outpatient records with Electron's own Chromium: a hidden, sandboxed window with no
 * preload and JavaScript off loads the record's HTML and prints it, honouring its CSS page size.
 */
export function createPrintToPdfRenderer(BrowserWindow: typeof BrowserWindowType, whenReady: () => Promise<unknown>): PdfRenderer {
  return {
    async render(html: string, _paper: PaperSize): Promise<Uint8Array> {
      // `--cli export` runs before the app is ready; windows exist only after.
      await whenReady()
      const window = new BrowserWindow({
        show: false,
        webPreferences: { sandbox: true, contextIsolation: true, nodeIntegration: false, javascript: false, webSecurity: true },
      })
      try {
        // Nothing may load from outside the document itself.
        window.webContents.session.webRequest.onBeforeRequest({ urls: ['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*'] }, (_details, callback) =>
          callback({ cancel: true }),
        )
        await window.loadURL(`data:text/html;charset=utf-8,${encodeURIComponent(html)}`)
        const pdf = await window.webContents.printToPDF({ preferCSSPageSize: true, printBackground: true })
        return new Uint8Array(pdf)
      } finally {
        window.destroy()
      }
    },
    async close() {},
  }
}
