/** The host (and port) of the hospital inference server's address, as a clinician reads it; the address itself if it is not one. */
export function serverHost(url: string | null | undefined): string {
  if (!url) return ''
  try {
    return new URL(url).host || url
  } catch {
    return url
  }
}
