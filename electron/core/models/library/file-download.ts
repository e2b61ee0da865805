import { createHash, type Hash } from 'node:crypto'
import { createReadStream, createWriteStream } from 'node:fs'
import { readFile, rename, rm, stat, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { Readable, Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { ReadableStream as WebReadableStream } from 'node:stream/web'
import { WorkstationError } from '../../errors.ts'
import { asDiskFull, ensureFreeSpace, type FreeSpaceProbe } from './disk-space.ts'
import { flushToDisk } from './hashing-copy.ts'
import { GGUF_MAGIC } from '../../gguf/gguf-format.ts'

// One file over HTTP(S), resumable: the bytes so far live in FILE.part with FILE.part.json beside
// it (the address and the server's validator), so a download cut off by a dropped connection, a
// stalled server, a cancel or a restart continues with an HTTP Range request when asked again.
// A refused download (the server no longer has the file, or sends something that is not a GGUF
// model) leaves nothing behind: there is nothing to resume.

export interface FileDownloadOptions {
  /** A download with no bytes for this long is paused (DOWNLOAD_STALLED), resumable. */
  stallMs: number
  signal?: AbortSignal
  onBytes?: (doneBytes: number, totalBytes: number) => void
  freeSpace?: FreeSpaceProbe
}

export interface DownloadedFile {
  path: string
  sha256: string
  bytes: number
  /** A SHA-256 the server vouched for (Hugging Face sends the LFS hash as ETag), or null. */
  serverSha256: string | null
}

interface PartialState {
  url: string
  validator: string | null
  totalBytes: number | null
}

async function readPartialState(path: string): Promise<PartialState | null> {
  try {
    return JSON.parse(await readFile(`${path}.part.json`, 'utf8')) as PartialState
  } catch {
    return null
  }
}

/** A 64-hex ETag (quotes and weak prefix aside) is a content SHA-256, as Hugging Face's LFS ETags are. */
function sha256FromHeaders(headers: Headers): string | null {
  for (const name of ['x-linked-etag', 'etag']) {
    const value = headers.get(name)?.replace(/^W\//, '').replaceAll('"', '').trim().toLowerCase()
    if (value && /^[0-9a-f]{64}$/.test(value)) return value
  }
  return null
}

function networkFailure(error: unknown, url: string): WorkstationError {
  const cause = (error as { cause?: { code?: string } }).cause
  const code = cause?.code ?? (error as NodeJS.ErrnoException).code ?? ''
  const host = new URL(url).host
  if (/ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ENETUNREACH|EHOSTUNREACH|ECONNRESET|UND_ERR_CONNECT_TIMEOUT/.test(code)) {
    return new WorkstationError('NETWORK_OFFLINE', `${host}: ${code || 'no answer'}`, { cause: error })
  }
  return new WorkstationError('DOWNLOAD_FAILED', `${host}: ${code || (error as Error).message}`, { cause: error })
}

/** Removes what a refused download wrote: the partial file and its state. */
async function discardPartial(path: string): Promise<void> {
  await Promise.all([rm(`${path}.part`, { force: true }), rm(`${path}.part.json`, { force: true })])
}

async function hashExisting(path: string, hash: Hash): Promise<void> {
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer)
}

export async function downloadFile(url: string, path: string, options: FileDownloadOptions): Promise<DownloadedFile> {
  const partPath = `${path}.part`
  const previous = await readPartialState(path)
  let have = previous?.url === url ? ((await stat(partPath).catch(() => null))?.size ?? 0) : 0
  if (have === 0) await rm(partPath, { force: true })

  const stall = new AbortController()
  let stallTimer: ReturnType<typeof setTimeout> | undefined
  const armStall = () => {
    clearTimeout(stallTimer)
    stallTimer = setTimeout(() => stall.abort(), options.stallMs)
  }
  const signal = options.signal ? AbortSignal.any([options.signal, stall.signal]) : stall.signal
  const stopped = (): WorkstationError | null =>
    options.signal?.aborted
      ? new WorkstationError('REQUEST_CANCELLED', 'download cancelled; run it again to resume')
      : stall.signal.aborted
        ? new WorkstationError('DOWNLOAD_STALLED', `${new URL(url).host}: no data for ${options.stallMs} ms`)
        : null

  try {
    const headers: Record<string, string> = { 'User-Agent': 'HuatuoWorkstation' }
    if (have > 0) {
      headers['Range'] = `bytes=${have}-`
      // The server sends the whole file again if it changed since (a new ETag): never mix two files.
      if (previous?.validator) headers['If-Range'] = previous.validator
    }
    armStall()
    let response: Response
    try {
      response = await fetch(url, { headers, signal, redirect: 'follow' })
    } catch (error) {
      throw stopped() ?? networkFailure(error, url)
    }
    if (response.status === 404 || response.status === 410) {
      await response.body?.cancel()
      // Gone from the server: a partial file of it can never be completed.
      await discardPartial(path)
      throw new WorkstationError('DOWNLOAD_NOT_FOUND', `${new URL(url).host}: HTTP ${response.status}`)
    }
    if (response.status === 416 && have > 0 && previous?.totalBytes === have) {
      // Everything was already here: the last run stopped after the final byte.
      await response.body?.cancel()
    } else if (response.status !== 200 && response.status !== 206) {
      await response.body?.cancel()
      throw new WorkstationError('DOWNLOAD_FAILED', `${new URL(url).host}: HTTP ${response.status}`)
    }

    const serverSha256 = sha256FromHeaders(response.headers)
    const hash = createHash('sha256')
    let totalBytes: number | null = previous?.totalBytes ?? null
    if (response.status === 200 || response.status === 206) {
      const resumed = response.status === 206 && new RegExp(`^bytes ${have}-`).test(response.headers.get('content-range') ?? '')
      if (!resumed) have = 0
      const length = Number(response.headers.get('content-length') ?? Number.NaN)
      totalBytes = Number.isFinite(length) ? have + length : null
      if (totalBytes !== null) await ensureFreeSpace(dirname(path), totalBytes - have, options.freeSpace)
      const validator = response.headers.get('etag') ?? response.headers.get('last-modified')
      await writeFile(`${path}.part.json`, JSON.stringify({ url, validator, totalBytes } satisfies PartialState), { mode: 0o600 })
      if (have > 0) await hashExisting(partPath, hash)
      if (!response.body) throw new WorkstationError('DOWNLOAD_FAILED', 'empty response')
      let done = have
      // A file that starts from byte 0 must start like a GGUF model: an HTML error page or anything
      // else a server sends instead is refused at once, not after downloading all of it.
      let head = have > 0 ? GGUF_MAGIC : Buffer.alloc(0)
      const notGguf = () => new WorkstationError('MODEL_NOT_GGUF', `${new URL(url).host}: the download does not start with "GGUF"`)
      const counting = new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          armStall()
          if (head.length < GGUF_MAGIC.length) {
            head = Buffer.concat([head, chunk.subarray(0, GGUF_MAGIC.length - head.length)])
            if (!GGUF_MAGIC.subarray(0, head.length).equals(head)) {
              callback(notGguf())
              return
            }
          }
          hash.update(chunk)
          done += chunk.length
          options.onBytes?.(done, totalBytes ?? done)
          callback(null, chunk)
        },
      })
      try {
        await pipeline(
          Readable.fromWeb(response.body as WebReadableStream<Uint8Array>),
          counting,
          // Private to the user, like everything the workstation writes (the models folder is 0700 too).
          createWriteStream(partPath, { flags: have > 0 ? 'a' : 'w', mode: 0o600 }),
        )
      } catch (error) {
        if (error instanceof WorkstationError && error.code === 'MODEL_NOT_GGUF') {
          await discardPartial(path)
          throw error
        }
        const disk = asDiskFull(error)
        // Bytes received so far stay in the .part file: the next run resumes from there.
        throw stopped() ?? (disk instanceof WorkstationError ? disk : new WorkstationError('DOWNLOAD_FAILED', `connection lost after ${done} bytes`, { cause: error }))
      }
      if (totalBytes !== null && done !== totalBytes) throw new WorkstationError('DOWNLOAD_FAILED', `connection closed at ${done} of ${totalBytes} bytes`)
      if (head.length < GGUF_MAGIC.length) {
        await discardPartial(path)
        throw notGguf()
      }
    } else {
      await hashExisting(partPath, hash)
    }

    await flushToDisk(partPath)
    const bytes = (await stat(partPath)).size
    await rename(partPath, path)
    await rm(`${path}.part.json`, { force: true })
    return { path, sha256: hash.digest('hex'), bytes, serverSha256 }
  } finally {
    clearTimeout(stallTimer)
  }
}
