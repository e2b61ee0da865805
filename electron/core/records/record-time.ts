// The store keeps times as integer milliseconds since the epoch (UTC): compact, and ordered for
// keyset paging. They cross the IPC boundary as ISO 8601 strings.

/** Injectable so tests can move time (scheduled backups, checkpoint throttling). */
export type Clock = () => number

export const systemClock: Clock = () => Date.now()

export function isoTime(ms: number): string {
  return new Date(ms).toISOString()
}

export function isoTimeOrNull(ms: number | null): string | null {
  return ms === null ? null : isoTime(ms)
}

/** An ISO 8601 date or date-time → milliseconds, or null when it is not one. */
export function parseIsoTime(text: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(text)) return null
  const ms = Date.parse(text)
  return Number.isFinite(ms) ? ms : null
}
