import { WorkstationError } from '../errors.ts'

// SQLite's primary result codes (the low byte of an extended code), as node:sqlite reports them in
// `errcode`. Only the ones a user can cause are translated; anything else is a bug and stays as is.
const SQLITE_BUSY = 5
const SQLITE_LOCKED = 6
const SQLITE_READONLY = 8
const SQLITE_CORRUPT = 11
const SQLITE_FULL = 13
const SQLITE_CANTOPEN = 14
const SQLITE_NOTADB = 26

/** Messages of RAISE(ABORT, …) in the schema's triggers: the database's own last line of defence. */
const triggerCodes = {
  RECORD_SIGNED: 'RECORD_SIGNED',
  MESSAGE_FINAL: 'ANSWER_NOT_IN_PROGRESS',
} as const

export function sqlitePrimaryCode(error: unknown): number | undefined {
  const errcode = (error as { errcode?: unknown } | null)?.errcode
  return typeof errcode === 'number' ? errcode & 0xff : undefined
}

/**
 * Turns a storage failure into the stable code a clinician can act on. The detail names the
 * operation and SQLite's code only: an error message could quote a value, and values are clinical.
 */
export function storageFailure(error: unknown, operation: string): unknown {
  if (error instanceof WorkstationError) return error
  const message = error instanceof Error ? error.message : ''
  if (Object.hasOwn(triggerCodes, message)) {
    return new WorkstationError(triggerCodes[message as keyof typeof triggerCodes], operation, { cause: error })
  }
  const nodeCode = (error as NodeJS.ErrnoException | null)?.code
  if (nodeCode === 'ENOSPC' || nodeCode === 'EDQUOT') return new WorkstationError('DISK_FULL', `${operation}: ${nodeCode}`, { cause: error })
  const code = sqlitePrimaryCode(error)
  const detail = `${operation}: sqlite ${String((error as { errcode?: number }).errcode)}`
  switch (code) {
    case SQLITE_FULL:
      return new WorkstationError('DISK_FULL', detail, { cause: error })
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return new WorkstationError('DB_LOCKED', detail, { cause: error })
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return new WorkstationError('DB_CORRUPT', detail, { cause: error })
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
      return new WorkstationError('DB_UNAVAILABLE', detail, { cause: error })
    default:
      return error
  }
}
