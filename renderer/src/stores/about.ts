import { defineStore } from 'pinia'
import type { AppAbout } from '../../../electron/contract/app-about.ts'
import { workstationClient } from '../api/connect.ts'
import { useSettingsStore } from './settings.ts'

let following = false

// Which workstation this is (product, version, the clinic as configured): asked once, shown in the
// header and in settings, and asked again when the settings change (the clinic's name may have).
// Not patient data: it is asked before anyone signs in.
export const useAboutStore = defineStore('about', {
  state: () => ({ about: null as AppAbout | null }),
  actions: {
    async load() {
      this.follow()
      if (this.about !== null) return
      try {
        this.about = await workstationClient().request('app.about', {})
      } catch {
        // The header names the product instead; the gate says why the workstation is unreachable.
      }
    },
    /** Settings changed or a backup was restored (in any window): the clinic and the settings are read again. */
    follow() {
      if (following) return
      following = true
      workstationClient().onEvent((event) => {
        if (event.type !== 'settings.changed' && event.type !== 'database.restored') return
        this.about = null
        void this.load()
        const settings = useSettingsStore()
        if (event.type === 'database.restored') settings.clear()
        else if (settings.workstation !== null) void settings.load()
      })
    },
  },
})
