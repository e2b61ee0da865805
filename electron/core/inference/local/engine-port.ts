import type { EngineOutgoingMessage } from '../../../contract/engine-protocol.ts'

/** The engine process's line to the workstation: Electron's parentPort or Node's IPC channel. */
export interface ParentPort {
  post(message: EngineOutgoingMessage): void
  onMessage(listener: (message: unknown) => void): void
  /** Called when the workstation side is gone: the engine must not outlive it. */
  onDisconnect(listener: () => void): void
}

interface ElectronParentPort {
  on(event: 'message', listener: (event: { data: unknown }) => void): void
  postMessage(message: unknown): void
}

export function connectToParent(): ParentPort {
  // Electron's utilityProcess adds process.parentPort; core never imports 'electron' for it.
  const electronPort = (process as { parentPort?: ElectronParentPort }).parentPort
  if (electronPort) {
    return {
      post: (message) => electronPort.postMessage(message),
      onMessage: (listener) => electronPort.on('message', (event) => listener(event.data)),
      // Electron ends utility processes with the app.
      onDisconnect: () => {},
    }
  }
  if (!process.send) throw new Error('the engine process must be started by the workstation (no IPC channel)')
  return {
    post: (message) => process.send?.(message),
    onMessage: (listener) => process.on('message', listener),
    onDisconnect: (listener) => process.on('disconnect', listener),
  }
}
