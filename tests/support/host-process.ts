import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { repoRoot } from './cli.ts'

// `huatuo serve` as a user starts it, in its own process: the tests talk to it only over HTTP and
// WebSocket, and can check that it is still alive after whatever they sent.

const huatuoBin = fileURLToPath(new URL('../../bin/huatuo.js', import.meta.url))
const egressRecorder = fileURLToPath(new URL('./egress-recorder.ts', import.meta.url))

export interface HostProcess {
  /** As printed: http://127.0.0.1:PORT/#token=… */
  url: string
  /** http://127.0.0.1:PORT */
  origin: string
  port: number
  token: string
  child: ChildProcess
  stdout(): string
  stderr(): string
  alive(): boolean
  /** SIGTERM, then the exit status. */
  stop(): Promise<number | null>
}

export interface HostStart {
  args: string[]
  env?: NodeJS.ProcessEnv
  /** Every outbound connection and name lookup of the host and its engine goes to this file. */
  egressLog?: string
}

export function startHostProcess(start: HostStart): Promise<HostProcess> {
  const nodeArgs = start.egressLog ? ['--import', egressRecorder] : []
  const child = spawn(process.execPath, [...nodeArgs, huatuoBin, 'serve', ...start.args], {
    cwd: repoRoot,
    env: { ...process.env, HUATUO_THREADS: '1', LANG: 'C', ...start.env, ...(start.egressLog ? { HUATUO_EGRESS_LOG: start.egressLog } : {}) },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  let exited = false
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => ((exited = true), resolve(code))))
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  return new Promise((resolve, reject) => {
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk
      const match = /^Listening on (http:\/\/127\.0\.0\.1:(\d+))\/#token=([A-Za-z0-9_-]+)\n/.exec(stdout)
      if (!match) return
      resolve({
        url: `${match[1]}/#token=${match[3]}`,
        origin: match[1]!,
        port: Number(match[2]),
        token: match[3]!,
        child,
        stdout: () => stdout,
        stderr: () => stderr,
        alive: () => !exited,
        stop: async () => {
          if (!exited) child.kill('SIGTERM')
          return exit
        },
      })
    })
    void exit.then((code) => reject(new Error(`huatuo serve exited (${code}) before listening:\n${stderr}`)))
  })
}

/** The host's page with nothing after the # but a route of the window (`#/consultation/<id>`): never the token. */
export function placeOnly(origin: string): RegExp {
  return new RegExp(`^${origin.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/(#/([a-z]+(/[0-9a-f-]+)?)?)?$`)
}
