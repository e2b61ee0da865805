import { defineStore } from 'pinia'
import type { SettingsUpdate, WorkstationSettingsView } from '../../../electron/contract/workstation-settings.ts'
import { workstationClient } from '../api/connect.ts'
import { i18n, rememberLocale, savedLocale } from '../i18n/index.ts'
import type { Locale } from '../i18n/messages.ts'
import { failureOf, type Failure } from './failure.ts'

// The window's language (this machine's choice, per window) and the workstation's settings as core
// keeps them: every clinician reads them, administrators change them. Not patient data.
export const useSettingsStore = defineStore('settings', {
  state: () => ({
    locale: savedLocale(),
    workstation: null as WorkstationSettingsView | null,
    failure: null as Failure | null,
    /** The setting group whose change was just stored (the window says "saved" beside it). */
    savedGroup: null as string | null,
    busy: false,
  }),
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
    async load() {
      try {
        this.workstation = await workstationClient().request('settings.get', {})
        this.failure = null
      } catch (error) {
        this.failure = failureOf(error)
      }
    },
    /** Stores a change; `group` names the part of the screen that made it. */
    async update(update: SettingsUpdate, group: string): Promise<boolean> {
      this.busy = true
      this.failure = null
      this.savedGroup = null
      try {
        this.workstation = await workstationClient().request('settings.update', update)
        this.savedGroup = group
        return true
      } catch (error) {
        this.failure = failureOf(error)
        return false
      } finally {
        this.busy = false
      }
    },
    clear() {
      this.workstation = null
      this.failure = null
      this.savedGroup = null
    },
  },
})
