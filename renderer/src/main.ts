// First, before any other module runs: the browser host's token leaves the address bar.
import './api/host-token.ts'
// The CJK font ships with the app (no font is ever fetched over the network): Noto Sans SC in the
// two weights the window uses, split by Unicode range so only the characters shown are read.
import '@fontsource/noto-sans-sc/400.css'
import '@fontsource/noto-sans-sc/600.css'
import { createApp } from 'vue'
import { createPinia } from 'pinia'
import App from './App.vue'
import { useSettingsStore } from './stores/settings.ts'
import { followWorkstationEvents } from './stores/workstation-events.ts'
import './styles/base.css'

const app = createApp(App).use(createPinia())
document.documentElement.lang = useSettingsStore().locale
followWorkstationEvents()
app.mount('#app')
