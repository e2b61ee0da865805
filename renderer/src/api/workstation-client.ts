import type { WorkstationBridge } from '../../../electron/contract/bridge.ts'
import type { RequestInput, RequestName, RequestOutput, WorkstationEvent } from '../../../electron/contract/channels.ts'
import { WorkstationRequestError } from './request-error.ts'

/**
 * The page's one way to the workstation, whichever transport carries it: typed requests that
 * resolve with the output or reject with a WorkstationRequestError {code, message, detail}.
 */
export class WorkstationClient {
  readonly #transport: WorkstationBridge

  constructor(transport: WorkstationBridge) {
    this.#transport = transport
  }

  async request<N extends RequestName>(name: N, input: RequestInput<N>): Promise<RequestOutput<N>> {
    const reply = await this.#transport.invoke(name, input)
    if (!reply.ok) throw new WorkstationRequestError(reply.error)
    return reply.value as RequestOutput<N>
  }

  /** Returns the function that stops listening. */
  onEvent(listener: (event: WorkstationEvent) => void): () => void {
    return this.#transport.onEvent(listener)
  }
}
