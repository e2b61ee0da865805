import type { UtilityProcess, utilityProcess as UtilityProcessModule } from 'electron'
import type { EngineOutgoingMessage } from '../contract/engine-protocol.ts'
import type { EngineProcessLauncher } from '../core/inference/local/process-launcher.ts'

/**
 * Starts the engine in an Electron utility process: a llama.cpp abort() there cannot take the
 * window or the database writer down. Core receives this launcher and never imports electron.
 */
export function createUtilityEngineLauncher(utilityProcess: typeof UtilityProcessModule, entry: string): EngineProcessLauncher {
  return ({ env }) => {
    const child: UtilityProcess = utilityProcess.fork(entry, [], {
      env: { ...process.env, ...env },
      serviceName: 'Huatuo inference engine',
      stdio: ['ignore', 'ignore', 'inherit'],
    })
    return {
      get pid() {
        return child.pid
      },
      send: (message) => child.postMessage(message),
      onMessage: (listener) => child.on('message', (message: EngineOutgoingMessage) => listener(message)),
      onExit: (listener) => child.once('exit', (code) => listener({ code, signal: null })),
      kill: () => {
        child.kill()
      },
    }
  }
}
