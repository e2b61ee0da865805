import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ConsultationMessage } from '../../electron/contract/consultation-messages.ts'
import { SeededRandom } from '../../electron/core/models/seeded-random.ts'
import { crashTestText } from './records-crash-writer.ts'
import { openTestStore, temporaryFolder } from './records-support.ts'

// Power loss or kill -9 while an answer streams: every committed message is there, intact, and
// the answer being generated is kept as `interrupted` with its text up to the last checkpoint.

const writer = fileURLToPath(new URL('./records-crash-writer.ts', import.meta.url))
const kills = 16

interface Seen {
  /** Patient messages reported committed, in order. */
  patients: Set<number>
  finished: Set<number>
  /** Started answers with the length of their last reported checkpoint. */
  started: Map<number, { seed: number; checkpoint: number }>
}

/** Runs the writer until a random moment, then SIGKILLs it; returns what it reported as committed. */
function runAndKill(path: string, seed: number, killAfterMs: number, seen: Seen): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [writer, path, String(seed), '25'], { stdio: ['ignore', 'pipe', 'pipe'] })
    let buffer = ''
    let stderr = ''
    let timer: NodeJS.Timeout | undefined
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      buffer += chunk
      let newline
      while ((newline = buffer.indexOf('\n')) !== -1) {
        const line = JSON.parse(buffer.slice(0, newline)) as { ready?: true; p?: number; a?: number; k?: number; n?: number; f?: number }
        buffer = buffer.slice(newline + 1)
        if (line.ready) timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs)
        if (line.p !== undefined) seen.patients.add(line.p)
        if (line.a !== undefined) seen.started.set(line.a, { seed, checkpoint: 0 })
        if (line.k !== undefined) seen.started.set(line.k, { seed, checkpoint: line.n as number })
        if (line.f !== undefined) seen.finished.add(line.f)
      }
    })
    child.on('error', reject)
    child.on('exit', (code, signal) => {
      clearTimeout(timer)
      if (signal === 'SIGKILL') resolve()
      else reject(new Error(`writer exited by itself (${code}): ${stderr}`))
    })
  })
}

let folder: Awaited<ReturnType<typeof temporaryFolder>>

beforeAll(async () => {
  folder = await temporaryFolder('crash')
})

afterAll(async () => {
  await folder?.remove()
})

describe('crash durability', () => {
  it(`keeps every committed message through ${kills} kill -9s in the middle of streaming`, async () => {
    const path = `${folder.path}/records.db`
    const random = new SeededRandom(2024)
    const seen: Seen = { patients: new Set(), finished: new Set(), started: new Map() }
    const patientTexts = new Map<number, string>()
    let interruptedSeen = 0
    for (let round = 1; round <= kills; round++) {
      const before = new Set(seen.patients)
      await runAndKill(path, round, 60 + Math.floor(random.next() * 400), seen)
      // This round's writer numbered its patient messages from 0, three per consultation.
      const fresh = [...seen.patients].filter((id) => !before.has(id)).sort((a, b) => a - b)
      fresh.forEach((id, n) => patientTexts.set(id, crashTestText('patient', round, Math.floor(n / 3) * 10 + (n % 3))))

      const store = await openTestStore(path)
      try {
        const messages = new Map<number, ConsultationMessage>()
        for (const id of [...seen.patients, ...seen.started.keys()]) messages.set(id, store.messages.get(id))
        for (const [id, text] of patientTexts) expect(messages.get(id)?.text, `patient message ${id}`).toBe(text)
        for (const [id, { checkpoint }] of seen.started) {
          const message = messages.get(id) as ConsultationMessage
          const full = crashTestText('answer', seen.started.get(id)?.seed as number, id)
          if (seen.finished.has(id)) {
            expect(message).toMatchObject({ status: 'complete', text: full })
            continue
          }
          // Killed while streaming (or just after finishing, before it could say so).
          expect(['interrupted', 'complete'], `answer ${id}`).toContain(message.status)
          expect(full.startsWith(message.text), `answer ${id} is a prefix of what was streamed`).toBe(true)
          expect(message.text.length).toBeGreaterThanOrEqual(checkpoint)
          if (message.status === 'interrupted') interruptedSeen++
        }
        const streaming = store.connection.prepare("SELECT count(*) AS n FROM messages WHERE status = 'streaming'").get() as { n: number }
        expect(streaming.n).toBe(0)
        expect(store.audit.verify().ok).toBe(true)
        expect(Object.values(store.connection.prepare('PRAGMA integrity_check').get() as object)[0]).toBe('ok')
      } finally {
        store.close()
      }
    }
    // The kills really landed mid-answer, after checkpoints had been written.
    expect(interruptedSeen).toBeGreaterThan(kills / 2)
    expect([...seen.started.values()].filter((s) => s.checkpoint > 0).length).toBeGreaterThan(kills / 2)
    expect(seen.finished.size).toBeGreaterThan(0)
  }, 60_000)
})
