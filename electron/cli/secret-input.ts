import { createInterface, type Interface } from 'node:readline'
import { WorkstationError } from '../core/errors.ts'
import type { CliIO } from './output.ts'

interface TerminalStream extends NodeJS.ReadableStream {
  isTTY?: boolean
  setRawMode?(mode: boolean): unknown
}

/**
 * PINs for the command line, read from standard input and never from an argument (which would
 * land in shell history and in every process listing). On a terminal: a prompt on stderr and no
 * echo. From a pipe: one PIN per line, in the order the command asks for them.
 */
export class SecretInput {
  readonly #io: CliIO
  #rl: Interface | null = null
  #lines: AsyncIterator<string> | null = null

  constructor(io: CliIO) {
    this.#io = io
  }

  get terminal(): boolean {
    const input = this.#io.stdin as TerminalStream
    return input.isTTY === true && typeof input.setRawMode === 'function'
  }

  /** One secret. `prompt` is shown on a terminal only (nobody reads it in a pipe). */
  read(prompt: string): Promise<string> {
    return this.terminal ? this.#readHidden(prompt) : this.#readLine(prompt)
  }

  /** A new PIN: typed twice on a terminal (PIN_MISMATCH when they differ), one line from a pipe. */
  async readNew(prompt: string): Promise<string> {
    const pin = await this.read(prompt)
    if (this.terminal && (await this.read('Again: ')) !== pin) throw new WorkstationError('PIN_MISMATCH')
    return pin
  }

  close(): void {
    this.#rl?.close()
    this.#rl = null
  }

  async #readLine(what: string): Promise<string> {
    if (this.#lines === null) {
      this.#rl = createInterface({ input: this.#io.stdin, terminal: false, crlfDelay: Infinity })
      this.#lines = this.#rl[Symbol.asyncIterator]()
    }
    const line = await this.#lines.next()
    // Say which secret was missing, never what was read.
    if (line.done) throw new WorkstationError('USAGE', `standard input ended before: ${what.replace(/:\s*$/, '')}`)
    return line.value.trim()
  }

  #readHidden(prompt: string): Promise<string> {
    const input = this.#io.stdin as TerminalStream
    this.#io.err(prompt)
    return new Promise((resolve, reject) => {
      let typed: string[] = []
      const finish = (error?: WorkstationError): void => {
        input.off('data', onData)
        input.setRawMode?.(false)
        input.pause()
        this.#io.err('\n')
        if (error) reject(error)
        else resolve(typed.join('').trim())
      }
      const onData = (chunk: Buffer | string): void => {
        for (const char of String(chunk)) {
          if (char === '\r' || char === '\n') return finish()
          if (char === '\u0003') return finish(new WorkstationError('REQUEST_CANCELLED', 'interrupted'))
          if (char === '\u0004' && typed.length === 0) return finish(new WorkstationError('USAGE', 'no PIN entered'))
          if (char === '\u007f' || char === '\b') typed = typed.slice(0, -1)
          else if (char >= ' ') typed.push(char)
        }
      }
      input.setRawMode?.(true)
      input.setEncoding('utf8')
      input.on('data', onData)
      input.resume()
    })
  }
}

/**
 * The first line of a pipe, leaving everything after it in the stream for the next reader (a
 * readline interface would take the whole chunk with it). Null when the input ended first.
 */
export function readFirstLine(stream: NodeJS.ReadableStream): Promise<string | null> {
  const readable = stream as NodeJS.ReadableStream & { read(): Buffer | string | null; unshift(chunk: Buffer): void }
  return new Promise((resolve, reject) => {
    let buffered = Buffer.alloc(0)
    const done = (line: string | null, rest?: Buffer): void => {
      readable.off('readable', onReadable)
      readable.off('end', onEnd)
      readable.off('error', onError)
      if (rest && rest.length > 0) readable.unshift(rest)
      resolve(line)
    }
    const onReadable = (): void => {
      for (let chunk = readable.read(); chunk !== null; chunk = readable.read()) {
        buffered = Buffer.concat([buffered, typeof chunk === 'string' ? Buffer.from(chunk) : chunk])
        const at = buffered.indexOf(0x0a)
        if (at >= 0) return done(buffered.subarray(0, at).toString('utf8').replace(/\r$/, ''), buffered.subarray(at + 1))
      }
    }
    const onEnd = (): void => done(buffered.length === 0 ? null : buffered.toString('utf8'))
    const onError = (error: Error): void => {
      readable.off('readable', onReadable)
      readable.off('end', onEnd)
      reject(error)
    }
    readable.on('readable', onReadable)
    readable.on('end', onEnd)
    readable.on('error', onError)
  })
}
