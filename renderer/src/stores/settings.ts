import { defineStore } from 'pinia'
import { errorMessages, isErrorCode } from '../../../electron/contract/errors.ts'
import { messages, type Locale, type MessageKey } from '../i18n/messages.ts'

const LOCALE_KEY = 'huatuo.locale'

function savedLocale(): Locale {
  const saved = globalThis.localStorage?.getItem(LOCALE_KEY)
  return saved === 'en' || saved === 'zh-CN' ? saved : 'zh-CN'
}

export const useSettingsStore = defineStore('settings', {
  state: () => ({ locale: savedLocale() }),
  getters: {
    t:
      (state) =>
      (key: MessageKey, values: Record<string, string | number> = {}): string =>
        messages[state.locale][key].replace(/\{(\w+)\}/g, (whole, name: string) => String(values[name] ?? whole)),
    /** The clinician's sentence for an error code, in the chosen language. */
    errorText: (state) => (code: string): string => (isErrorCode(code) ? errorMessages[code][state.locale] : errorMessages.INTERNAL[state.locale]),
  },
  actions: {
    toggleLocale() {
      this.locale = this.locale === 'zh-CN' ? 'en' : 'zh-CN'
      document.documentElement.lang = this.locale
      globalThis.localStorage?.setItem(LOCALE_KEY, this.locale)
    },
  },
})
