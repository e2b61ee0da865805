// Loaded with `node --import` into the browser host (and, through fork's execArgv, its engine
// process): records every outbound TCP connection, UDP datagram and name lookup the process
// starts, one JSON line each, so a test can check that all of them stay on this machine.
import dgram from 'node:dgram'
import dns from 'node:dns'
import { appendFileSync } from 'node:fs'
import net from 'node:net'

const logFile = process.env['HUATUO_EGRESS_LOG']

export interface EgressRecord {
  pid: number
  /** `start`: the recorder is active in this process. */
  kind: 'start' | 'tcp' | 'udp' | 'lookup'
  host: string | null
  port: number | null
  path: string | null
}

function record(entry: Omit<EgressRecord, 'pid'>): void {
  if (logFile) appendFileSync(logFile, `${JSON.stringify({ pid: process.pid, ...entry })}\n`)
}

type ConnectArgs = unknown[]

/** socket.connect(options), (port, host), (path), or net's internal normalized [options, cb]. */
function target(args: ConnectArgs): Omit<EgressRecord, 'pid' | 'kind'> {
  let first = args[0]
  if (Array.isArray(first)) first = first[0]
  if (typeof first === 'object' && first !== null) {
    const options = first as { host?: string; port?: number | string; path?: string | null }
    // http's agent passes `path: null` beside host and port: only a real path is a local socket.
    if (options.path !== undefined && options.path !== null) return { host: null, port: null, path: String(options.path) }
    return { host: options.host ?? 'localhost', port: options.port === undefined ? null : Number(options.port), path: null }
  }
  if (typeof first === 'string' && !/^\d+$/.test(first)) return { host: null, port: null, path: first }
  return { host: typeof args[1] === 'string' ? args[1] : 'localhost', port: Number(first), path: null }
}

if (logFile) {
  record({ kind: 'start', host: null, port: null, path: null })
  const connect = net.Socket.prototype.connect
  net.Socket.prototype.connect = function (this: net.Socket, ...args: ConnectArgs) {
    record({ kind: 'tcp', ...target(args) })
    return (connect as (...a: ConnectArgs) => net.Socket).apply(this, args)
  } as typeof connect

  const send = dgram.Socket.prototype.send
  dgram.Socket.prototype.send = function (this: dgram.Socket, ...args: unknown[]) {
    // send(msg, [offset, length,] port, address, cb): the address is the first string after the message.
    const address = args.slice(1).find((arg) => typeof arg === 'string') as string | undefined
    const port = args.slice(1).find((arg) => typeof arg === 'number' && arg > 0) as number | undefined
    record({ kind: 'udp', host: address ?? null, port: port ?? null, path: null })
    return (send as (...a: unknown[]) => void).apply(this, args)
  } as typeof send

  const lookup = dns.lookup
  dns.lookup = function (hostname: string, ...rest: unknown[]) {
    record({ kind: 'lookup', host: hostname, port: null, path: null })
    return (lookup as (...a: unknown[]) => void)(hostname, ...rest)
  } as typeof dns.lookup
  const lookupPromise = dns.promises.lookup
  dns.promises.lookup = function (hostname: string, ...rest: unknown[]) {
    record({ kind: 'lookup', host: hostname, port: null, path: null })
    return (lookupPromise as (...a: unknown[]) => Promise<unknown>)(hostname, ...rest)
  } as typeof dns.promises.lookup
}
