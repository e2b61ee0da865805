import type { HostServerMessage } from '../contract/bridge.ts'
import type { Reply } from '../contract/channels.ts'
import type { WorkstationErrorPayload } from '../contract/errors.ts'
import { WorkstationError } from '../core/errors.ts'

// The envelope of a WebSocket frame (HostClientMessage). Only its shape is checked here; the
// request's name and input are checked by Workstation.invoke, exactly as for Electron's IPC.

/** Replies to a frame whose id cannot be read carry this id. */
export const UNREADABLE_ID = -1

export type ParsedFrame = { ok: true; id: number; name: unknown; input: unknown } | { ok: false; id: number; error: WorkstationErrorPayload }

const envelopeKeys = new Set(['kind', 'id', 'name', 'input'])

export function parseClientFrame(data: string): ParsedFrame {
  let value: unknown
  try {
    value = JSON.parse(data)
  } catch {
    return refused(UNREADABLE_ID, 'frame is not JSON')
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return refused(UNREADABLE_ID, 'frame is not an object')
  const frame = value as Record<string, unknown>
  const id = frame['id']
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 0) return refused(UNREADABLE_ID, 'frame has no id (an integer ≥ 0)')
  if (frame['kind'] !== 'request') return refused(id, 'frame kind is not "request"')
  const extra = Object.keys(frame).filter((key) => !envelopeKeys.has(key))
  if (extra.length > 0) return refused(id, `unexpected frame keys: ${extra.slice(0, 5).join(', ').slice(0, 120)}`)
  return { ok: true, id, name: frame['name'], input: frame['input'] }
}

function refused(id: number, detail: string): ParsedFrame {
  return { ok: false, id, error: new WorkstationError('CONTRACT_INVALID_INPUT', detail).toPayload() }
}

export function replyFrame(id: number, reply: Reply<unknown>): string {
  const message: HostServerMessage = { kind: 'reply', id, reply }
  return JSON.stringify(message)
}
