import { open, readFile, truncate, type FileHandle } from 'node:fs/promises'
import { join } from 'node:path'
import type { EvaluationPrediction } from '../../contract/evaluation.ts'
import { WorkstationError } from '../errors.ts'
import { writeFailure } from './write-failure.ts'

// The runner's side of predictions.jsonl: one line per finished item, appended and flushed to disk
// before the next item starts, so a kill loses at most the item in progress. A kill mid-write
// leaves a last line without its newline; reopening cuts the file back to its last complete line.

export const PREDICTIONS_FILE = 'predictions.jsonl'

export interface OpenedPredictions {
  /** Ids already answered (a resumed run skips them). */
  finished: Set<string>
  /** Bytes of a partial last line that were dropped (0 when the file ended cleanly). */
  droppedBytes: number
  append(prediction: EvaluationPrediction): Promise<void>
  close(): Promise<void>
}

export async function openPredictions(folder: string): Promise<OpenedPredictions> {
  const path = join(folder, PREDICTIONS_FILE)
  const finished = new Set<string>()
  let droppedBytes = 0
  let bytes: Buffer | undefined
  try {
    bytes = await readFile(path)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    // Part of the folder's path is a file: the folder cannot be written, nothing is damaged.
    if (code === 'ENOTDIR') throw writeFailure(path, error)
    if (code !== 'ENOENT') throw new WorkstationError('EVALUATION_RUN_DAMAGED', `${PREDICTIONS_FILE}: ${(error as Error).message}`)
  }
  if (bytes) {
    const complete = bytes.lastIndexOf(0x0a) + 1
    droppedBytes = bytes.length - complete
    const lines = bytes.subarray(0, complete).toString('utf8').split('\n').slice(0, -1)
    lines.forEach((line, index) => {
      const id = idOfLine(line)
      // A broken line inside the file is not what a kill leaves: refuse rather than guess.
      if (id === undefined) throw new WorkstationError('EVALUATION_RUN_DAMAGED', `${PREDICTIONS_FILE} line ${index + 1} is not a prediction`)
      finished.add(id)
    })
    if (droppedBytes > 0) {
      try {
        await truncate(path, complete)
      } catch (error) {
        throw writeFailure(path, error)
      }
    }
  }
  let handle: FileHandle
  try {
    handle = await open(path, 'a', 0o600)
  } catch (error) {
    throw writeFailure(path, error)
  }
  let size = (await handle.stat()).size
  return {
    finished,
    droppedBytes,
    async append(prediction) {
      const line = Buffer.from(`${JSON.stringify(prediction)}\n`, 'utf8')
      try {
        await handle.write(line)
        await handle.datasync()
        size += line.length
      } catch (error) {
        // A write cut short (disk full) must not leave half a line behind the finished ones.
        await handle.truncate(size).catch(() => undefined)
        throw writeFailure(path, error)
      }
      finished.add(prediction.id)
    },
    close: () => handle.close(),
  }
}

function idOfLine(line: string): string | undefined {
  try {
    const value = JSON.parse(line) as { id?: unknown; prediction?: unknown }
    return typeof value.id === 'string' && typeof value.prediction === 'string' ? value.id : undefined
  } catch {
    return undefined
  }
}
