// Wrong PINs in a row, and what they cost: a wait that grows with each one (refused without even
// checking the PIN, so guessing cannot go faster than the wait), then a lock that only an admin
// lifts. The count lives in the database, so restarting the app does not reset it.

export const defaultPinAttemptsBeforeLock = 5

const longestWaitMs = 5 * 60_000

/** How long to wait before the next try after `failures` wrong PINs in a row: 0, 0, 1 s, 4 s, 16 s, 64 s, … at most 5 minutes. */
export function waitAfterFailures(failures: number): number {
  if (failures < 2) return 0
  return Math.min(1000 * 4 ** (failures - 2), longestWaitMs)
}

/** Milliseconds until the next try is allowed (0: now). */
export function retryAfterMs(failures: number, lastFailedAt: number | null, now: number): number {
  if (lastFailedAt === null) return 0
  return Math.max(0, lastFailedAt + waitAfterFailures(failures) - now)
}
