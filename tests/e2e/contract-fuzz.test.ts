import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isRequestName, requestChannels, requestNames, type RequestInput, type RequestName } from '../../electron/contract/channels.ts'
import type { EngineStatus } from '../../electron/contract/inference.ts'
import { writeTestModel } from '../../electron/core/models/test-model.ts'
import { startHostProcess, type HostProcess } from '../support/host-process.ts'
import { HostSocket, signInFirstClinician } from '../support/host-socket.ts'
import { ensureRendererBuilt } from '../support/renderer-build.ts'

// Malformed requests through the browser host's WebSocket, at least 1,000 for every channel: each
// is refused with a validation error, the host stays up, and nothing in the workstation changes.

const RUNS_PER_CHANNEL = 1000

/** One well-formed input per channel: the starting point of the near-misses. */
const wellFormed: { [N in RequestName]: RequestInput<N> } = {
  'app.about': {},
  'session.current': {},
  'session.firstAdmin': { staffId: 'A001', name: '管理员', roles: ['admin'], pin: '482915' },
  'session.signIn': { staffId: 'D001', pin: '482915' },
  'session.switchUser': { staffId: 'N001', pin: '739104' },
  'session.lock': {},
  'session.unlock': { pin: '482915' },
  'session.signOut': {},
  'session.activity': {},
  'session.changePin': { currentPin: '482915', newPin: '593028' },
  'accounts.list': {},
  'accounts.add': { staffId: 'D002', name: '李医生', roles: ['doctor'], department: '内科', pin: '620481' },
  'accounts.disable': { staffId: 'D002' },
  'accounts.enable': { staffId: 'D002' },
  'accounts.unlock': { staffId: 'D002' },
  'accounts.resetPin': { staffId: 'D002', newPin: '830517' },
  'settings.get': {},
  'settings.update': { sampling: { promptFormat: 'huatuo-ii', values: { temperature: 0.4, topP: 0.8, topK: 5, repeatPenalty: 1.1, maxTokens: 768 } }, idleLockMinutes: 10, departments: ['内科'] },
  'backups.list': {},
  'backups.create': {},
  'backups.restore': { fileName: 'records-manual-20260301T102233.123Z.db', confirmed: true },
  'audit.verify': {},
  'audit.accessLog': { limit: 50, staffId: 'D001' },
  'model.catalog': {},
  'model.list': {},
  'model.inspect': { modelId: 'ea79eb771c1fe1d3' },
  'model.importCandidates': {},
  'model.import': { candidate: 'HuatuoGPT2-7B.Q4_K_M.gguf' },
  'model.download': { source: 'huatuogpt2-7b-q4', baseUrl: 'https://hf-mirror.com' },
  'model.cancelDownload': {},
  'model.memoryPlan': { modelId: 'a1b2c3d4e5f60718', contextSize: 4096 },
  'model.remove': { modelId: 'ea79eb771c1fe1d3', confirmed: true },
  'model.load': { modelId: 'ea79eb771c1fe1d3', promptFormat: 'huatuo-ii', contextSize: 1024 },
  'model.unload': {},
  'model.status': {},
  'model.testServer': {},
  'model.useEngine': { engine: 'local' },
  'model.restart': {},
  'evaluation.datasets': {},
  'evaluation.start': { dataset: 'cmedqa2-test.jsonl', datasetFormat: 'jsonl', limit: 50 },
  'evaluation.cancel': {},
  'evaluation.runs': {},
  'evaluation.report': { runId: '20261206-080000-1a2b3c' },
  'patient.register': { name: '张三', clinicNumber: 'MZ0001', sex: 'male', ageYears: 52 },
  'patient.update': { consultationId: '00000000-0000-4000-8000-000000000001', name: '李四', clinicNumber: null, ageYears: 40, department: '心内科' },
  'consultation.list': { limit: 20 },
  'consultation.open': { consultationId: 'c-1', department: '内科' },
  'consultation.messages': { consultationId: 'c-1', limit: 50 },
  'consultation.trash': { consultationId: 'c-1' },
  'consultation.restore': { consultationId: 'c-1' },
  'records.search': { query: '头痛', filters: { department: '内科', redFlag: true, clinicNumber: 'MZ0001', clinician: 'D001', recordStatus: 'none' }, limit: 20 },
  'consultation.summaries': { patient: '张', department: '内科', clinician: 'D001', redFlag: true, recordStatus: 'signed', trashed: false, limit: 20 },
  'consultation.filterOptions': {},
  'note.add': { consultationId: 'c-1', text: '建议复诊' },
  'note.edit': { noteId: 1, text: '建议一周后复诊' },
  'redflag.acknowledge': { flagId: 1 },
  'record.draft': { consultationId: 'c-1' },
  'record.save': { consultationId: 'c-1', sections: { chiefComplaint: '头痛3天', physicalExam: 'T 37.2℃' } },
  'record.sign': { recordId: 1, pin: '482915' },
  'record.amend': { recordId: 1, sections: { diagnosis: '偏头痛' }, reason: '更正诊断', pin: '482915' },
  'record.get': { consultationId: 'c-1' },
  'record.history': { recordId: 1 },
  'record.check': { recordId: 1 },
  'record.removeSource': { linkId: 1 },
  'record.printable': { recordVersionId: 1, paper: 'a5' },
  'export.run': { recordVersionId: 1, format: 'pdf', paper: 'a4' },
  'consultation.send': { consultationId: 'c-1', answerId: 'a-1', text: '头痛三天', sampling: { temperature: 0.7, maxTokens: 64, seed: 1 } },
  'consultation.stop': { consultationId: 'c-1' },
  'consultation.regenerate': { consultationId: 'c-1', answerId: 'a-2', sampling: { topK: 40 } },
  'consultation.edit': { consultationId: 'c-1', answerId: 'a-3', patientMessageIndex: 0, text: '头痛五天', sampling: { topP: 0.9 } },
  'consultation.close': { consultationId: 'c-1' },
  'review.list': {},
  'review.create': { runA: 'huatuo2-7b-q4-cmedqa2', runB: 'huatuo2-7b-q8-cmedqa2' },
  'review.next': { reviewId: 'review-20261206T080000Z-1a2b3c' },
  'review.judge': { reviewId: 'review-20261206T080000Z-1a2b3c', itemId: 'q-17', choice: 'first', reason: '第一个回答提到了需要就医的警示症状' },
  'review.skip': { reviewId: 'review-20261206T080000Z-1a2b3c', itemId: 'q-17' },
  'review.result': { reviewId: 'review-20261206T080000Z-1a2b3c' },
}

