// First, before any other module runs: the browser host's token leaves the address bar (and the
// hash router never sees it).
import './api/host-token.ts'
// The CJK font ships with the app (no font is ever fetched over the network): Noto Sans SC in the
// two weights the window uses, split by Unicode range so only the characters shown are read.
import '@fontsource/noto-sans-sc/400.css'
import '@fontsource/noto-sans-sc/600.css'
import 'element-plus/theme-chalk/base.css'
import { createApp } from 'vue'
import { createPinia } from 'pinia'
import App from './App.vue'
import { i18n } from './i18n/index.ts'
import { router } from './router/index.ts'
import { useSettingsStore } from './stores/settings.ts'
import { followWorkstationEvents } from './stores/workstation-events.ts'
import './styles/base.css'

const app = createApp(App).use(createPinia()).use(i18n).use(router)
document.documentElement.lang = useSettingsStore().locale
followWorkstationEvents()
app.mount('#app')
