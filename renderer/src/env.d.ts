/// <reference types="vite/client" />
import type { WorkstationBridge } from '../../electron/contract/bridge.ts'

declare global {
  interface Window {
    workstation?: WorkstationBridge
  }
}

declare module '*.vue' {
  import type { DefineComponent } from 'vue'
  const component: DefineComponent<object, object, unknown>
  export default component
}
