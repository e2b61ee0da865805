import { defineStore } from 'pinia'
import { i18n, rememberLocale, savedLocale } from '../i18n/index.ts'
import type { Locale } from '../i18n/messages.ts'

// What this machine's user chose for the window: for now its language (issue 19 adds the rest).
export const useSettingsStore = defineStore('settings', {
  state: () => ({ locale: savedLocale() }),
  actions: {
    setLocale(locale: Locale) {
      this.locale = locale
      i18n.global.locale.value = locale
      document.documentElement.lang = locale
      rememberLocale(locale)
    },
    toggleLocale() {
      this.setLocale(this.locale === 'zh-CN' ? 'en' : 'zh-CN')
    },
  },
})
