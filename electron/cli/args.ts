import { parseArgs, type ParseArgsOptionsConfig } from 'node:util'
import { WorkstationError } from '../core/errors.ts'

/**
 * Strict option parsing for every command: an unknown option, a missing value or an unexpected
 * positional argument is a USAGE error (exit 2), never a stack trace.
 */
export function parseCommandArgs<const Options extends ParseArgsOptionsConfig>(
  args: string[],
  options: Options,
  allowPositionals = false,
) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals })
  } catch (error) {
    throw new WorkstationError('USAGE', error instanceof Error ? error.message : String(error))
  }
}