/** What the host receives after JSON; an absent input counts as {} (as invoke treats it). */
function asReceived(value: unknown): unknown {
  const text = JSON.stringify(value)
  return text === undefined ? {} : (JSON.parse(text) ?? {})
}

function isMalformed(name: RequestName, value: unknown): boolean {
  return !requestChannels[name].input.safeParse(asReceived(value)).success
}

const junk = fc.anything({ maxDepth: 2, maxKeys: 4, withNullPrototype: false })
const wrongScalar = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.integer({ min: 0, max: 25_000 }).map((n) => 'x'.repeat(n)),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 4 }), fc.integer(), { maxKeys: 2 }),
)

/** Near-misses of a well-formed input (a field wrong, missing or extra) and plain junk. */
function malformedInputs(name: RequestName): fc.Arbitrary<unknown> {
  const valid = wellFormed[name] as Record<string, unknown>
  const keys = Object.keys(valid)
  const nearMisses: fc.Arbitrary<unknown>[] = [
    fc.record({ key: fc.string({ minLength: 1, maxLength: 12 }).filter((k) => !keys.includes(k)), value: wrongScalar }).map(({ key, value }) => ({ ...valid, [key]: value })),
  ]
  if (keys.length > 0) {
    nearMisses.push(
      fc.record({ key: fc.constantFrom(...keys), value: wrongScalar }).map(({ key, value }) => ({ ...valid, [key]: value })),
      fc.constantFrom(...keys).map((key) => Object.fromEntries(Object.entries(valid).filter(([k]) => k !== key))),
    )
  }
  return fc.oneof(...nearMisses, junk, wrongScalar).filter((value) => isMalformed(name, value))
}

let dir: string
let host: HostProcess
let socket: HostSocket

/** What a malformed request must not change. */
async function workstationState() {
  // Free memory is the machine's, measured afresh on every status: not the workstation's state.
  const { local, ...engine } = await socket.value<EngineStatus>('model.status')
  const { freeRamBytes: _ram, freeVramBytes: _vram, ...loaded } = local ?? { freeRamBytes: 0, freeVramBytes: 0 }
  return {
    about: await socket.value('app.about'),
    library: await socket.value('model.list'),
    status: { ...engine, local: local ? loaded : null },
    modelsFolder: (await readdir(join(dir, 'data', 'models'), { recursive: true })).sort(),
    consultations: await socket.value('consultation.list', { limit: 200 }),
    consultation: await socket.value('consultation.messages', { consultationId: 'c-1' }),
  }
}

let before: Awaited<ReturnType<typeof workstationState>>
let eventsBefore = 0

