import { contextBridge, ipcRenderer } from 'electron'
import type { WorkstationBridge } from '../contract/bridge.ts'
import type { Reply, WorkstationEvent } from '../contract/channels.ts'
import { EVENT_CHANNEL, isRequestName } from '../contract/request-names.ts'

// The window's only door to the workstation: the declared requests, and the event stream.
// Nothing of ipcRenderer itself is exposed.

const bridge: WorkstationBridge = {
  invoke(name, input) {
    if (!isRequestName(name)) {
      return Promise.resolve({ ok: false, error: { code: 'CONTRACT_UNKNOWN_REQUEST', message: 'The workstation does not know this request.' } })
    }
    return ipcRenderer.invoke(name, input ?? {}) as Promise<Reply<unknown>>
  },
  onEvent(listener) {
    const forward = (_event: unknown, payload: WorkstationEvent) => listener(payload)
    ipcRenderer.on(EVENT_CHANNEL, forward)
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, forward)
    }
  },
}

contextBridge.exposeInMainWorld('workstation', bridge)
