import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { WorkstationEvent } from '../../electron/contract/channels.ts'
import type { EngineStatus } from '../../electron/contract/inference.ts'
import type { ModelMemoryPlan } from '../../electron/contract/model-inspection.ts'
import { triagePatientMessage } from '../../electron/core/clinical/triage/triage.ts'
import { readHospitalConfig } from '../../electron/core/config/hospital-config.ts'
import { planModelMemory } from '../../electron/core/models/memory-plan.ts'
import { writeTestModel } from '../../electron/core/models/test-model.ts'
import { Workstation } from '../../electron/core/workstation.ts'
import { startModelServer, type ModelServer } from '../support/model-server.ts'

// What the model manager asks of the workstation: cancel a download (and resume it later), the
// memory a model needs before it is loaded, and how many layers go to the GPU.

let dir: string
let workstation: Workstation
let server: ModelServer
let modelPath: string
let modelBytes: Buffer
const events: WorkstationEvent[] = []

async function call<T>(name: string, input: unknown = {}): Promise<T> {
  const reply = await workstation.invoke(name, input)
  if (!reply.ok) throw Object.assign(new Error(`${name}: ${reply.error.code} ${reply.error.detail ?? ''}`), { code: reply.error.code })
  return reply.value as T
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'huatuo-manager-'))
  modelPath = join(dir, 'tiny.gguf')
  await writeTestModel({ out: modelPath, size: 'tiny', name: 'HuatuoGPT2-7B', seed: 5 })
  modelBytes = await readFile(modelPath)
  server = await startModelServer({ '/files/tiny.gguf': { body: modelBytes } })
  const config = await readHospitalConfig(join(dir, 'no-hospital.json'), { HUATUO_DATA_DIR: join(dir, 'data') })
  workstation = await Workstation.open({
    config: { ...config, downloadStallMs: 60_000 },
    about: { name: 'Huatuo Workstation', version: 'test', electron: '', node: process.versions.node },
    databasePath: join(dir, 'data', 'records.db'),
    triage: triagePatientMessage,
    threads: 1,
  })
  workstation.onEvent((event) => events.push(event))
  await call('session.firstAdmin', { staffId: 'A0001', name: '陈工', roles: ['doctor', 'admin'], pin: '482915' })
})

afterAll(async () => {
  await workstation?.dispose()
  await server?.close()
  await rm(dir, { recursive: true, force: true })
})

describe('model.cancelDownload', () => {
  it('says so when nothing is downloading', async () => {
    await expect(call('model.cancelDownload')).resolves.toEqual({ cancelled: false })
  })

  it('stops a running download, refuses a second meanwhile, and the same download resumes where it stopped', async () => {
    const half = Math.floor(modelBytes.length / 2)
    server.once('/files/tiny.gguf', { stallAfterBytes: half })
    const url = `${server.url}/files/tiny.gguf`
    const first = call('model.download', { source: url })
    // Wait for the first bytes to arrive, then for the stall.
    await expect.poll(() => events.some((event) => event.type === 'download.progress' && event.progress.doneBytes > 0), { timeout: 10_000 }).toBe(true)
    await expect(call('model.download', { source: url })).rejects.toMatchObject({ code: 'DOWNLOAD_IN_PROGRESS' })
    await expect(call('model.cancelDownload')).resolves.toEqual({ cancelled: true })
    await expect(first).rejects.toMatchObject({ code: 'REQUEST_CANCELLED' })

    const requestsBefore = server.requests.length
    const done = await call<{ model: { sha256: string; sizeBytes: number } }>('model.download', { source: url })
    expect(done.model.sizeBytes).toBe(modelBytes.length)
    // Resumed with a Range request from what had arrived, not fetched again from the start.
    const resumed = server.requests.slice(requestsBefore).find((request) => request.path === '/files/tiny.gguf')
    expect(resumed?.range).toMatch(/^bytes=[1-9]\d*-$/)
    await expect(call('model.cancelDownload')).resolves.toEqual({ cancelled: false })
  })
})

describe('model.memoryPlan and gpuLayers', () => {
  it('says what the model needs for a context size against what is free, and the largest context that fits', async () => {
    const [model] = await call<Array<{ id: string }>>('model.list')
    const plan = await call<ModelMemoryPlan>('model.memoryPlan', { modelId: model!.id, contextSize: 1024 })
    expect(plan).toMatchObject({ backend: 'cpu', contextSize: 1024, gpuLayers: 0, fits: true })
    expect(plan.required.ramBytes).toBeGreaterThan(0)
    expect(plan.required.vramBytes).toBe(0)
    expect(plan.machine.totalRamBytes).toBeGreaterThan(plan.machine.freeRamBytes - 1)
    expect(plan.largestContextSize).toBeGreaterThanOrEqual(1024)
    expect(plan.largestContextSize % 256).toBe(0)
    // More context needs more memory.
    const larger = await call<ModelMemoryPlan>('model.memoryPlan', { modelId: model!.id, contextSize: 4096 })
    expect(larger.required.ramBytes).toBeGreaterThan(plan.required.ramBytes)
  })

  it('on a machine with little free memory: does not fit, and names a smaller context that would', async () => {
    const roomy = await planModelMemory(modelPath, { contextSize: 4096 })
    const needFor256 = (await planModelMemory(modelPath, { contextSize: 256 })).required.ramBytes
    const tight = await planModelMemory(modelPath, { contextSize: 4096, freeRamBytes: () => Math.floor((needFor256 + roomy.required.ramBytes) / 2) })
    expect(tight.fits).toBe(false)
    expect(tight.largestContextSize).toBeGreaterThanOrEqual(256)
    expect(tight.largestContextSize).toBeLessThan(4096)
    const none = await planModelMemory(modelPath, { contextSize: 4096, freeRamBytes: () => 1024 })
    expect(none).toMatchObject({ fits: false, largestContextSize: 0 })
  })

  it('loads with the GPU layers asked for (0: the CPU only), and refuses a number that is not one', async () => {
    const [model] = await call<Array<{ id: string }>>('model.list')
    const status = await call<EngineStatus>('model.load', { modelId: model!.id, contextSize: 512, gpuLayers: 0 })
    expect(status.state).toBe('ready')
    expect(status.local?.gpuLayers).toBe(0)
    await expect(call('model.load', { modelId: model!.id, gpuLayers: -1 })).rejects.toMatchObject({ code: 'CONTRACT_INVALID_INPUT' })
    await expect(call('model.load', { modelId: model!.id, gpuLayers: 'all' })).rejects.toMatchObject({ code: 'CONTRACT_INVALID_INPUT' })
    await call('model.unload')
  })
})
