import { fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { EngineOutgoingMessage, EngineRequestMessage } from '../../../contract/engine-protocol.ts'

/** A running engine process, whichever way it was started. */
export interface EngineProcessHandle {
  readonly pid: number | undefined
  send(message: EngineRequestMessage): void
  onMessage(listener: (message: EngineOutgoingMessage) => void): void
  /** Fires once when the process has ended, expectedly or not. */
  onExit(listener: (exit: { code: number | null; signal: string | null }) => void): void
  kill(): void
}

/**
 * Starts an engine process. The Electron shell passes one built on utilityProcess.fork; the CLI and
 * the browser host use forkEngineProcess. `env` carries settings such as HUATUO_THREADS.
 */
export type EngineProcessLauncher = (options: { env: Record<string, string> }) => EngineProcessHandle

/** The engine entry beside this file; Node 24 runs it from source. */
export const engineProcessEntry = fileURLToPath(new URL('./engine-process.ts', import.meta.url))

export function forkEngineProcess(entry: string = engineProcessEntry): EngineProcessLauncher {
  return ({ env }) => {
    const child = fork(entry, [], {
      env: { ...process.env, ...env },
      // The engine prints nothing of its own; its stderr stays visible for native crash messages.
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      serialization: 'advanced',
    })
    return {
      get pid() {
        return child.pid
      },
      send: (message) => {
        if (child.connected) child.send(message)
      },
      onMessage: (listener) => child.on('message', (message) => listener(message as EngineOutgoingMessage)),
      onExit: (listener) => child.once('exit', (code, signal) => listener({ code, signal })),
      kill: () => {
        child.kill('SIGKILL')
      },
    }
  }
}

/**
 * Under plain Node (the browser host, the CLI, tests): a forked Node process. The packaged app cannot
 * fork itself as Node (the RunAsNode fuse is off): its shell passes a utilityProcess launcher in
 * ShellCapabilities instead.
 */
export function defaultEngineLauncher(): EngineProcessLauncher {
  return forkEngineProcess()
}
