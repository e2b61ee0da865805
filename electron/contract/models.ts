// The model library as the window and the CLI see it: plain data, no Node types.
import type { PromptFormatId } from './inference.ts'

export interface LibraryModelFile {
  name: string
  sizeBytes: number
  sha256: string
  /** Last modification time recorded at import, to notice a file changed behind the library's back. */
  mtimeMs: number
}

/** A `.gguf` file in the hospital's import folder, offered by name (the window never sends a path). */
export interface ModelImportCandidate {
  fileName: string
  sizeBytes: number
  modifiedAt: string
}

export interface ModelImportCandidates {
  /** False when IT configured no import folder (hospital configuration `importDir`). */
  folderConfigured: boolean
  files: ModelImportCandidate[]
}

export type ModelImportOutcome = { outcome: 'imported'; model: LibraryModel; alreadyPresent: boolean } | { outcome: 'cancelled' }

export type LibraryModelSource = { kind: 'import'; path: string } | { kind: 'download'; url: string; catalogId: string | null }

export interface LibraryModel {
  /** The first 16 hex digits of the first file's SHA-256: the same file always gets the same id. */
  id: string
  name: string
  /** The folder inside the models folder that holds the files. */
  folder: string
  files: LibraryModelFile[]
  /** SHA-256 of the first (or only) file: what the hospital's approval list names. */
  sha256: string
  sizeBytes: number
  source: LibraryModelSource
  addedAt: string
  addedBy: string
  architecture: string
  family: string
  promptFormat: PromptFormatId
  quantization: string
  parameterCount: number
  trainedContextLength: number | null
}

export interface ModelCatalogEntry {
  id: string
  name: string
  family: string
  promptFormat: PromptFormatId
  architecture: string
  languages: string[]
  quantization: string
  repository: string
  files: string[]
  sizeBytes: number
}

/** Import and download progress; `phase` says what the bytes are for. */
export interface ModelTransferProgress {
  phase: 'copying' | 'hashing' | 'downloading' | 'checking'
  doneBytes: number
  totalBytes: number
  file: string
}
