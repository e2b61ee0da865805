import { createI18n } from 'vue-i18n'
import { errorMessages, type ErrorCode } from '../../../electron/contract/errors.ts'
import { messages, type Locale } from './messages.ts'

const LOCALE_KEY = 'huatuo.locale'

/** The language chosen on this machine; Chinese first. */
export function savedLocale(): Locale {
  const saved = globalThis.localStorage?.getItem(LOCALE_KEY)
  return saved === 'en' || saved === 'zh-CN' ? saved : 'zh-CN'
}

export function rememberLocale(locale: Locale): void {
  globalThis.localStorage?.setItem(LOCALE_KEY, locale)
}

/** vue-i18n reads { } @ | as syntax: the contract's sentences are plain text, so those become literals. */
function literal(text: string): string {
  return text.replace(/[{}@|]/g, (character) => `{'${character}'}`)
}

/** The window's own text and the contract's error sentences (as errors.CODE), in one catalog per language. */
function catalog(locale: Locale): Record<string, string> {
  const errors = Object.fromEntries(Object.entries(errorMessages).map(([code, text]) => [`errors.${code}`, literal(text[locale])]))
  return { ...messages[locale], ...errors }
}

// Messages are compiled just in time to an AST and interpreted (vue-i18n's default since v10): no
// eval, so the page keeps its CSP without 'unsafe-eval'. Flat keys ("consultation.send") as written.
export const i18n = createI18n({
  legacy: false,
  locale: savedLocale(),
  fallbackLocale: 'zh-CN',
  flatJson: true,
  missingWarn: false,
  fallbackWarn: false,
  messages: { 'zh-CN': catalog('zh-CN'), en: catalog('en') },
})

export type { ErrorCode }
