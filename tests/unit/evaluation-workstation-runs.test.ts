import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EvaluationRunProgress } from '../../electron/contract/evaluation-runs.ts'
import type { EngineStatus } from '../../electron/contract/inference.ts'
import { WorkstationRuns } from '../../electron/core/evaluation/workstation-runs.ts'
import type { InferenceEngine } from '../../electron/core/inference/engine.ts'
import { writeTestModel } from '../../electron/core/models/test-model.ts'

// A workstation run yields to the doctors: before each item it waits while a consultation turn is
// being answered, its questions go to the engine as background requests, and it stops rather than
// mix in the answers of another model loaded meanwhile. Tested with a fake
// engine whose calls are recorded, and a consultation that is "busy" until the test frees it.

let dir: string
let modelPath: string
const fixture = (name: string) => new URL(`../fixtures/eval/${name}`, import.meta.url).pathname

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'huatuo-runs-'))
  modelPath = join(dir, 'tiny.gguf')
  await writeTestModel({ out: modelPath, size: 'tiny', name: 'HuatuoGPT2-7B', seed: 9 })
  await mkdir(join(dir, 'datasets'))
  await copyFile(fixture('generic.jsonl'), join(dir, 'datasets', 'generic.jsonl'))
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

function fakeEngine(onSend: () => void = () => undefined) {
  const sent: Array<{ priority: string | undefined; at: number }> = []
  const engine = {
    openConsultation: async () => ({
      send: async (request: { answerId: string; priority?: string }) => {
        sent.push({ priority: request.priority, at: Date.now() })
        onSend()
        return {
          answerId: request.answerId,
          text: '多饮水',
          thinking: '',
          status: 'complete',
          endReason: 'eos',
          timing: { promptTokens: 10, evaluatedPromptTokens: 10, generatedTokens: 3, timeToFirstTokenMs: 1, tokensPerSecond: 100 },
        }
      },
      close: async () => undefined,
    }),
  } as unknown as InferenceEngine
  return { engine, sent }
}

function statusOf(path: string): EngineStatus {
  return {
    state: 'ready',
    engine: 'local',
    model: { name: 'HuatuoGPT2-7B', promptFormat: 'huatuo-ii', contextSize: 1024, libraryId: null, sha256: null, quantization: null, engine: 'local', server: null },
    local: { modelPath: path, loadSeconds: 0, sequences: 1, backend: 'cpu', deviceNames: [], gpuLayers: 0, totalLayers: 2, threads: 1, freeRamBytes: 0, freeVramBytes: 0 },
    remote: null,
    fallbackModel: null,
  }
}

async function ended(progress: EvaluationRunProgress[]): Promise<EvaluationRunProgress> {
  for (let waited = 0; !progress.some((p) => p.status !== 'running') && waited < 5000; waited += 10) await new Promise((resolve) => setTimeout(resolve, 10))
  return progress.at(-1)!
}

describe('a workstation run and the consultations', () => {
  it('stops when another model is loaded during the run, without writing an answer of the other model', async () => {
    let status = statusOf(modelPath)
    const { engine } = fakeEngine(() => {
      // While the second item is answered, IT loads another model.
      if (answered++ === 1) status = statusOf(join(dir, 'other.gguf'))
    })
    let answered = 0
    const progress: EvaluationRunProgress[] = []
    const runs = new WorkstationRuns({
      datasetsDir: join(dir, 'datasets'),
      runsDir: join(dir, 'runs-changed'),
      workstationVersion: 'test',
      active: () => ({ engine, model: status.model!, remote: null }),
      status: async () => status,
      samplingFor: () => ({}),
      consultationBusy: () => false,
      emit: (p) => progress.push(p),
      audit: () => undefined,
    })
    const started = await runs.start({ dataset: 'generic.jsonl', datasetFormat: 'jsonl' }, 'A0001')
    expect(await ended(progress)).toMatchObject({ status: 'failed', errorCode: 'EVALUATION_MODEL_CHANGED', done: 1 })
    expect((await runs.runs()).find((run) => run.runId === started.runId)).toMatchObject({ status: 'failed', done: 1, errorCode: 'EVALUATION_MODEL_CHANGED' })
  })

  it('waits while a doctor’s answer is being written, and sends its own questions as background work', async () => {
    let busy = true
    const { engine, sent } = fakeEngine()
    const status = statusOf(modelPath)
    const progress: EvaluationRunProgress[] = []
    const audit: string[] = []
    const runs = new WorkstationRuns({
      datasetsDir: join(dir, 'datasets'),
      runsDir: join(dir, 'runs'),
      workstationVersion: 'test',
      active: () => ({ engine, model: status.model!, remote: null }),
      status: async () => status,
      samplingFor: () => ({ maxTokens: 16 }),
      consultationBusy: () => busy,
      emit: (p) => progress.push(p),
      audit: ({ action }) => audit.push(action),
      idlePollMs: 10,
    })
    const started = await runs.start({ dataset: 'generic.jsonl', datasetFormat: 'jsonl' }, 'A0001')
    expect(started.header?.sampling.maxTokens).toBe(16)
    await new Promise((resolve) => setTimeout(resolve, 150))
    // The doctor's answer is still being written: nothing of the run has reached the engine.
    expect(sent).toEqual([])
    const freed = Date.now()
    busy = false
    expect(await ended(progress)).toMatchObject({ status: 'finished', done: started.total })
    expect(sent).toHaveLength(started.total)
    expect(sent.every((call) => call.priority === 'background' && call.at >= freed)).toBe(true)
    expect(audit).toEqual(['evaluation.start'])
    // Finished runs are listed with who started them and their header; a run after it may start.
    expect((await runs.runs())[0]).toMatchObject({ runId: started.runId, status: 'finished', startedBy: 'A0001', done: started.total })
    await runs.dispose()
  })
})
