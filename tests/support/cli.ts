import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url))
const huatuoBin = fileURLToPath(new URL('../../bin/huatuo.js', import.meta.url))

export interface CliResult {
  status: number | null
  stdout: string
  stderr: string
  elapsedMs: number
}

/** Runs `huatuo` as a user would, in its own process, with the same Node as the tests. */
export function runHuatuo(args: string[], options: { input?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
  const started = performance.now()
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [huatuoBin, ...args], {
      cwd: repoRoot,
      env: { ...process.env, HUATUO_THREADS: '1', LANG: 'C', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    child.on('error', reject)
    child.on('close', (status) => resolve({ status, stdout, stderr, elapsedMs: performance.now() - started }))
    child.stdin.end(options.input ?? '')
  })
}
