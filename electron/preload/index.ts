import { contextBridge, ipcRenderer } from 'electron'
import { isRequestChannel, type WorkstationBridge } from '../contract/bridge.ts'

const bridge: WorkstationBridge = {
  invoke(channel: string) {
    if (!isRequestChannel(channel)) return Promise.reject(new Error(`undeclared channel: ${channel}`))
    return ipcRenderer.invoke(channel) as ReturnType<WorkstationBridge['invoke']>
  },
}

contextBridge.exposeInMainWorld('workstation', bridge)
