import { errorMessages, type UiLocale } from '../contract/errors.ts'
import { WorkstationError } from '../core/errors.ts'
import type { ShellCapabilities } from '../core/shell-capabilities.ts'

export interface CliIO {
  out(text: string): void
  err(text: string): void
  stdin: NodeJS.ReadableStream
  isTTY: boolean
  locale: UiLocale
  /** What the shell around the command line can do: inside the app, its key store and printToPDF. */
  shell?: ShellCapabilities
}

export function processIO(): CliIO {
  const lang = process.env['LC_ALL'] || process.env['LC_MESSAGES'] || process.env['LANG'] || ''
  return {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    stdin: process.stdin,
    isTTY: Boolean(process.stdout.isTTY),
    locale: lang.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en',
  }
}

/**
 * Reports a failure as one line, `CODE: sentence`, and returns the exit status. With --json the
 * same facts go to stdout as {"error": {code, message, detail}} so scripts can branch on the code.
 */
export function reportFailure(io: CliIO, error: unknown, json: boolean): number {
  const failure = error instanceof WorkstationError ? error : new WorkstationError('INTERNAL', String(error))
  if (json) io.out(`${JSON.stringify({ error: failure.toPayload() })}\n`)
  const detail = failure.detail ? ` (${failure.detail})` : ''
  io.err(`${failure.code}: ${errorMessages[failure.code][io.locale]}${detail}\n`)
  return failure.code === 'USAGE' ? 2 : 1
}
