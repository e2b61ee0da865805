// A file the workstation handed back as bytes (the browser host never writes where the page says),
// saved by the browser as a download: a Blob, an object URL and a temporary <a download>.

/** How long the object URL lives after the click: the browser has read the Blob by then. */
const REVOKE_AFTER_MS = 1_000

export function saveAsDownload(base64: string, fileName: string, mediaType: string): void {
  const binary = atob(base64)
  const bytes = new Uint8Array(binary.length)
  for (let at = 0; at < binary.length; at += 1) bytes[at] = binary.charCodeAt(at)
  const url = URL.createObjectURL(new Blob([bytes], { type: mediaType }))
  const link = document.createElement('a')
  link.href = url
  link.download = fileName
  link.rel = 'noopener'
  link.style.display = 'none'
  document.body.append(link)
  try {
    link.click()
  } finally {
    link.remove()
    setTimeout(() => URL.revokeObjectURL(url), REVOKE_AFTER_MS)
  }
}
