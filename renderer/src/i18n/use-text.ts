import { useI18n } from 'vue-i18n'
import { isErrorCode } from '../../../electron/contract/errors.ts'
import type { Locale, MessageKey } from './messages.ts'

/**
 * The window's text in the chosen language, with its keys typed: `t` for the window's own sentences,
 * `errorText` for a stable error code's sentence (an unknown code reads as INTERNAL).
 */
export function useText() {
  const { t, locale } = useI18n()
  return {
    t: (key: MessageKey, values: Record<string, string | number> = {}): string => t(key, values),
    errorText: (code: string): string => t(`errors.${isErrorCode(code) ? code : 'INTERNAL'}`),
    locale: (): Locale => (locale.value === 'en' ? 'en' : 'zh-CN'),
  }
}
