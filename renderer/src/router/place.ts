// Whose place the address holds (a screen and a consultation's id, never patient text): after a
// reload the same clinician comes back to it; the next clinician starts on their own home screen.
const PLACE_OWNER_KEY = 'huatuo.placeOwner'

export function placeOwner(): string | null {
  return globalThis.sessionStorage?.getItem(PLACE_OWNER_KEY) ?? null
}

export function claimPlace(staffId: string): void {
  globalThis.sessionStorage?.setItem(PLACE_OWNER_KEY, staffId)
}
