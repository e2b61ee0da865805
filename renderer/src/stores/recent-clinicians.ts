// The clinicians who signed in on this machine lately (staff id and name, never a PIN), so signing
// in or switching user is a click on one's own name. Kept in this browser's storage only.
const RECENT_KEY = 'huatuo.recentClinicians'
const KEEP = 6

export interface RecentClinician {
  staffId: string
  name: string
}

export function recentClinicians(): RecentClinician[] {
  try {
    const parsed = JSON.parse(globalThis.localStorage?.getItem(RECENT_KEY) ?? '[]') as unknown
    if (!Array.isArray(parsed)) return []
    return parsed.filter((entry): entry is RecentClinician => typeof entry?.staffId === 'string' && typeof entry?.name === 'string').slice(0, KEEP)
  } catch {
    return []
  }
}

export function rememberClinician(clinician: RecentClinician): void {
  const others = recentClinicians().filter((entry) => entry.staffId !== clinician.staffId)
  globalThis.localStorage?.setItem(RECENT_KEY, JSON.stringify([{ staffId: clinician.staffId, name: clinician.name }, ...others].slice(0, KEEP)))
}

export function forgetClinician(staffId: string): RecentClinician[] {
  const kept = recentClinicians().filter((entry) => entry.staffId !== staffId)
  globalThis.localStorage?.setItem(RECENT_KEY, JSON.stringify(kept))
  return kept
}
