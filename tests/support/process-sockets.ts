import { readdir, readFile, readlink } from 'node:fs/promises'

// The internet sockets a process and its descendants hold right now, from /proc (Linux): the
// check that a server binds and talks on loopback only, whatever library opened the socket.

export interface InetSocket {
  pid: number
  protocol: 'tcp' | 'tcp6' | 'udp' | 'udp6'
  local: string
  remote: string
}

async function descendants(root: number): Promise<number[]> {
  const parents = new Map<number, number>()
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => null)
    // pid (comm) state ppid …; comm may contain spaces and parentheses, so read after the last ')'.
    const ppid = stat === null ? NaN : Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
    parents.set(Number(entry), ppid)
  }
  const found = [root]
  for (let i = 0; i < found.length; i++) for (const [pid, ppid] of parents) if (ppid === found[i]) found.push(pid)
  return found
}

async function socketInodes(pid: number): Promise<Set<string>> {
  const inodes = new Set<string>()
  const fds = await readdir(`/proc/${pid}/fd`).catch(() => [] as string[])
  for (const fd of fds) {
    const link = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '')
    const match = /^socket:\[(\d+)\]$/.exec(link)
    if (match) inodes.add(match[1]!)
  }
  return inodes
}

/** /proc/net/tcp's "0100007F:1F90" (IPv4) or 32 hex digits (IPv6), both little-endian per 32-bit word. */
function decodeAddress(hex: string): string {
  const [address, port] = hex.split(':') as [string, string]
  const words = address.match(/.{8}/g)!.map((word) => word.match(/../g)!.reverse().join(''))
  if (words.length === 1) return `${words[0]!.match(/../g)!.map((byte) => parseInt(byte, 16)).join('.')}:${parseInt(port, 16)}`
  const groups = words.join('').match(/.{4}/g)!.map((group) => parseInt(group, 16).toString(16))
  return `[${groups.join(':')}]:${parseInt(port, 16)}`
}

export async function inetSocketsOf(root: number): Promise<InetSocket[]> {
  const sockets: InetSocket[] = []
  for (const pid of await descendants(root)) {
    const inodes = await socketInodes(pid)
    if (inodes.size === 0) continue
    for (const protocol of ['tcp', 'tcp6', 'udp', 'udp6'] as const) {
      const table = await readFile(`/proc/${pid}/net/${protocol}`, 'utf8').catch(() => '')
      for (const line of table.split('\n').slice(1)) {
        const fields = line.trim().split(/\s+/)
        if (fields.length < 10 || !inodes.has(fields[9]!)) continue
        sockets.push({ pid, protocol, local: decodeAddress(fields[1]!), remote: decodeAddress(fields[2]!) })
      }
    }
  }
  return sockets
}

/** 127.0.0.0/8, ::1 and IPv4-mapped loopback; `unspecifiedOk` also admits a listener's empty remote end. */
export function isLoopbackEndpoint(endpoint: string, unspecifiedOk = false): boolean {
  const host = endpoint.slice(0, endpoint.lastIndexOf(':'))
  if (/^127\.\d+\.\d+\.\d+$/.test(host)) return true
  if (host === '[0:0:0:0:0:0:0:1]' || /^\[0:0:0:0:0:ffff:7f[0-9a-f]{2}:[0-9a-f]+\]$/.test(host)) return true
  return unspecifiedOk && (host === '0.0.0.0' || host === '[0:0:0:0:0:0:0:0]')
}
