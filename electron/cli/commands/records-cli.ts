import type { ShellCapabilities } from '../../core/shell-capabilities.ts'
import { WorkstationError } from '../../core/errors.ts'
import type { RecordStore } from '../../core/records/record-store.ts'
import { openKeyedStoreForCli } from '../audit-key.ts'
import { parseCommandArgs } from '../args.ts'
import type { CliIO } from '../output.ts'
import type { ParseArgsOptionsConfig } from 'node:util'

/** Options every records command shares. */
export const storeOptions = {
  db: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsOptionsConfig

/** Parses a records command's options; prints its usage on --help or a usage error. */
export function parseRecordsArgs<const Options extends ParseArgsOptionsConfig>(
  args: string[],
  options: Options,
  usage: string,
  io: CliIO,
  allowPositionals = false,
) {
  try {
    return parseCommandArgs(args, options, allowPositionals)
  } catch (error) {
    io.err(usage)
    throw error
  }
}

export function requireDb(db: string | undefined, usage: string, io: CliIO): string {
  if (db === undefined || db === '') {
    io.err(usage)
    throw new WorkstationError('USAGE', '--db is required')
  }
  return db
}

/**
 * The CLI opens like the app (checks, migration, crash recovery) but leaves scheduled backups to
 * the app; what it writes to the audit log is keyed like the app's (see ../audit-key.ts).
 */
export async function openStoreForCli(path: string, options: { readOnly?: boolean; now?: () => number; shell?: ShellCapabilities } = {}): Promise<RecordStore> {
  return (await openKeyedStoreForCli(path, options)).store
}

export function positiveInteger(value: string | undefined, option: string, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (value === undefined) return undefined
  if (!/^[1-9][0-9]*$/.test(value) || Number(value) > max) throw new WorkstationError('USAGE', `${option} must be a whole number from 1 to ${max}`)
  return Number(value)
}

/** A local calendar date or an ISO time → ISO instant; `endOfDay` makes a date cover that whole day. */
export function dateBoundary(value: string | undefined, option: string, endOfDay: boolean): string | undefined {
  if (value === undefined) return undefined
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value)
  if (date) {
    const local = new Date(Number(date[1]), Number(date[2]) - 1, Number(date[3]) + (endOfDay ? 1 : 0))
    if (Number.isNaN(local.getTime())) throw new WorkstationError('USAGE', `${option} is not a date`)
    return local.toISOString()
  }
  const ms = Date.parse(value)
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || !Number.isFinite(ms)) throw new WorkstationError('USAGE', `${option} must be YYYY-MM-DD or an ISO time`)
  return new Date(ms + (endOfDay ? 1 : 0)).toISOString()
}
