import type { PdfRenderer, PdfRendererFactory } from './pdf-renderer-interface.ts'

// The interface lives in its own file, so the renderers that implement it do not import this one.
export type { PdfRenderer, PdfRendererFactory }

/**
 * Under plain Node: Chromium's page.pdf. The app prints through Electron's printToPDF instead,
 * passed in ShellCapabilities (to the workstation and to its `--cli`).
 */
export async function defaultPdfRenderer(): Promise<PdfRenderer> {
  const { ChromiumPdfRenderer } = await import('./chromium-pdf-renderer.ts')
  return new ChromiumPdfRenderer()
}
