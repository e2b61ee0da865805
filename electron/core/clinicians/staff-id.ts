import { WorkstationError } from '../errors.ts'

/** Names the audit log uses for actors that are not people; no account may take them. */
const reservedStaffIds = new Set(['system', 'import', 'recovery', 'demo'])

/**
 * A staff id (工号) as stored and compared: NFKC (a full-width Ｄ１０２４ typed with a Chinese input
 * method is D1024), trimmed; letters, digits and . _ - only, so it is also a valid actor id.
 * Matching is case-insensitive (the database column is COLLATE NOCASE).
 */
export function checkedStaffId(raw: string): string {
  const staffId = typeof raw === 'string' ? raw.normalize('NFKC').trim() : ''
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/.test(staffId)) throw new WorkstationError('STAFF_ID_INVALID')
  if (reservedStaffIds.has(staffId.toLowerCase())) throw new WorkstationError('STAFF_ID_INVALID', `${staffId} is reserved`)
  return staffId
}
