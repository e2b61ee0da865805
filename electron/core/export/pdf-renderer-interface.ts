import type { PaperSize } from '../../contract/outpatient-record.ts'

/**
 * Turns printable HTML into PDF bytes. The app prints with Electron's webContents.printToPDF; the
 * CLI and the tests with Chromium's page.pdf. The HTML sets the paper size and page margins itself
 * (CSS @page), so every renderer only has to honour them.
 */
export interface PdfRenderer {
  render(html: string, paper: PaperSize): Promise<Uint8Array>
  /** Frees the browser behind it, if any. */
  close(): Promise<void>
}

export type PdfRendererFactory = () => PdfRenderer
