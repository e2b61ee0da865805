// Times as a record shows them: the date and the minute, in the window's language and the machine's
// time zone (signatures, versions, exports, the visit).
import type { Locale } from '../i18n/messages.ts'

export function clinicTime(iso: string | null | undefined, locale: Locale): string {
  if (!iso) return ''
  return new Date(iso).toLocaleString(locale, { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' })
}
