import type { RequestInput, RequestName, RequestOutput } from '../../contract/channels.ts'
import type { RequestAccess } from '../clinicians/request-permissions.ts'
import type { WorkstationServices } from './workstation-services.ts'

// How a request is implemented: its access rule beside its handler. Each concern's module exports
// its `queries` (which only read; those touching patients are kept in the access log) apart from
// its `commands` (which change something), and request-table.ts joins them into one table that
// does not compile until every request of the contract has exactly one entry.

/** Who makes the request (the signed-in clinician's staff id, or the workstation), and what serves it. */
export interface RequestContext {
  actor: string
  services: WorkstationServices
}

export interface RequestEntry<N extends RequestName> {
  access: RequestAccess
  handle(input: RequestInput<N>, context: RequestContext): Promise<RequestOutput<N>>
}

export type RequestEntries<Names extends RequestName = RequestName> = { [N in Names]: RequestEntry<N> }

/** Types a module's table by its own request names (each handler sees its request's input and output). */
export function requestEntries<Names extends RequestName>(entries: RequestEntries<Names>): RequestEntries<Names> {
  return entries
}
