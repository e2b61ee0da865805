import { copyFile, mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RequestOutput, WorkstationEvent } from '../../electron/contract/channels.ts'
import type { EvaluationRunProgress } from '../../electron/contract/evaluation-runs.ts'
import { openInProcessWorkstation, type OpenedWorkstation } from '../support/in-process-workstation.ts'
import type { EngineScript } from '../support/scripted-engine.ts'

// A review of two runs the workstation itself made (evaluation.start, as the Evaluation screen
// starts them): the runs' folders are what review.create reads; a run still answering is refused.

const admin = { staffId: 'A0001', name: '信息科王工', roles: ['admin'], department: '信息科', pin: '483920' }
// Two answers taken in turn over the five items: the second run's answers differ from the first's.
// With one answer, two runs could write byte-identical predictions whenever every item took the same
// milliseconds (seen once under load), and the review rightly refuses identical runs (REVIEW_SAME_RUN).
const script: EngineScript = {
  modelName: 'HuatuoGPT2-7B (scripted)',
  answers: [
    { chunks: ['建议', '多饮水，', '注意休息。'], pauseMs: 30 },
    { chunks: ['建议', '及时就医。'], pauseMs: 30 },
  ],
}

let opened: OpenedWorkstation
const progress: EvaluationRunProgress[] = []

async function ended(runId: string): Promise<EvaluationRunProgress> {
  for (let waited = 0; waited < 30_000; waited += 50) {
    const last = progress.filter((p) => p.runId === runId && p.status !== 'running').at(-1)
    if (last) return last
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error(`run ${runId} did not end`)
}

beforeAll(async () => {
  opened = await openInProcessWorkstation({ script })
  opened.workstation.onEvent((event: WorkstationEvent) => {
    if (event.type === 'evaluation.progress') progress.push(event.progress)
  })
  await opened.call('session.firstAdmin', admin)
  const datasets = join(opened.dir, 'data', 'evaluations', 'datasets')
  await mkdir(datasets, { recursive: true })
  await copyFile(new URL('../fixtures/eval/generic.jsonl', import.meta.url).pathname, join(datasets, 'generic.jsonl'))
}, 60_000)

afterAll(async () => {
  await opened?.close()
})

describe('a review of the workstation’s own runs', () => {
  it('prepares a review from two finished runs by their ids; refuses a run that is still answering', async () => {
    const runIds: string[] = []
    for (let i = 0; i < 2; i++) {
      const started = await opened.call<RequestOutput<'evaluation.start'>>('evaluation.start', { dataset: 'generic.jsonl', datasetFormat: 'jsonl' })
      expect((await ended(started.runId)).status).toBe('finished')
      runIds.push(started.runId)
    }
    const [runA, runB] = runIds as [string, string]
    const review = await opened.call<RequestOutput<'review.create'>>('review.create', { runA, runB })
    const runs = await opened.call<RequestOutput<'evaluation.runs'>>('evaluation.runs')
    expect(review).toMatchObject({ items: runs[0]?.total, runs: { a: { run: runA, dataset: { file: 'generic.jsonl', format: 'jsonl' } }, b: { run: runB } } })

    const third = await opened.call<RequestOutput<'evaluation.start'>>('evaluation.start', { dataset: 'generic.jsonl', datasetFormat: 'jsonl' })
    const refused = await opened.call('review.create', { runA, runB: third.runId }).then(
      () => 'no error',
      (error: { code?: string }) => error.code,
    )
    expect(refused).toBe('REVIEW_RUN_UNFINISHED')
    await ended(third.runId)
  }, 60_000)
})
