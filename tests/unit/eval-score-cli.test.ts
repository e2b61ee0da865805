import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EvaluationPrediction } from '../../electron/contract/evaluation.ts'
import { answerLetter } from '../../electron/core/evaluation/metrics/exam.ts'
import { scorePredictions } from '../../electron/core/evaluation/metrics/score-predictions.ts'
import { parsePredictionLines } from '../../electron/core/evaluation/prediction-lines.ts'
import { runHuatuo } from '../support/cli.ts'

// `huatuo eval score` as IT runs it on a finished (or interrupted) run, and the exam scoring and the
// predictions reader beneath it.

const line = (fields: Partial<EvaluationPrediction> & Pick<EvaluationPrediction, 'id' | 'prediction'>): string =>
  JSON.stringify({ question: '问题', promptTokens: 10, generatedTokens: 20, seconds: 1.5, ...fields })

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'huatuo-eval-score-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('the predictions reader', () => {
  it('keeps good lines and names the others by line number; an unfinished last line is partial', () => {
    const text = [
      line({ id: '1', prediction: '多喝水', reference: '注意多喝水' }),
      '{"id": "2", "prediction": ',
      '',
      line({ id: '1', prediction: '重复' }),
      line({ id: '3', prediction: 5 as unknown as string }),
      `${line({ id: '4', prediction: '休息', reference: ['注意休息', '多休息'] })}\r`,
      '{"id": "5", "predic',
    ].join('\n')
    const { predictions, skipped } = parsePredictionLines(text)
    expect(predictions.map((p) => p.id)).toEqual(['1', '4'])
    expect(skipped.map(({ line, kind }) => [line, kind])).toEqual([
      [2, 'not-json'],
      [4, 'repeated-id'],
      [5, 'not-a-prediction'],
      [7, 'partial'],
    ])
    expect(skipped[2]?.reason).toContain('"prediction"')
    // With its newline the same last line was written whole and is malformed.
    expect(parsePredictionLines(`${text}\n`).skipped.at(-1)).toMatchObject({ line: 7, kind: 'not-json' })
  })
})

describe('exam answers', () => {
  it.each([
    ['答案是C。', 'C'],
    ['根据症状，答案：B', 'B'],
    ['答案为 D，因为……', 'D'],
    ['The answer is (e).', null],
    ['So the Answer is E.', 'E'],
    ['选A。B项错误', 'A'],
    ['DNA检测后考虑维生素B12缺乏，应选 C', 'C'],
    ['Ｂ．阿司匹林', 'B'],
    ['无法判断', null],
    ['答案是B，不是A', 'B'],
    ['A和答案是C', 'C'],
  ])('%s → %s', (prediction, letter) => {
    expect(answerLetter(prediction)).toBe(letter)
  })

  it('scores an exam by accuracy, counts answers without a letter, and leaves the text metrics at 0', () => {
    const options = { A: '甲', B: '乙', C: '丙', D: '丁', E: '戊' }
    const predictions = [
      { id: 'q1', prediction: '答案是C', reference: 'C' },
      { id: 'q2', prediction: '选B', reference: 'A' },
      { id: 'q3', prediction: '我不确定', reference: 'D' },
      { id: 'q4', prediction: 'the answer is A', reference: 'A' },
      { id: 'q5', prediction: '答案是A', reference: undefined },
    ].map((p) => ({ question: '题', options, promptTokens: 1, generatedTokens: 1, seconds: 1, ...p }))
    const { scores, items, examItems } = scorePredictions(predictions)
    expect(scores.exam).toEqual({ correct: 2, total: 4, noLetter: 1, accuracy: 50 })
    expect(scores.count).toEqual({ scored: 4, unscored: 1 })
    expect(scores.bleu4).toBe(0)
    expect(scores.distinct1).toBe(0)
    expect(items).toEqual([])
    expect(examItems).toEqual([
      { id: 'q1', correct: true },
      { id: 'q2', correct: false },
      { id: 'q3', correct: false },
      { id: 'q4', correct: true },
    ])
  })
})

