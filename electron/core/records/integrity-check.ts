import { Worker } from 'node:worker_threads'

export interface IntegrityReport {
  /** unreadable: the file could not be opened at all (permissions, a folder, …). */
  status: 'ok' | 'corrupt' | 'not-a-database' | 'unreadable'
  applicationId: number | null
  schemaVersion: number | null
  /** Tables, views and triggers in the file (0 for an empty database). */
  schemaObjects: number | null
  /** SQLite's findings (page and table names, never row contents), at most a few. */
  problems: string[]
}

/** quick: structure only (O(pages)); full: also every index against its table (restores use it). */
export type IntegrityDepth = 'quick' | 'full'
export type IntegrityCheck = (path: string, depth: IntegrityDepth) => Promise<IntegrityReport>

// Runs in a worker thread, from source text so it needs no separate file in a bundled app. It opens
// the file read-only: checking a database never changes it.
const workerSource = `
const { parentPort, workerData } = require('node:worker_threads')
const { DatabaseSync } = require('node:sqlite')
let report
try {
  const db = new DatabaseSync(workerData.path, { readOnly: true })
  try {
    const applicationId = db.prepare('PRAGMA application_id').get().application_id
    const schemaVersion = db.prepare('PRAGMA user_version').get().user_version
    const schemaObjects = db.prepare('SELECT count(*) AS n FROM sqlite_schema').get().n
    const pragma = workerData.depth === 'full' ? 'PRAGMA integrity_check(10)' : 'PRAGMA quick_check(10)'
    const lines = db.prepare(pragma).all().map((row) => String(Object.values(row)[0]))
    const ok = lines.length === 1 && lines[0] === 'ok'
    report = { status: ok ? 'ok' : 'corrupt', applicationId, schemaVersion, schemaObjects, problems: ok ? [] : lines }
  } finally {
    db.close()
  }
} catch (error) {
  const code = typeof error.errcode === 'number' ? error.errcode & 0xff : -1
  const status = code === 26 ? 'not-a-database' : code === 11 ? 'corrupt' : 'unreadable'
  report = { status, applicationId: null, schemaVersion: null, schemaObjects: null, problems: ['sqlite ' + String(error.errcode ?? error.code)] }
}
parentPort.postMessage(report)
`

/** The check runs off the main thread: a large file takes seconds, and the window must stay responsive. */
export const checkIntegrityOffThread: IntegrityCheck = (path, depth) =>
  new Promise((resolve, reject) => {
    const worker = new Worker(workerSource, { eval: true, workerData: { path, depth } })
    worker.once('message', (report: IntegrityReport) => resolve(report))
    worker.once('error', reject)
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`integrity check worker exited with ${code}`))
    })
  })
