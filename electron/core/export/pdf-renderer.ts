import type { PdfRenderer, PdfRendererFactory } from './pdf-renderer-interface.ts'

// The interface lives in its own file, so the renderers that implement it do not import this one.
export type { PdfRenderer, PdfRendererFactory }

let defaultFactory: PdfRendererFactory | undefined

/**
 * The Electron shell sets its printToPDF renderer here, so the CLI run inside the app (`--cli`) prints
 * the same way; elsewhere the Chromium renderer is used.
 */
export function setDefaultPdfRenderer(factory: PdfRendererFactory): void {
  defaultFactory = factory
}

export async function defaultPdfRenderer(): Promise<PdfRenderer> {
  if (defaultFactory) return defaultFactory()
  const { ChromiumPdfRenderer } = await import('./chromium-pdf-renderer.ts')
  return new ChromiumPdfRenderer()
}
