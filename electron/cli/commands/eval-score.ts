import { basename } from 'node:path'
import type { EvaluationScores } from '../../contract/evaluation.ts'
import type { UiLocale } from '../../contract/errors.ts'
import { WorkstationError } from '../../core/errors.ts'
import { scorePredictions } from '../../core/evaluation/metrics/score-predictions.ts'
import { readPredictionsFile, type SkippedLine } from '../../core/evaluation/prediction-lines.ts'
import { parseCommandArgs } from '../args.ts'
import { reportFailure, type CliIO } from '../output.ts'

const usage = `usage: huatuo eval score --predictions FILE [--json]

Scores a run's predictions.jsonl as the HuatuoGPT and Huatuo-26M papers do (REFERENCE.md §3):
BLEU-1..4 over the corpus and averaged per item (NLTK's smoothing method1), GLEU, ROUGE-1/2/L
(mean over items, best reference), Distinct-1/2; every character is one token, whitespace removed.
Scores are ×100 except Distinct (0–1). Items without a reference are counted as unscored. A
multiple-choice exam is scored by accuracy. Lines that are not predictions are skipped and named.
  --predictions FILE   the predictions.jsonl that huatuo eval run wrote
  --json               one JSON object: {"count": {"scored", "unscored"}, "bleu1"…"bleu4",
                       "sentenceBleu1"…"sentenceBleu4", "gleu", "rouge1", "rouge2", "rougeL",
                       "distinct1", "distinct2"} (and "exam": {"correct", "total", "noLetter",
                       "accuracy"} for an exam)
`

/** Skipped lines are named one by one up to this many; the rest are counted. */
const NAMED_SKIPS = 20

const text = {
  'zh-CN': {
    title: (file: string, scored: number, unscored: number) => `${file}：已评分 ${scored} 条，未评分 ${unscored} 条（无参考答案）`,
    header: ['指标', '语料级', '逐条平均'],
    note: 'BLEU、GLEU、ROUGE 为 ×100 的分数，Distinct 为 0–1；每个字符为一个词元（去除空白），定义同 NLTK 3.8。',
    exam: (accuracy: string, correct: number, total: number, noLetter: number) =>
      `选择题准确率 ${accuracy}%（${total} 题中答对 ${correct} 题；${noLetter} 条回答中找不到选项字母，按答错计）`,
    skipped: (line: SkippedLine) => `第 ${line.line} 行已跳过：${skipReason[line.kind]}${line.kind === 'not-a-prediction' ? `（${line.reason.replace(/^not a prediction: /, '')}）` : ''}`,
    more: (n: number) => `另有 ${n} 行已跳过`,
  },
  en: {
    title: (file: string, scored: number, unscored: number) => `${file}: ${scored} scored, ${unscored} unscored (no reference)`,
    header: ['metric', 'corpus', 'item mean'],
    note: 'BLEU, GLEU and ROUGE ×100, Distinct 0–1; every character one token (whitespace removed), as NLTK 3.8 computes them.',
    exam: (accuracy: string, correct: number, total: number, noLetter: number) =>
      `Exam accuracy ${accuracy}% (${correct} of ${total} correct; ${noLetter} answer${noLetter === 1 ? '' : 's'} named no option letter, counted wrong)`,
    skipped: (line: SkippedLine) => `line ${line.line} skipped: ${line.reason}`,
    more: (n: number) => `${n} more line${n === 1 ? '' : 's'} skipped`,
  },
} satisfies Record<UiLocale, unknown>

const skipReason: Record<SkippedLine['kind'], string> = {
  partial: '最后一行不完整（运行被中断），已丢弃',
  'not-json': '不是 JSON 对象',
  'not-a-prediction': '不是预测记录',
  'repeated-id': '编号重复，保留第一条',
}

/** The readable table: corpus BLEU beside its item mean, then the single figures. */
export function formatScores(scores: EvaluationScores, textItems: number, file: string, locale: UiLocale): string {
  const t = text[locale]
  const lines = [t.title(file, scores.count.scored, scores.count.unscored)]
  const rows: string[][] = []
  if (textItems > 0) {
    for (const n of [1, 2, 3, 4] as const) rows.push([`BLEU-${n}`, fixed(scores[`bleu${n}`]), fixed(scores[`sentenceBleu${n}`])])
    rows.push(['GLEU', fixed(scores.gleu)], ['ROUGE-1', fixed(scores.rouge1)], ['ROUGE-2', fixed(scores.rouge2)], ['ROUGE-L', fixed(scores.rougeL)])
  }
  if (scores.distinct1 > 0 || textItems > 0) rows.push(['Distinct-1', fixed(scores.distinct1)], ['Distinct-2', fixed(scores.distinct2)])
  if (rows.length > 0) {
    const all = [t.header, ...rows]
    const widths = [0, 1, 2].map((column) => Math.max(...all.map((row) => width(row[column] ?? ''))))
    for (const row of all) {
      const [name = '', corpus = '', mean = ''] = row
      lines.push(`  ${pad(name, widths[0] ?? 0)}  ${' '.repeat((widths[1] ?? 0) - width(corpus))}${corpus}  ${' '.repeat(mean === '' ? 0 : (widths[2] ?? 0) - width(mean))}${mean}`.trimEnd())
    }
    lines.push(t.note)
  }
  if (scores.exam) lines.push(t.exam(fixed(scores.exam.accuracy), scores.exam.correct, scores.exam.total, scores.exam.noLetter))
  return `${lines.join('\n')}\n`
}

function fixed(value: number): string {
  return value.toFixed(2)
}

/** Terminal columns: CJK characters take two. */
function width(value: string): number {
  let columns = 0
  for (const character of value) columns += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(character) ? 2 : 1
  return columns
}

function pad(value: string, columns: number): string {
  return value + ' '.repeat(Math.max(0, columns - width(value)))
}

export async function run(args: string[], io: CliIO): Promise<number> {
  let json = args.includes('--json')
  try {
    let values
    try {
      values = parseCommandArgs(args, { predictions: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }).values
    } catch (error) {
      io.err(usage)
      throw error
    }
    json = values.json === true
    if (values.help) {
      io.out(usage)
      return 0
    }
    if (values.predictions === undefined || values.predictions === '') {
      io.err(usage)
      throw new WorkstationError('USAGE', '--predictions is required')
    }
    const { predictions, skipped } = await readPredictionsFile(values.predictions)
    const t = text[io.locale]
    for (const line of skipped.slice(0, NAMED_SKIPS)) io.err(`${t.skipped(line)}\n`)
    if (skipped.length > NAMED_SKIPS) io.err(`${t.more(skipped.length - NAMED_SKIPS)}\n`)
    if (predictions.length === 0) {
      const lines = skipped.slice(0, 3).map((line) => `line ${line.line}`)
      throw new WorkstationError('PREDICTIONS_EMPTY', `${basename(values.predictions)}${lines.length > 0 ? `: ${lines.join(', ')}` : ': no lines'}`)
    }
    const { scores, items } = scorePredictions(predictions)
    io.out(json ? `${JSON.stringify(scores)}\n` : formatScores(scores, items.length, basename(values.predictions), io.locale))
    return 0
  } catch (error) {
    return reportFailure(io, error, json)
  }
}
