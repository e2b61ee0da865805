import { join } from 'node:path'
import type { BrowserWindow, Dialog } from 'electron'
import type { ExportFormat } from '../contract/outpatient-record.ts'

// The operating system's open and save dialogs: the clinician chooses every path the app reads a
// model from or writes an export to, so no path ever comes from the window.

type WindowOf = () => BrowserWindow | undefined

const exportFilters: Readonly<Record<ExportFormat, { name: string; extensions: string[] }>> = {
  fhir: { name: 'FHIR JSON', extensions: ['json'] },
  pdf: { name: 'PDF', extensions: ['pdf'] },
  md: { name: 'Markdown', extensions: ['md'] },
  txt: { name: 'Text', extensions: ['txt'] },
}

export function chooseModelFile(dialog: Pick<Dialog, 'showOpenDialog'>, windowOf: WindowOf): () => Promise<string | null> {
  return async () => {
    const options = { properties: ['openFile' as const], filters: [{ name: 'GGUF', extensions: ['gguf'] }] }
    const window = windowOf()
    const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options)
    return result.canceled ? null : (result.filePaths[0] ?? null)
  }
}

export function chooseExportFile(
  dialog: Pick<Dialog, 'showSaveDialog'>,
  windowOf: WindowOf,
  documentsFolder: () => string,
): (suggestion: { fileName: string; format: ExportFormat }) => Promise<string | null> {
  return async ({ fileName, format }) => {
    const options = { defaultPath: join(documentsFolder(), fileName), filters: [exportFilters[format]] }
    const window = windowOf()
    const result = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options)
    return result.canceled || !result.filePath ? null : result.filePath
  }
}
