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

interface UnknownIdFailures {
  failures: number
  lastFailedAt: number
  locked: boolean
}

/**
 * Wrong PINs typed for staff ids that have no account, kept the way the database keeps them for
 * real accounts (the same waits, the same lock after the same number), so that trying ids cannot
 * tell which ones exist: an unknown id is answered exactly like a known one with a wrong PIN. Held
 * in memory only (a restart forgets them), and bounded: the oldest are forgotten first.
 */
export class UnknownStaffIdAttempts {
  readonly #entries = new Map<string, UnknownIdFailures>()
  readonly #capacity: number

  constructor(capacity = 10_000) {
    this.#capacity = capacity
  }

  get(key: string): Readonly<UnknownIdFailures> | undefined {
    return this.#entries.get(key)
  }

  /** Counts a wrong PIN; the `attemptsBeforeLock`-th one locks the id as it would lock an account. */
  fail(key: string, now: number, attemptsBeforeLock: number): Readonly<UnknownIdFailures> {
    const failures = (this.#entries.get(key)?.failures ?? 0) + 1
    const entry = { failures, lastFailedAt: now, locked: failures >= attemptsBeforeLock }
    // Re-inserted, so the Map's order is least recently failed first.
    this.#entries.delete(key)
    this.#entries.set(key, entry)
    if (this.#entries.size > this.#capacity) {
      const oldest = this.#entries.keys().next().value
      if (oldest !== undefined) this.#entries.delete(oldest)
    }
    return entry
  }
}
