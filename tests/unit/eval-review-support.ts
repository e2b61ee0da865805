import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { EvaluationRunHeader } from '../../electron/contract/evaluation.ts'

// Two small evaluation runs written by hand, in the exact shape `huatuo eval run` leaves them
// (run.json beside predictions.jsonl), for the blind review's tests.

export function runHeader(overrides: { model?: string; datasetSha256?: string } = {}): EvaluationRunHeader {
  return {
    startedAt: '2026-12-01T08:00:00.000Z',
    workstationVersion: 'test',
    model: { file: `/models/${overrides.model ?? 'HuatuoGPT2-7B.Q4_K_M'}.gguf`, sha256: `${(overrides.model ?? 'q4').length}`.padEnd(64, 'a'), name: overrides.model ?? 'HuatuoGPT2-7B.Q4_K_M', promptFormat: 'huatuo-ii', quantization: 'Q4_K_M' },
    dataset: { file: '/data/cmedqa2', sha256: overrides.datasetSha256 ?? 'd'.repeat(64), format: 'cmedqa2', items: 12, limit: null },
    sampling: { temperature: 0.5, topP: 0.8, topK: 5, repeatPenalty: 1.1, maxTokens: 256 },
    seed: 1,
    threads: 1,
    engine: { kind: 'local', backend: 'cpu', nodeLlamaCpp: '3.0.0' },
  }
}

export interface RunItem {
  id: string
  question: string
  prediction: string
}

export async function writeRun(folder: string, header: EvaluationRunHeader, items: readonly RunItem[]): Promise<string> {
  await mkdir(folder, { recursive: true })
  await writeFile(join(folder, 'run.json'), `${JSON.stringify(header, null, 2)}\n`)
  const lines = items.map((item) => JSON.stringify({ ...item, reference: '参考答案', promptTokens: 10, generatedTokens: 20, seconds: 0.5 }))
  await writeFile(join(folder, 'predictions.jsonl'), `${lines.join('\n')}\n`)
  return folder
}

/** Twelve questions: run A answers "A-answer i", run B "B-answer i"; B also answers one A did not, and one with a different question. */
export function twoRuns(): { a: RunItem[]; b: RunItem[] } {
  const questions = Array.from({ length: 12 }, (_, i) => ({ id: `q${String(i + 1).padStart(2, '0')}`, question: `问题${i + 1}：头痛${i + 1}天怎么办？` }))
  const a = questions.slice(0, 11).map((q, i) => ({ ...q, prediction: `A-answer ${i + 1}` }))
  const b = questions.map((q, i) => ({ ...q, prediction: `B-answer ${i + 1}` }))
  // q03 was asked differently in B's dataset copy: not the same question, left out.
  const third = b[2] as RunItem
  b[2] = { ...third, question: `${third.question}（改）` }
  return { a, b }
}
