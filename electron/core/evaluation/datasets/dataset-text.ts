import { readFile, stat } from 'node:fs/promises'
import { basename } from 'node:path'
import { WorkstationError } from '../../errors.ts'

/**
 * A dataset file's text. UTF-8 (a byte-order mark dropped); files that are not valid UTF-8 are
 * read as GB18030, the encoding Chinese CSVs saved on Windows often have.
 */
export async function readDatasetText(path: string): Promise<string> {
  let bytes: Buffer
  try {
    if (!(await stat(path)).isFile()) throw new Error('not a file')
    bytes = await readFile(path)
  } catch (error) {
    throw new WorkstationError('DATASET_UNREADABLE', `${path}: ${error instanceof Error ? error.message : String(error)}`)
  }
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    text = new TextDecoder('gb18030').decode(bytes)
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
}

/** The file's lines with their 1-based numbers; a final empty line (after the last newline) is left out. */
export function numberedLines(text: string): { line: number; text: string }[] {
  const lines = text.split(/\r?\n/)
  if (lines.at(-1) === '') lines.pop()
  return lines.map((line, index) => ({ line: index + 1, text: line }))
}

export function fileLabel(path: string): string {
  return basename(path)
}

export function invalidDataset(path: string, detail: string): WorkstationError {
  return new WorkstationError('DATASET_INVALID', `${basename(path)}: ${detail}`)
}
