import { copyFile, mkdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RequestOutput, WorkstationEvent } from '../../electron/contract/channels.ts'
import type { EvaluationRunProgress } from '../../electron/contract/evaluation-runs.ts'
import { openInProcessWorkstation, type OpenedWorkstation } from '../support/in-process-workstation.ts'
import type { EngineScript } from '../support/scripted-engine.ts'

// Evaluation runs through the workstation's requests, as the Evaluation screen makes them: the
// datasets of the hospital's evaluation folder by name (never a path), a run of the loaded model
// to its end with progress events and its report, one run at a time, a cancel that keeps the
// finished items, and who may do it.

const admin = { staffId: 'A0001', name: '信息科王工', roles: ['admin'], department: '信息科', pin: '483920' }
const doctor = { staffId: 'D0101', name: '李医生', roles: ['doctor'], department: '全科', pin: '615204' }

const script: EngineScript = {
  modelName: 'HuatuoGPT2-7B (scripted)',
  answers: [{ chunks: ['建议', '多饮水，', '注意休息。'], pauseMs: 40 }],
}

const fixture = (name: string) => new URL(`../fixtures/eval/${name}`, import.meta.url).pathname

let opened: OpenedWorkstation
let datasetsDir: string
const progress: EvaluationRunProgress[] = []

beforeAll(async () => {
  opened = await openInProcessWorkstation({ script })
  opened.workstation.onEvent((event: WorkstationEvent) => {
    if (event.type === 'evaluation.progress') progress.push(event.progress)
  })
  await opened.call('session.firstAdmin', admin)
  datasetsDir = join(opened.dir, 'data', 'evaluations', 'datasets')
}, 60_000)

afterAll(async () => {
  await opened?.close()
})

async function ended(runId: string): Promise<EvaluationRunProgress> {
  for (let waited = 0; waited < 30_000; waited += 50) {
    const last = progress.filter((p) => p.runId === runId && p.status !== 'running').at(-1)
    if (last) return last
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error(`run ${runId} did not end`)
}

async function codeOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => 'no error',
    (error: { code?: string }) => error.code,
  )
}