beforeAll(async () => {
  await ensureRendererBuilt()
  dir = await mkdtemp(join(tmpdir(), 'huatuo-fuzz-'))
  const modelPath = join(dir, 'tiny.gguf')
  await writeTestModel({ out: modelPath, size: 'tiny', name: 'HuatuoGPT2-7B', seed: 3 })
  host = await startHostProcess({
    args: ['--db', join(dir, 'records.db'), '--model', modelPath, '--data-dir', join(dir, 'data')],
    env: { HUATUO_HOSPITAL_CONFIG: join(dir, 'no-hospital.json') },
  })
  await signInFirstClinician(host.port, host.token)
  socket = await HostSocket.open(host.port, host.token)
  // An open consultation is state too: it must still answer afterwards.
  await socket.value('consultation.open', { consultationId: 'c-1' })
  before = await workstationState()
  expect(before.status).toMatchObject({ state: 'ready' })
  eventsBefore = socket.events.length
})

afterAll(async () => {
  socket?.close()
  await host?.stop()
  await rm(dir, { recursive: true, force: true })
})

describe('malformed requests through the host', () => {
  it.each(requestNames)(`%s: ${RUNS_PER_CHANNEL} malformed inputs, each refused as CONTRACT_INVALID_INPUT`, async (name) => {
    await fc.assert(
      fc.asyncProperty(malformedInputs(name), async (input) => {
        const reply = await socket.request(name, input)
        expect(reply.ok).toBe(false)
        if (!reply.ok) expect(reply.error.code).toBe('CONTRACT_INVALID_INPUT')
      }),
      { numRuns: RUNS_PER_CHANNEL },
    )
  })

  it(`unknown request names (${RUNS_PER_CHANNEL}): CONTRACT_UNKNOWN_REQUEST`, async () => {
    const names = fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom<unknown>('fs.readFile', 'eval', '__proto__', 'constructor', 'model.List', 'model.list ', { toString: false }, { valueOf: null }), junk)
    await fc.assert(
      fc.asyncProperty(names.filter((name) => !isRequestName(name)), junk, async (name, input) => {
        const reply = await socket.request(name, input)
        expect(reply.ok).toBe(false)
        if (!reply.ok) expect(reply.error.code).toBe('CONTRACT_UNKNOWN_REQUEST')
      }),
      { numRuns: RUNS_PER_CHANNEL },
    )
  })

  it('frames that are not requests at all: refused, and the connection stays usable', async () => {
    const frames = fc.oneof(
      fc.string({ maxLength: 60 }).map((text) => ({ text, id: -1 })),
      junk.map((value) => ({ text: JSON.stringify(value) ?? 'undefined', id: -1 })),
      fc.record({ id: fc.nat(), kind: fc.string({ maxLength: 8 }).filter((k) => k !== 'request') }).map(({ id, kind }) => ({ text: JSON.stringify({ kind, id, name: 'model.list', input: {} }), id })),
      fc.record({ id: fc.nat(), extra: fc.string({ minLength: 1, maxLength: 8 }).filter((k) => !['kind', 'id', 'name', 'input'].includes(k)) }).map(({ id, extra }) => ({
        text: JSON.stringify({ kind: 'request', id, name: 'model.list', input: {}, [extra]: 1 }),
        id,
      })),
    )
    await fc.assert(
      fc.asyncProperty(
        frames.filter(({ text, id }) => {
          // Keep only frames whose reply id is predictable: unreadable ones answer to -1.
          if (id !== -1) return true
          try {
            const value = JSON.parse(text) as { id?: unknown }
            return typeof value !== 'object' || value === null || Array.isArray(value) || !(Number.isSafeInteger(value.id) && (value.id as number) >= 0)
          } catch {
            return true
          }
        }),
        async ({ text, id }) => {
          const reply = await socket.sendRaw(text, id)
          expect(reply.ok).toBe(false)
          if (!reply.ok) expect(reply.error.code).toBe('CONTRACT_INVALID_INPUT')
        },
      ),
      { numRuns: RUNS_PER_CHANNEL },
    )
    expect(socket.socket.readyState).toBe(socket.socket.OPEN)
  })

  it('left the host running and the workstation exactly as it was', async () => {
    expect(host.alive()).toBe(true)
    expect(await workstationState()).toEqual(before)
    // Nothing started: no load progress, no transfer, no text.
    expect(socket.events.slice(eventsBefore)).toEqual([])
    // The consultation opened before is still open and answers.
    const answer = await socket.value<{ status: string }>('consultation.send', { consultationId: 'c-1', answerId: 'after', text: '头痛', sampling: { maxTokens: 4, seed: 1 } })
    expect(answer.status).toBe('complete')
  })
})
