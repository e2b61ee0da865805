import { createHash } from 'node:crypto'
import { createReadStream, createWriteStream } from 'node:fs'
import { open } from 'node:fs/promises'
import { Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { WorkstationError } from '../../errors.ts'
import { asDiskFull } from './disk-space.ts'

/**
 * Copies a file and computes its SHA-256 in the same pass (a model is read once, not twice), then
 * flushes it to disk so the rename that publishes it never exposes a half-written file.
 */
export async function copyWithHash(
  from: string,
  to: string,
  options: { signal?: AbortSignal; onBytes?: (bytes: number) => void } = {},
): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256')
  let bytes = 0
  const hashing = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk)
      bytes += chunk.length
      options.onBytes?.(chunk.length)
      callback(null, chunk)
    },
  })
  try {
    await pipeline(createReadStream(from, { highWaterMark: 1 << 20 }), hashing, createWriteStream(to, { flags: 'wx' }), {
      ...(options.signal ? { signal: options.signal } : {}),
    })
    await flushToDisk(to)
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw new WorkstationError('REQUEST_CANCELLED', 'copy cancelled')
    throw asDiskFull(error)
  }
  return { sha256: hash.digest('hex'), bytes }
}

export async function hashFile(path: string, onBytes?: (bytes: number) => void): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    hash.update(chunk as Buffer)
    onBytes?.((chunk as Buffer).length)
  }
  return hash.digest('hex')
}

export async function flushToDisk(path: string): Promise<void> {
  const handle = await open(path, 'r+')
  try {
    await handle.datasync()
  } finally {
    await handle.close()
  }
}
