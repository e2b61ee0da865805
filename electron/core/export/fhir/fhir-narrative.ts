// FHIR narrative is XHTML inside <div xmlns="http://www.w3.org/1999/xhtml">; everything a record
// says is text, escaped here and nowhere else, so no section can become markup.
import { cleanText } from '../clean-text.ts'

/** FHIR strings may not hold control characters, and XHTML no character XML 1.0 forbids. */
export function fhirText(text: string): string {
  return cleanText(text)
}

export function escapeXhtml(text: string): string {
  return fhirText(text).replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`)
}

/** Lines of text as XHTML: each line escaped, joined with <br/>. */
export function xhtmlLines(text: string): string {
  return fhirText(text)
    .trim()
    .split('\n')
    .map((line) => escapeXhtml(line))
    .join('<br/>')
}

/** A narrative block: `<div xmlns=…>` around paragraphs given as already-escaped XHTML. */
export function narrativeDiv(paragraphs: readonly string[]): string {
  return `<div xmlns="http://www.w3.org/1999/xhtml">${paragraphs.map((p) => `<p>${p}</p>`).join('')}</div>`
}

export function generatedNarrative(paragraphs: readonly string[]): { status: 'generated'; div: string } {
  return { status: 'generated', div: narrativeDiv(paragraphs) }
}