describe('evaluation runs through the requests', () => {
  it('offers nothing before IT made the folder, then its files and folders by name with a guessed format', async () => {
    expect(await opened.call('evaluation.datasets')).toEqual({ folderExists: false, datasets: [] })
    await mkdir(join(datasetsDir, 'cmedqa2'), { recursive: true })
    for (const name of ['answer.csv', 'question.csv', 'test_candidates.txt']) await copyFile(fixture(`cmedqa2/${name}`), join(datasetsDir, 'cmedqa2', name))
    await copyFile(fixture('generic.jsonl'), join(datasetsDir, 'generic.jsonl'))
    await copyFile(fixture('kuake-qic.json'), join(datasetsDir, 'kuake-qic.json'))
    await copyFile(fixture('exam.jsonl'), join(datasetsDir, 'exam.jsonl'))
    const offers = await opened.call<RequestOutput<'evaluation.datasets'>>('evaluation.datasets')
    expect(offers.folderExists).toBe(true)
    expect(offers.datasets.map(({ name, kind, guessedFormat }) => ({ name, kind, guessedFormat }))).toEqual([
      { name: 'cmedqa2', kind: 'folder', guessedFormat: 'cmedqa2' },
      { name: 'exam.jsonl', kind: 'file', guessedFormat: 'exam' },
      { name: 'generic.jsonl', kind: 'file', guessedFormat: 'jsonl' },
      { name: 'kuake-qic.json', kind: 'file', guessedFormat: 'kuake-qic' },
    ])
  })

  it('refuses a path, or a name the folder does not hold, before anything runs', async () => {
    expect(await codeOf(opened.call('evaluation.start', { dataset: '../records.db', datasetFormat: 'jsonl' }))).toBe('CONTRACT_INVALID_INPUT')
    expect(await codeOf(opened.call('evaluation.start', { dataset: '/etc/passwd', datasetFormat: 'jsonl' }))).toBe('CONTRACT_INVALID_INPUT')
    expect(await codeOf(opened.call('evaluation.start', { dataset: 'missing.jsonl', datasetFormat: 'jsonl' }))).toBe('EVALUATION_DATASET_NOT_OFFERED')
    expect(await codeOf(opened.call('evaluation.report', { runId: '../../x' }))).toBe('CONTRACT_INVALID_INPUT')
    expect(await codeOf(opened.call('evaluation.report', { runId: '20260101-000000-abcdef' }))).toBe('EVALUATION_RUN_NOT_FOUND')
    // A dataset in another format than chosen is refused with the reader's code, and leaves no run behind.
    expect(await codeOf(opened.call('evaluation.start', { dataset: 'kuake-qic.json', datasetFormat: 'cmedqa2' }))).toBe('DATASET_UNREADABLE')
    expect(await opened.call('evaluation.runs')).toEqual([])
  })

  it('runs the loaded model over a dataset to its end, with progress, a header and a report', async () => {
    const started = await opened.call<RequestOutput<'evaluation.start'>>('evaluation.start', { dataset: 'generic.jsonl', datasetFormat: 'jsonl' })
    expect(started).toMatchObject({ status: 'running', dataset: 'generic.jsonl', datasetFormat: 'jsonl', startedBy: 'A0001', done: 0 })
    expect(started.total).toBeGreaterThan(1)
    expect(started.header).toMatchObject({ model: { name: 'HuatuoGPT2-7B (scripted)' }, dataset: { file: 'generic.jsonl', format: 'jsonl' }, seed: 42 })
    const last = await ended(started.runId)
    expect(last).toMatchObject({ status: 'finished', done: started.total, total: started.total, errorCode: null })
    const running = progress.filter((p) => p.runId === started.runId && p.status === 'running')
    expect(running.map((p) => p.done)).toEqual([...Array(started.total + 1).keys()])
    expect(running.at(-1)!.tokensPerSecond).toBeGreaterThan(0)

    const [run] = await opened.call<RequestOutput<'evaluation.runs'>>('evaluation.runs')
    expect(run).toMatchObject({ runId: started.runId, status: 'finished', done: started.total, total: started.total, hasReport: false })
    expect(run!.header!.sampling.maxTokens).toBeGreaterThan(0)
    expect(run!.finishedAt).not.toBeNull()
    const lines = (await readFile(join(opened.dir, 'data', 'evaluations', 'runs', started.runId, 'predictions.jsonl'), 'utf8')).trim().split('\n')
    expect(lines.map((line) => (JSON.parse(line) as { prediction: string }).prediction)).toEqual(Array(started.total).fill('建议多饮水，注意休息。'))

    const report = await opened.call<RequestOutput<'evaluation.report'>>('evaluation.report', { runId: started.runId })
    expect(report.html).toMatch(/^<!DOCTYPE html>/i)
    expect(report.html).toContain('generic.jsonl')
    expect((await opened.call<RequestOutput<'evaluation.runs'>>('evaluation.runs'))[0]!.hasReport).toBe(true)
  })

  it('runs one at a time; a cancel stops the run and keeps what it finished', async () => {
    const started = await opened.call<RequestOutput<'evaluation.start'>>('evaluation.start', { dataset: 'kuake-qic.json', datasetFormat: 'kuake-qic' })
    expect(await codeOf(opened.call('evaluation.start', { dataset: 'generic.jsonl', datasetFormat: 'jsonl' }))).toBe('EVALUATION_RUNNING')
    for (let waited = 0; !progress.some((p) => p.runId === started.runId && p.done >= 1) && waited < 10_000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20))
    expect(await opened.call('evaluation.cancel')).toEqual({ cancelled: true })
    const last = await ended(started.runId)
    expect(last.status).toBe('cancelled')
    expect(last.done).toBeGreaterThanOrEqual(1)
    expect(last.done).toBeLessThan(started.total)
    const run = (await opened.call<RequestOutput<'evaluation.runs'>>('evaluation.runs')).find((r) => r.runId === started.runId)
    expect(run).toMatchObject({ status: 'cancelled', done: last.done })
    expect(await opened.call('evaluation.cancel')).toEqual({ cancelled: false })
    // Its report covers the items it finished (KUAKE-QIC has no reference: answered, unscored).
    expect((await opened.call<RequestOutput<'evaluation.report'>>('evaluation.report', { runId: started.runId })).html).toContain('kuake-qic.json')
  })

  it('is for administrators: a doctor may neither list nor start runs', async () => {
    await opened.call('accounts.add', doctor)
    await opened.call('session.switchUser', { staffId: doctor.staffId, pin: doctor.pin })
    await opened.call('session.changePin', { currentPin: doctor.pin, newPin: '730615' })
    for (const [name, input] of [
      ['evaluation.datasets', {}],
      ['evaluation.runs', {}],
      ['evaluation.start', { dataset: 'generic.jsonl', datasetFormat: 'jsonl' }],
      ['evaluation.cancel', {}],
    ] as const) {
      expect(await codeOf(opened.call(name, input))).toBe('FORBIDDEN')
    }
  })
})
