import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EvaluationPrediction, EvaluationRunHeader, EvaluationScores } from '../../electron/contract/evaluation.ts'
import { buildEvaluationReport } from '../../electron/core/evaluation/report/build-report.ts'
import type { EvaluationReport } from '../../electron/core/evaluation/report/evaluation-report.ts'
import { metricsScorer } from '../../electron/core/evaluation/report/metrics-scorer.ts'
import { parsePredictionLines } from '../../electron/core/evaluation/prediction-lines.ts'
import { evaluationReportHtml } from '../../electron/core/evaluation/report/report-html.ts'
import type { RunScorer } from '../../electron/core/evaluation/report/run-scorer.ts'
import { repoRoot, runHuatuo } from '../support/cli.ts'

// `huatuo eval report` on hand-made run folders: what report.json says about a cMedQA2 run (malformed
// lines skipped and named, the scorer's numbers, the published figures, throughput, lengths, the
// lowest items) and an unscored KUAKE-QIC run; and that no text from a run reaches the page as markup.

const fixtures = join(repoRoot, 'tests/fixtures/eval/report-run')
let folder: string

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'huatuo-eval-report-unit-'))
  await cp(fixtures, folder, { recursive: true })
})
afterAll(() => rm(folder, { recursive: true, force: true }))

async function report(run: string, out?: string): Promise<EvaluationReport> {
  const result = await runHuatuo(['eval', 'report', '--predictions', join(folder, run, 'predictions.jsonl'), ...(out ? ['--out', out] : [])])
  expect(result.stderr).toBe('')
  expect(result.status).toBe(0)
  return JSON.parse(await readFile(join(out ?? join(folder, run), 'report.json'), 'utf8')) as EvaluationReport
}

async function predictionsOf(run: string): Promise<EvaluationPrediction[]> {
  return parsePredictionLines(await readFile(join(fixtures, run, 'predictions.jsonl'), 'utf8')).predictions
}

