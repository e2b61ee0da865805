import { maxPageSize } from '../../contract/paging.ts'
import { WorkstationError } from '../errors.ts'

/**
 * Keyset paging: a cursor is the sort key of the last row returned, so the next page is an index
 * seek, however deep into the history it is (OFFSET would rescan every earlier row). Cursors are
 * opaque to callers: base64url JSON with a tag saying which list they belong to.
 */
export function encodeCursor(list: string, key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify([list, ...key]), 'utf8').toString('base64url')
}

export function decodeCursor(list: string, cursor: string, shape: readonly ('string' | 'number')[]): (string | number)[] {
  let parsed: unknown
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
  } catch {
    throw new WorkstationError('CURSOR_INVALID', `${list}: not a cursor`)
  }
  if (!Array.isArray(parsed) || parsed[0] !== list || parsed.length !== shape.length + 1) {
    throw new WorkstationError('CURSOR_INVALID', `${list}: cursor of another list`)
  }
  const key = parsed.slice(1) as unknown[]
  key.forEach((value, index) => {
    if (typeof value !== shape[index] || (typeof value === 'number' && !Number.isFinite(value))) {
      throw new WorkstationError('CURSOR_INVALID', `${list}: malformed cursor`)
    }
  })
  return key as (string | number)[]
}

export function pageLimit(limit: number | undefined, fallback: number): number {
  if (limit === undefined) return fallback
  if (!Number.isInteger(limit) || limit < 1) throw new WorkstationError('USAGE', `limit must be a whole number from 1 to ${maxPageSize}`)
  return Math.min(limit, maxPageSize)
}