describe('huatuo eval score', () => {
  it('prints one JSON object with exactly the issue’s keys, and names skipped lines on stderr', async () => {
    const file = join(dir, 'predictions.jsonl')
    await writeFile(
      file,
      [
        line({ id: 'a', prediction: '建议多喝水，注意休息', reference: '注意休息，多喝温水' }),
        line({ id: 'b', prediction: '头痛三天', reference: ['头痛两天', '头疼三天'] }),
        line({ id: 'c', prediction: '干桑葚可以泡水喝' }),
        'not json at all',
        '{"id": "d", "pre',
      ].join('\n'),
    )
    const result = await runHuatuo(['eval', 'score', '--predictions', file, '--json'])
    expect(result.status).toBe(0)
    const lines = result.stdout.trimEnd().split('\n')
    expect(lines).toHaveLength(1)
    const scores = JSON.parse(lines[0] ?? '') as Record<string, unknown>
    expect(Object.keys(scores)).toEqual(['count', 'bleu1', 'bleu2', 'bleu3', 'bleu4', 'sentenceBleu1', 'sentenceBleu2', 'sentenceBleu3', 'sentenceBleu4', 'gleu', 'rouge1', 'rouge2', 'rougeL', 'distinct1', 'distinct2'])
    expect(scores['count']).toEqual({ scored: 2, unscored: 1 })
    expect(scores['bleu1']).toBeGreaterThan(0)
    expect(result.stderr).toBe('line 4 skipped: not a JSON object\nline 5 skipped: an unfinished last line (an interrupted run), dropped\n')
    expect(result.stderr).not.toContain('桑葚')
  })

  it('prints a readable table in English and in Chinese', async () => {
    const file = join(dir, 'table.jsonl')
    await writeFile(file, `${line({ id: 'a', prediction: '建议多喝水，注意休息', reference: '注意休息，多喝温水' })}\n`)
    const english = await runHuatuo(['eval', 'score', '--predictions', file])
    expect(english.status).toBe(0)
    expect(english.stdout).toMatch(/^table\.jsonl: 1 scored, 0 unscored \(no reference\)\n {2}metric +corpus +item mean\n {2}BLEU-1 +\d+\.\d\d +\d+\.\d\d\n/)
    expect(english.stdout).toMatch(/\n {2}ROUGE-L +\d+\.\d\d\n/)
    expect(english.stdout).toMatch(/\n {2}Distinct-2 +1\.00\n/)
    const chinese = await runHuatuo(['eval', 'score', '--predictions', file], { env: { LANG: 'zh_CN.UTF-8' } })
    expect(chinese.stdout).toMatch(/^table\.jsonl：已评分 1 条，未评分 0 条（无参考答案）\n {2}指标 +语料级 +逐条平均\n/)
  })

  it('prints the exam accuracy for an exam run', async () => {
    const file = join(dir, 'exam.jsonl')
    const options = { A: '甲', B: '乙' }
    await writeFile(file, `${line({ id: '1', prediction: '答案是A', reference: 'A', options })}\n${line({ id: '2', prediction: '不知道', reference: 'B', options })}\n`)
    const result = await runHuatuo(['eval', 'score', '--predictions', file])
    expect(result.stdout).toBe('exam.jsonl: 2 scored, 0 unscored (no reference)\nExam accuracy 50.00% (1 of 2 correct; 1 answer named no option letter, counted wrong)\n')
    const json = JSON.parse((await runHuatuo(['eval', 'score', '--predictions', file, '--json'])).stdout) as { exam: unknown }
    expect(json.exam).toEqual({ correct: 1, total: 2, noLetter: 1, accuracy: 50 })
  })

  it('fails with a stable code on a missing file, a file without predictions, or no --predictions', async () => {
    const missing = await runHuatuo(['eval', 'score', '--predictions', join(dir, 'none.jsonl'), '--json'])
    expect(missing.status).toBe(1)
    expect(JSON.parse(missing.stdout)).toMatchObject({ error: { code: 'INPUT_UNREADABLE' } })
    const empty = join(dir, 'empty.jsonl')
    await writeFile(empty, 'garbage\n')
    const nothing = await runHuatuo(['eval', 'score', '--predictions', empty])
    expect(nothing.status).toBe(1)
    expect(nothing.stderr).toContain('PREDICTIONS_EMPTY: ')
    expect(nothing.stderr).toContain('empty.jsonl: line 1')
    const usage = await runHuatuo(['eval', 'score'])
    expect(usage.status).toBe(2)
    expect(usage.stderr).toContain('usage: huatuo eval score --predictions FILE')
  })
})