describe('report.json', () => {
  it('a cMedQA2 run: the run header, the scorer’s numbers beside the published figures, counts, speed, lengths, the lowest items', async () => {
    const json = await report('cmedqa2')
    expect(json.header).toMatchObject({ status: 'read', run: { model: { name: 'HuatuoGPT2-7B', quantization: 'Q4_K_M' }, dataset: { format: 'cmedqa2' } } })
    expect(json.counts).toEqual({
      answered: 12,
      scored: 12,
      unscored: 0,
      skippedLines: [
        { line: 12, kind: 'not-a-prediction', reason: expect.stringContaining('prediction') },
        // What a killed run leaves: read the same way as `huatuo eval score` reads it.
        { line: 14, kind: 'partial', reason: expect.stringContaining('unfinished last line') },
      ],
    })
    // The same numbers as `huatuo eval score`: the report asks the scorer, it does not score.
    expect(json.scores).toEqual(metricsScorer.score(await predictionsOf('cmedqa2')).scores)
    expect(json.comparison).toMatchObject({
      dataset: 'cmedqa2',
      datasetName: 'cMedQA2',
      systems: [
        { key: 'huatuogpt', figures: { bleu1: 27.39, bleu4: 4.55, gleu: 8.52, rouge1: 29.26, rougeL: 15.46, distinct2: 0.93 } },
        { key: 't5', figures: { bleu1: 20.88, bleu4: 5.09, gleu: 7.62, rouge1: 27.16, rougeL: 20.11, distinct2: 0.52 } },
      ],
    })
    expect(json.partialDataset).toEqual({ answered: 12, datasetItems: 4000 })
    expect(json.throughput.generatedTokens).toBe(650)
    expect(json.throughput.totalSeconds).toBeCloseTo(36.1, 9)
    expect(json.throughput.tokensPerSecond).toBeCloseTo(650 / 36.1, 9)
    expect(json.throughput.secondsPerItem).toMatchObject({ max: 11.8 })
    expect(json.answerLengths).toMatchObject({ unit: 'characters', min: 0, max: 225, empty: 1 })
    expect(json.answerLengths!.bins.reduce((sum, bin) => sum + bin.count, 0)).toBe(12)

    expect(json.items.kind).toBe('lowest-scoring')
    expect(json.items.list).toHaveLength(10)
    const rougeL = json.items.list.map((item) => item.scores!.rougeL)
    expect(rougeL).toEqual([...rougeL].sort((a, b) => a - b))
    // The empty answer first; a question with two references keeps both.
    expect(json.items.list[0]).toMatchObject({ id: '45326', prediction: '', predictionCharacters: 0 })
    const twoReferences = json.items.list.find((item) => item.id === '45218')
    expect(twoReferences?.references).toHaveLength(2)
  })

  it('an unscored KUAKE-QIC run: no reference metrics, no published comparison, the first ten answers', async () => {
    // --out: a folder that does not exist yet is made.
    const json = await report('kuake-qic', join(folder, 'kuake-report'))
    expect(await readFile(join(folder, 'kuake-report', 'report.html'), 'utf8')).toContain('KUAKE-QIC')
    expect(json.counts).toEqual({ answered: 11, scored: 0, unscored: 11, skippedLines: [] })
    expect(json.scores?.count).toEqual({ scored: 0, unscored: 11 })
    expect(json.comparison).toEqual({ dataset: null, reason: 'dataset-not-in-seed-table' })
    expect(json.partialDataset).toEqual({ answered: 11, datasetItems: 1955 })
    expect(json.items.kind).toBe('first-answers')
    expect(json.items.list.map((item) => item.id)).toEqual(Array.from({ length: 10 }, (_, i) => `kq-${String(i + 1).padStart(4, '0')}`))
    expect(json.items.list[0]).toMatchObject({ references: [], scores: null })
  })

  it('predictions without their run.json: the header is absent, and so is any comparison', async () => {
    const alone = join(folder, 'alone.jsonl')
    await writeFile(alone, await readFile(join(fixtures, 'cmedqa2', 'predictions.jsonl')))
    const result = await runHuatuo(['eval', 'report', '--predictions', alone, '--json'])
    expect(result.status).toBe(0)
    expect(JSON.parse(result.stdout)).toMatchObject({ answered: 12, scored: 12, skippedLines: 2 })
    const json = JSON.parse(await readFile(join(folder, 'report.json'), 'utf8')) as EvaluationReport
    expect(json.header).toEqual({ status: 'absent' })
    expect(json.comparison).toEqual({ dataset: null, reason: 'dataset-format-unknown' })
    expect(await readFile(join(folder, 'report.html'), 'utf8')).toContain('没有 run.json')
  })

  it('a missing predictions file is INPUT_UNREADABLE; no --predictions is a usage error', async () => {
    const missing = await runHuatuo(['eval', 'report', '--predictions', join(folder, 'nope.jsonl'), '--json'])
    expect(missing.status).toBe(1)
    expect(JSON.parse(missing.stdout)).toMatchObject({ error: { code: 'INPUT_UNREADABLE' } })
    const usage = await runHuatuo(['eval', 'report'])
    expect(usage.status).toBe(2)
    expect(usage.stderr).toContain('usage: huatuo eval report')
  })
})

// ——— the page, built in memory with hand-made numbers (the scorer is tested on its own) ———

const hostile = `<script>alert("x")</script> & "quoted" 'single' </div><img src=x onerror=alert(1)>`

