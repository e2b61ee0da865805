import { defineStore } from 'pinia'
import { messages, type Locale, type MessageKey } from '../i18n/messages.ts'

export const useSettingsStore = defineStore('settings', {
  state: () => ({ locale: 'zh-CN' as Locale }),
  getters: {
    t: (state) => (key: MessageKey): string => messages[state.locale][key],
  },
  actions: {
    toggleLocale() {
      this.locale = this.locale === 'zh-CN' ? 'en' : 'zh-CN'
      document.documentElement.lang = this.locale
    },
  },
})
