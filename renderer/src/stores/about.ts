import { defineStore } from 'pinia'
import type { AppAbout } from '../../../electron/contract/app-about.ts'
import { workstationClient } from '../api/connect.ts'

// Which workstation this is (product, version, the clinic IT configured): asked once, shown in the
// header and in settings. Not patient data: it is asked before anyone signs in.
export const useAboutStore = defineStore('about', {
  state: () => ({ about: null as AppAbout | null }),
  actions: {
    async load() {
      if (this.about !== null) return
      try {
        this.about = await workstationClient().request('app.about', {})
      } catch {
        // The header names the product instead; the gate says why the workstation is unreachable.
      }
    },
  },
})
