// Shared set-up of the records tests (tests/unit/records-*.test.ts).
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { ErrorCode } from '../../electron/contract/errors.ts'
import { WorkstationError } from '../../electron/core/errors.ts'
import { demoConsultations, loadDemoSources, type DemoSources } from '../../electron/core/records/demo-corpus.ts'
import { storeDemoConsultations, type DemoTotals } from '../../electron/core/records/demo-records.ts'
import { openRecordStore, type RecordStore, type RecordStoreOptions } from '../../electron/core/records/record-store.ts'

/** The HuatuoGPT evaluation cases (Apache-2.0, FreedomIntelligence/HuatuoGPT eval/), copied into resources/demo-cases. */
export const demoDataFolder = fileURLToPath(new URL('../../resources/demo-cases/', import.meta.url))

let sources: Promise<DemoSources> | undefined
export function demoSources(): Promise<DemoSources> {
  sources ??= loadDemoSources(demoDataFolder)
  return sources
}

export async function temporaryFolder(label: string): Promise<{ path: string; remove: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), `huatuo-records-${label}-`))
  return { path, remove: () => rm(path, { recursive: true, force: true }) }
}

/** A controllable clock: tests move time instead of waiting. */
export function testClock(start = Date.UTC(2026, 0, 5, 9, 0, 0)): { now: () => number; set: (ms: number) => void; advance: (ms: number) => void } {
  let current = start
  let pinned: number | null = null
  return {
    now: () => pinned ?? current++,
    set: (ms) => {
      pinned = ms
    },
    advance: (ms) => {
      pinned = null
      current += ms
    },
  }
}

export function openTestStore(path: string, options: Partial<RecordStoreOptions> = {}): Promise<RecordStore> {
  return openRecordStore({ path, scheduledBackups: false, ...options })
}

/** Stores `count` demo consultations (about ten messages each) with the store's clock following them. */
export async function fillWithDemo(store: RecordStore, count: number, seed: number, setClock?: (ms: number) => void): Promise<DemoTotals> {
  return storeDemoConsultations(store, demoConsultations(await demoSources(), { count, seed }), setClock ? { setClock } : {})
}

/** The stable code of what `work` throws (fails the test when it does not throw a WorkstationError). */
export async function codeOf(work: () => unknown): Promise<ErrorCode> {
  try {
    await work()
  } catch (error) {
    if (error instanceof WorkstationError) return error.code
    throw error
  }
  throw new Error('expected a WorkstationError, nothing was thrown')
}

export async function errorOf(work: () => unknown): Promise<WorkstationError> {
  try {
    await work()
  } catch (error) {
    if (error instanceof WorkstationError) return error
    throw error
  }
  throw new Error('expected a WorkstationError, nothing was thrown')
}
