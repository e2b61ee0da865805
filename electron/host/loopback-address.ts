import { isIPv4 } from 'node:net'
import { WorkstationError } from '../core/errors.ts'

// The browser host serves patients' consultations: it must never be reachable from the network.
// Only loopback addresses are accepted, checked before anything is bound.

/** The address to bind for a `--host` value; HOST_NOT_LOOPBACK for anything off this machine. */
export function loopbackListenAddress(host: string): string {
  const value = host.trim().toLowerCase()
  if (value === 'localhost') return '127.0.0.1'
  if (value === '::1' || value === '[::1]') return '::1'
  // 127.0.0.0/8 in dotted-quad form only: isIPv4 refuses shorthand such as "127.1".
  if (isIPv4(value) && value.startsWith('127.')) return value
  throw new WorkstationError('HOST_NOT_LOOPBACK', `--host ${host.slice(0, 100)}`)
}

/** `host:port` as it appears in a URL and in the Host header. */
export function hostWithPort(address: string, port: number): string {
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`
}
