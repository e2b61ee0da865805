import { WorkstationError } from '../errors.ts'

/** A failed write as the user can act on it: a full disk (DISK_FULL) or a folder that cannot be written. */
export function writeFailure(path: string, error: unknown): WorkstationError {
  if (error instanceof WorkstationError) return error
  const code = (error as NodeJS.ErrnoException).code
  const detail = `${path}: ${error instanceof Error ? error.message : String(error)}`
  return new WorkstationError(code === 'ENOSPC' || code === 'EDQUOT' ? 'DISK_FULL' : 'OUTPUT_UNWRITABLE', detail, { cause: error })
}
