import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { basename } from 'node:path'
import { WorkstationError } from '../errors.ts'

/** SHA-256 of a file, streamed (a model file is gigabytes). */
export async function sha256OfFile(path: string, code: 'DATASET_UNREADABLE' | 'MODEL_UNREADABLE' = 'DATASET_UNREADABLE'): Promise<string> {
  const hash = createHash('sha256')
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer)
  } catch (error) {
    throw new WorkstationError(code, `${path}: ${error instanceof Error ? error.message : String(error)}`)
  }
  return hash.digest('hex')
}

/**
 * The dataset's SHA-256: of its one file, or — for a dataset of several files (cMedQA2's candidates,
 * questions and answers) — of the `sha256sum` listing of them, `HASH  NAME` a line in the order read.
 */
export async function datasetSha256(files: string[]): Promise<string> {
  if (files.length === 1) return sha256OfFile(files[0]!)
  const lines: string[] = []
  for (const file of files) lines.push(`${await sha256OfFile(file)}  ${basename(file)}\n`)
  return createHash('sha256').update(lines.join('')).digest('hex')
}
