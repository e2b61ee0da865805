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
