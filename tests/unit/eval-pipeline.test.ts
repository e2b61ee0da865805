import { mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DatasetFormat, EvaluationPrediction, EvaluationScores } from '../../electron/contract/evaluation.ts'
import { writeTestModel } from '../../electron/core/models/test-model.ts'
import { repoRoot, runHuatuo } from '../support/cli.ts'

// The three commands together, as hospital IT runs them: `huatuo eval run` with a generated model
// on every dataset format's fixture, then `eval score` and `eval report` on what it wrote. Random
// weights: the mechanics and the shapes, never the numbers' meaning.

let dir: string
let model: string
const fixture = (name: string) => join(repoRoot, 'tests/fixtures/eval', name)

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'huatuo-eval-pipeline-'))
  model = join(dir, 'ii.gguf')
  await writeTestModel({ out: model, size: 'tiny', name: 'HuatuoGPT2-7B', seed: 21 })
})
afterAll(() => rm(dir, { recursive: true, force: true }))

const formats: Array<[DatasetFormat, string, 'scored' | 'unscored' | 'exam']> = [
  ['cmedqa2', 'cmedqa2', 'scored'],
  ['webmedqa', 'webmedqa/medQA.test.txt', 'scored'],
  ['huatuo26m', 'huatuo26m-test.jsonl', 'scored'],
  ['kuake-qic', 'kuake-qic.json', 'unscored'],
  ['med-dialog', 'med-dialog.json', 'scored'],
  ['jsonl', 'generic.jsonl', 'scored'],
  ['exam', 'exam.jsonl', 'exam'],
]

describe('run, score and report on every dataset format', () => {
  it.each(formats)('%s', async (format, data, kind) => {
    const out = join(dir, format)
    const run = await runHuatuo(['eval', 'run', '--model', model, '--data', fixture(data), '--dataset-format', format, '--threads', '1', '--max-tokens', '4', '--limit', '2', '--out', out, '--json'])
    expect(run.status, run.stderr).toBe(0)
    const lines = (await readFile(join(out, 'predictions.jsonl'), 'utf8'))
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as EvaluationPrediction)
    expect(lines).toHaveLength(2)
    for (const line of lines) {
      expect(line.question.length).toBeGreaterThan(0)
      expect(line.generatedTokens).toBeLessThanOrEqual(4)
      if (kind === 'unscored') expect(line).not.toHaveProperty('reference')
      else expect(line.reference === undefined ? 0 : [line.reference].flat().join('').length).toBeGreaterThan(0)
      if (kind === 'exam') expect(Object.keys(line.options ?? {}).length).toBeGreaterThan(1)
    }

    const scored = await runHuatuo(['eval', 'score', '--predictions', join(out, 'predictions.jsonl'), '--json'])
    expect(scored.status, scored.stderr).toBe(0)
    const scores = JSON.parse(scored.stdout) as EvaluationScores
    expect(scores.count).toEqual(kind === 'unscored' ? { scored: 0, unscored: 2 } : { scored: 2, unscored: 0 })
    for (const key of ['bleu1', 'bleu4', 'sentenceBleu4', 'gleu', 'rouge1', 'rouge2', 'rougeL', 'distinct1', 'distinct2'] as const) {
      expect(Number.isFinite(scores[key])).toBe(true)
    }
    if (kind === 'exam') expect(scores.exam).toMatchObject({ total: 2 })

    const reported = await runHuatuo(['eval', 'report', '--predictions', join(out, 'predictions.jsonl'), '--out', join(out, 'report')])
    expect(reported.status, reported.stderr).toBe(0)
    const html = await readFile(join(out, 'report', 'report.html'), 'utf8')
    expect(html).toContain('ii.gguf')
    expect((await stat(join(out, 'report', 'report.json'))).size).toBeGreaterThan(100)
  }, 120_000)
})
