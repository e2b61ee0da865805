import type { WorkstationBridge } from '../../electron/contract/bridge.ts'
import type { Reply, WorkstationEvent } from '../../electron/contract/channels.ts'

/** What the transport needs of the workstation: its one request entry and its event stream. */
export interface InProcessWorkstation {
  invoke(name: unknown, input: unknown): Promise<Reply<unknown>>
  onEvent(listener: (event: WorkstationEvent) => void): () => void
}

/**
 * The renderer's transport over a workstation running in this process: every request goes to the
 * real core's `invoke`, every event comes from its `onEvent`. Like the preload bridge (Electron IPC
 * uses the structured clone algorithm) nothing is shared by reference across it: the input, the
 * reply and each event are structured clones, so a request carrying something IPC could not carry
 * (a Vue reactive proxy, a function) fails here as it would in the app. Replies and events arrive
 * on a later task, as they would from another process.
 */
export function inProcessTransport(workstation: InProcessWorkstation): WorkstationBridge {
  return {
    async invoke(name, input) {
      const sent = structuredClone(input ?? {})
      const reply = await workstation.invoke(name, sent)
      await nextTask()
      return structuredClone(reply)
    },
    onEvent(listener) {
      let listening = true
      const stop = workstation.onEvent((event) => {
        const copy = structuredClone(event)
        setTimeout(() => {
          if (listening) listener(copy)
        }, 0)
      })
      return () => {
        listening = false
        stop()
      }
    },
  }
}

const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0))
