import { hostToken } from './host-token.ts'
import { hostSocketUrl, SocketTransport } from './socket-transport.ts'
import { WorkstationClient } from './workstation-client.ts'

// Inside Electron the preload has put the bridge on window; in a browser the page was served by
// the browser host, whose WebSocket is on the same origin and opens only with this tab's token.

let client: WorkstationClient | undefined

export function workstationClient(): WorkstationClient {
  client ??= new WorkstationClient(window.workstation ?? new SocketTransport(hostSocketUrl(window.location), hostToken()))
  return client
}

/** For component tests: a client over a stand-in transport. */
export function replaceWorkstationClient(replacement: WorkstationClient): void {
  client = replacement
}