function header(overrides: Partial<EvaluationRunHeader> = {}): EvaluationRunHeader {
  return {
    startedAt: '2025-03-18T09:12:40+08:00',
    workstationVersion: '0.1.0',
    model: { file: '/m/x.gguf', sha256: 'a'.repeat(64), name: hostile, promptFormat: 'huatuogpt2', quantization: 'Q4_K_M' },
    dataset: { file: '/d/x', sha256: 'b'.repeat(64), format: 'cmedqa2', items: 2, limit: null },
    sampling: { temperature: 0.5, topP: 0.9, topK: 40, repeatPenalty: 1.1, maxTokens: 512 },
    seed: 1,
    threads: 4,
    engine: { kind: 'local', backend: 'cpu', nodeLlamaCpp: '3.21.1' },
    ...overrides,
  }
}

function scores(overrides: Partial<EvaluationScores> = {}): EvaluationScores {
  const value = { bleu1: 30, bleu2: 20, bleu3: 10, bleu4: 5, sentenceBleu1: 30, sentenceBleu2: 20, sentenceBleu3: 10, sentenceBleu4: 5, gleu: 9, rouge1: 31, rouge2: 9, rougeL: 16, distinct1: 0.7, distinct2: 0.9 }
  return { count: { scored: 2, unscored: 0 }, ...value, ...overrides }
}

const prediction = (id: string, text: string, extra: Partial<EvaluationPrediction> = {}): EvaluationPrediction => ({
  id,
  question: `问题 ${hostile}`,
  reference: `参考 ${hostile}`,
  prediction: text,
  promptTokens: 10,
  generatedTokens: 20,
  seconds: 1,
  ...extra,
})

function page(predictions: EvaluationPrediction[], scorer: RunScorer, run = header()): string {
  const text = predictions.map((p) => JSON.stringify(p)).join('\n')
  const built = buildEvaluationReport({
    predictionsFile: { name: `${hostile}.jsonl`, sha256: 'c'.repeat(64), bytes: text.length },
    lines: parsePredictionLines(text),
    header: { status: 'read', header: run },
    scorer,
    generatedAt: new Date('2025-03-18T10:00:00Z'),
  })
  return evaluationReportHtml(built)
}

describe('report.html', () => {
  it('escapes every text from the run: answers, questions, references, ids, the model name, the file name', () => {
    const html = page([prediction(`id-${hostile}`, `答 ${hostile}`, { thinking: hostile }), prediction('2', 'x'.repeat(400))], {
      score: (items) => ({ scores: scores(), items: items.map((p, i) => ({ id: p.id, sentenceBleu4: i, rougeL: i })), examItems: [] }),
    })
    expect(html).not.toMatch(/<script|<img|<\/div><img|onerror=alert\(1\)>/)
    expect(html).toContain('&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62; &#38; &#34;quoted&#34; &#39;single&#39;')
    expect(html).toContain(`data-id="id-&#60;script&#62;`)
    // A long answer is clipped, and the whole of it is behind <details>.
    expect(html).toContain(`${'x'.repeat(110)}…</div><details>`)
    expect(html).toContain(`<div class="text">${'x'.repeat(400)}</div></details>`)
  })

  it('a multiple-choice exam: its accuracy, and its wrong answers in place of the lowest scores', () => {
    const exam = { correct: 1, total: 2, noLetter: 1, accuracy: 50 }
    const html = page(
      [prediction('e1', '答案是B', { reference: 'B', options: { A: '甲', B: '乙' } }), prediction('e2', '不知道', { reference: 'A', options: { A: '甲', B: '乙' } })],
      { score: () => ({ scores: scores({ exam }), items: [], examItems: [{ id: 'e1', correct: true }, { id: 'e2', correct: false }] }) },
      header({ dataset: { file: '/d/exam.jsonl', sha256: 'b'.repeat(64), format: 'exam', items: 2, limit: null } }),
    )
    expect(html).toContain('50.00%')
    expect(html).toContain('答错的题目')
    expect(html).toContain('data-id="e2"')
    expect(html).not.toContain('data-id="e1"')
    expect(html).toContain('不在 HuatuoGPT 已发表的评测表中')
    expect(html).not.toContain('BLEU-1</td>')
  })
})
