import type { DatasetFormat, EvaluationRunHeader, EvaluationScores } from '../../../contract/evaluation.ts'
import { escapeHtml } from '../../export/printable-html.ts'
import { cssString } from '../../export/print-stylesheet.ts'
import { clinicTime, gap } from '../../export/record-presentation.ts'
import type { EvaluationReport, PublishedComparison, ReportBlindReview, ReportItem } from './evaluation-report.ts'
import type { ReviewRate } from '../../../contract/evaluation-review.ts'
import { metricDefinitions, metricLimits, metricNames, type Bilingual } from './metric-wording.ts'
import { publishedMetricKeys, seedDatasetNames, type PublishedMetricKey } from './published-figures.ts'
import { groupedBarChart, lengthHistogram, type ChartGroup, type ChartSeries } from './report-charts.ts'
import { reportStylesheet } from './report-stylesheet.ts'

// The report as one static page a hospital committee reads on screen or on A4 paper: Chinese first,
// English beside it; nothing loads and nothing runs (the CSP forbids both), every text is escaped.

const contentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

/** A long text is shown clipped to this many characters, the whole of it one click away. */
const clipCharacters = 120

const datasetFormatNames: Record<DatasetFormat, Bilingual> = {
  cmedqa2: { 'zh-CN': 'cMedQA2', en: 'cMedQA2' },
  webmedqa: { 'zh-CN': 'WebMedQA', en: 'WebMedQA' },
  huatuo26m: { 'zh-CN': 'Huatuo-26M 测试集', en: 'Huatuo-26M test set' },
  'kuake-qic': { 'zh-CN': 'KUAKE-QIC（无参考答案）', en: 'KUAKE-QIC (no references)' },
  'med-dialog': { 'zh-CN': 'Med-dialog（医生总结为参考）', en: "Med-dialog (the doctor's summary as reference)" },
  jsonl: { 'zh-CN': '通用问答（JSON Lines）', en: 'Generic questions and answers (JSON Lines)' },
  exam: { 'zh-CN': '选择题考试', en: 'Multiple-choice exam' },
}

const e = escapeHtml

/** Chinese, then English in a smaller grey beside it (once, when the two are the same words). */
function both(zh: string, en: string): string {
  return zh === en ? e(zh) : `${e(zh)}<span class="en" lang="en">${e(en)}</span>`
}

/** Chinese paragraph with its English paragraph below. */
function paragraphs(text: Bilingual, className = ''): string {
  const attribute = className === '' ? '' : ` class="${className}"`
  return `<div${attribute}><p>${e(text['zh-CN'])}</p><p class="en" lang="en">${e(text.en)}</p></div>`
}

/** Two decimals for every metric, as the published table prints them; report.json keeps full precision. */
function score(value: number): string {
  return value.toFixed(2)
}

function fileName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path
}

function datasetTitle(report: EvaluationReport): Bilingual | null {
  return report.datasetFormat === null ? null : datasetFormatNames[report.datasetFormat]
}

// ——— the run's header ———

function hash(sha256: string): string {
  return `<span class="hash">SHA-256 <span class="mono">${e(sha256)}</span></span>`
}

function fact(zh: string, en: string, value: string): string {
  return `<tr><td class="label">${both(zh, en)}</td><td>${value}</td></tr>`
}

function runFacts(report: EvaluationReport): string {
  const file = report.predictionsFile
  const predictions = fact('预测文件', 'Predictions', `${e(file.name)}<br>${hash(file.sha256)}`)
  if (report.header.status !== 'read') {
    const why =
      report.header.status === 'absent'
        ? { 'zh-CN': '预测文件旁没有 run.json（运行信息），因此无法列出模型、数据集和采样设置，也不与已发表数字比较。', en: 'There is no run.json (the run header) beside the predictions, so the model, dataset and sampling cannot be listed, and there is no published comparison.' }
        : { 'zh-CN': `预测文件旁的 run.json 无法读取（${report.header.reason}），因此不列出运行信息，也不与已发表数字比较。`, en: `The run.json beside the predictions cannot be read (${report.header.reason}), so the run header is not shown and there is no published comparison.` }
    return `${paragraphs(why, 'notice warning')}<table class="facts"><tbody>${predictions}</tbody></table>`
  }
  const run: EvaluationRunHeader = report.header.run
  const { sampling, engine } = run
  const dataset = datasetFormatNames[run.dataset.format]
  const engineText =
    engine.kind === 'local'
      ? both(`本机推理（${engine.backend}，node-llama-cpp ${engine.nodeLlamaCpp}）`, `on this machine (${engine.backend}, node-llama-cpp ${engine.nodeLlamaCpp})`)
      : both(`医院推理服务器 ${engine.url} · ${engine.api} · 并发 ${engine.concurrency}`, `hospital inference server ${engine.url} · ${engine.api} · concurrency ${engine.concurrency}`)
  // A served model has no file here to hash: the server and the served model's name identify it.
  const modelText =
    run.model.file === null || run.model.sha256 === null
      ? `${e(run.model.name)}<br>${both('由医院推理服务器提供（无模型文件，故无文件哈希）', 'served by the hospital inference server (no model file, so no file hash)')}`
      : `${e(run.model.name)}<br>${e(fileName(run.model.file))}<br>${hash(run.model.sha256)}`
  const quantization =
    run.model.quantization !== null ? e(run.model.quantization) : engine.kind === 'remote' ? both('服务器未说明', 'not stated by the server') : both('未知', 'unknown')
  const limit = run.dataset.limit === null ? '' : `；${both(`限定前 ${run.dataset.limit} 题`, `limited to the first ${run.dataset.limit}`)}`
  return `<table class="facts"><tbody>
${fact('模型', 'Model', modelText)}
${fact('提示格式', 'Prompt format', e(run.model.promptFormat))}
${fact('量化', 'Quantization', quantization)}
${fact('数据集', 'Dataset', `${both(dataset['zh-CN'], dataset.en)}<br>${e(fileName(run.dataset.file))}<br>${hash(run.dataset.sha256)}`)}
${fact('题数', 'Items', `${both(`数据集共 ${run.dataset.items} 题`, `${run.dataset.items} in the dataset`)}${limit}`)}
${fact('采样', 'Sampling', `temperature ${sampling.temperature} · top-p ${sampling.topP} · top-k ${sampling.topK} · ${both('重复惩罚', 'repeat penalty')} ${sampling.repeatPenalty} · ${both('最多生成', 'at most')} ${sampling.maxTokens} tokens`)}
${fact('随机种子', 'Seed', `${run.seed}${both('（每题的种子由它和题目编号派生）', ' (each item seeded from it and its id)')}`)}
${engine.kind === 'local' ? `${fact('线程', 'Threads', String(run.threads))}\n` : ''}${fact('推理引擎', 'Engine', engineText)}
${fact('开始时间', 'Started', e(clinicTime(run.startedAt)))}
${fact('工作站版本', 'Workstation', e(run.workstationVersion))}
${predictions}
</tbody></table>`
}

// ——— the scores ———

const runSeries: ChartSeries = { label: '本次评测 / This run', className: 'run' }

function comparisonSeries(comparison: PublishedComparison): ChartSeries[] {
  return comparison.systems.map((system) => ({ label: `${system.name['zh-CN']} / ${system.name.en}`, className: system.key }))
}

function metricTable(scores: EvaluationScores, comparison: PublishedComparison | null): string {
  const systems = comparison?.systems ?? []
  const head = `<tr><th>${both('指标', 'Metric')}</th><th>${both('本次评测', 'This run')}</th>${systems.map((s) => `<th>${both(s.name['zh-CN'], s.name.en)}</th>`).join('')}</tr>`
  const rows = publishedMetricKeys.map((key) => {
    const published = systems.map((s) => `<td>${score(s.figures[key])}</td>`).join('')
    return `<tr${key === 'distinct1' ? ' class="group-start"' : ''}><td>${metricNames[key]}${key === 'rougeL' && comparison ? '<span class="en" lang="en">"ROUGE" there</span>' : ''}</td><td class="this-run">${score(scores[key])}</td>${published}</tr>`
  })
  const sentenceKeys = ['sentenceBleu1', 'sentenceBleu2', 'sentenceBleu3', 'sentenceBleu4'] as const
  const sentenceRows = sentenceKeys.map((key, index) => {
    const none = systems.map(() => '<td class="none">—</td>').join('')
    return `<tr${index === 0 ? ' class="group-start"' : ''}><td>${both(`句子级 BLEU-${index + 1}`, 'sentence')}</td><td class="this-run">${score(scores[key])}</td>${none}</tr>`
  })
  // The figures share the width equally, so no heading is squeezed onto three lines.
  const columns = `<colgroup><col style="width: 28%">${`<col style="width: ${(72 / (1 + systems.length)).toFixed(1)}%">`.repeat(1 + systems.length)}</colgroup>`
  return `<table class="metrics">${columns}<thead>${head}</thead><tbody>${[...rows, ...sentenceRows].join('\n')}</tbody></table>
<p class="figure-note">${both('BLEU、GLEU、ROUGE 为 ×100 的分数，Distinct 为 0 至 1 的比例；句子级 BLEU 不在已发表的表格中（以 — 表示）。', 'BLEU, GLEU and ROUGE are scores ×100; Distinct is a ratio from 0 to 1. Sentence BLEU is not in the published table (marked —).')}</p>${comparison ? sourceNote(comparison) : ''}`
}

function examTable(scores: EvaluationScores): string {
  const exam = scores.exam
  if (exam === undefined) return ''
  return `<h3>${both('考试正确率', 'Exam accuracy')}</h3><table class="metrics"><thead><tr><th>${both('正确率', 'Accuracy')}</th><th>${both('答对', 'Correct')}</th><th>${both('题数', 'Questions')}</th><th>${both('未找到答案字母（按错计）', 'No letter found (counted wrong)')}</th></tr></thead>
<tbody><tr><td class="this-run">${exam.accuracy.toFixed(2)}%</td><td>${exam.correct}</td><td>${exam.total}</td><td>${exam.noLetter}</td></tr></tbody></table>`
}

function sourceNote(comparison: PublishedComparison): string {
  return `<p class="figure-note source">${both(`已发表数字为 HuatuoGPT 与 T5 微调基线在 ${comparison.datasetName} 测试集上的结果。出处：`, `The published figures are HuatuoGPT's and the fine-tuned T5 baseline's on the ${comparison.datasetName} test set. Source: `)}${e(comparison.source.title)} — ${e(comparison.source.where)}.</p>`
}

function comparisonNote(report: EvaluationReport): string {
  const comparison = report.comparison
  if (comparison.dataset !== null) {
    const partial = report.partialDataset
    const partialNote =
      partial === null
        ? ''
        : paragraphs(
            {
              'zh-CN': `注意：本次只回答了数据集 ${partial.datasetItems} 题中的 ${partial.answered} 题，已发表数字基于完整测试集，两者只能粗略比较。`,
              en: `Note: this run answered ${partial.answered} of the dataset's ${partial.datasetItems} items; the published figures are for the full test set, so the two compare only roughly.`,
            },
            'notice',
          )
    return partialNote
  }
  const known = seedDatasets()
  const text: Bilingual =
    comparison.reason === 'dataset-format-unknown'
      ? { 'zh-CN': '不知道本次评测用的是哪个数据集（没有可用的 run.json），因此不与已发表数字比较。', en: 'Which dataset this run used is unknown (no usable run.json), so there is no comparison with published figures.' }
      : {
          'zh-CN': `本次评测的数据集（${datasetTitle(report)!['zh-CN']}）不在 HuatuoGPT 已发表的评测表中（该表只含 ${known}），因此没有可比较的已发表数字；下表只列本次结果。`,
          en: `This run's dataset (${datasetTitle(report)!.en}) is not in HuatuoGPT's published table (which covers ${known} only), so there are no published figures to compare with; the table shows this run alone.`,
        }
  return paragraphs(text, 'notice no-comparison')
}

function seedDatasets(): string {
  return Object.values(seedDatasetNames).join('、')
}

function examChart(scores: EvaluationScores): string {
  const accuracy = scores.exam?.accuracy ?? 0
  return groupedBarChart({ title: '考试正确率 / Exam accuracy', groups: [{ label: '正确率 %', values: [accuracy] }], series: [runSeries], max: 100, decimals: 2 })
}

function metricCharts(scores: EvaluationScores, comparison: PublishedComparison | null): string {
  const series = [runSeries, ...(comparison ? comparisonSeries(comparison) : [])]
  const group = (key: PublishedMetricKey): ChartGroup => ({ label: metricNames[key], values: [scores[key], ...(comparison?.systems.map((s) => s.figures[key]) ?? [])] })
  const hundredKeys = publishedMetricKeys.filter((key) => key !== 'distinct1' && key !== 'distinct2')
  const hundred = hundredKeys.map(group)
  const distinct = (['distinct1', 'distinct2'] as const).map(group)
  const maxOf = (groups: ChartGroup[]) => Math.max(0, ...groups.flatMap((g) => g.values.filter((v): v is number => v !== null)))
  const legend = `<div class="legend">${series.map((s) => `<span class="${s.className}">${e(s.label)}</span>`).join('')}</div>`
  // Each chart stays on one page with its heading (and the first with the legend).
  return `<div class="chart-block">${legend}
<h3>${both('BLEU、GLEU、ROUGE（×100）', 'BLEU, GLEU, ROUGE (×100)')}</h3>
${groupedBarChart({ title: 'BLEU, GLEU, ROUGE', groups: hundred, series, max: maxOf(hundred), decimals: 2 })}</div>
<div class="chart-block"><h3>${both('Distinct（0 至 1）', 'Distinct (0 to 1)')}</h3>
${groupedBarChart({ title: 'Distinct', groups: distinct, series, max: 1, decimals: 2 })}</div>
${scores.exam ? `<h3>${both('考试正确率（%）', 'Exam accuracy (%)')}</h3>${examChart(scores)}` : ''}`
}

function distinctTable(scores: EvaluationScores): string {
  return `<table class="metrics narrow"><thead><tr><th>${both('指标', 'Metric')}</th><th>${both('本次评测', 'This run')}</th></tr></thead><tbody>
<tr><td>Distinct-1</td><td class="this-run">${score(scores.distinct1)}</td></tr><tr><td>Distinct-2</td><td class="this-run">${score(scores.distinct2)}</td></tr></tbody></table>
<p class="figure-note">${both('Distinct 不需要参考答案，只反映回答用词是否重复（0 至 1，越接近 1 重复越少）。', 'Distinct needs no reference; it shows only how much the answers repeat themselves (0 to 1; nearer 1, less repetition).')}</p>`
}

function scoresSection(report: EvaluationReport): string {
  const scores = report.scores
  const comparison = report.comparison.dataset === null ? null : report.comparison
  const heading = `<h2>${both('自动指标', 'Automatic metrics')}</h2>`
  if (scores === null || scores.count.scored === 0) {
    const unscored = paragraphs(
      {
        'zh-CN': '本次评测的题目没有参考答案（如 KUAKE-QIC），回答已全部生成，但无法计算 BLEU、GLEU、ROUGE 等与参考答案比较的指标。下面只报告用词多样性、回答长度和速度，并列出前十条回答，供医生阅读判断。',
        en: 'The items of this run have no reference answers (as in KUAKE-QIC): every question was answered, but BLEU, GLEU, ROUGE and the other metrics that compare with a reference cannot be computed. Below are the answers\' variety, lengths and speed, and the first ten answers for doctors to read.',
      },
      'notice unscored',
    )
    const noComparison = report.comparison.dataset === null && report.comparison.reason === 'dataset-not-in-seed-table' ? comparisonNote(report) : ''
    return `${heading}${unscored}${noComparison}${scores === null ? '' : distinctTable(scores)}`
  }
  // A pure exam has no free text to compare: its one number is the accuracy.
  if (scores.exam !== undefined && scores.exam.total === scores.count.scored) {
    return `${heading}${comparisonNote(report)}${examTable(scores)}<h2>${both('正确率图', 'Accuracy, charted')}</h2>${examChart(scores)}`
  }
  return `${heading}
${comparisonNote(report)}
${metricTable(scores, comparison)}
${examTable(scores)}
<h2>${both('各项指标对比图', 'Each metric, charted')}</h2>
${metricCharts(scores, comparison)}`
}

// ——— lengths, speed and counts ———

function number(value: number, decimals = 0): string {
  return value.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals })
}

function duration(seconds: number): string {
  if (seconds < 60) return `${number(seconds, 1)} s`
  const h = Math.floor(seconds / 3600)
  const m = Math.floor((seconds % 3600) / 60)
  const s = Math.round(seconds % 60)
  return h > 0 ? `${h} h ${m} min` : `${m} min ${s} s`
}

function lengthAndSpeedSection(report: EvaluationReport): string {
  const t = report.throughput
  const lengths = report.answerLengths
  const counts = report.counts
  const speed = `<table class="facts"><tbody>
${fact('生成速度', 'Generation speed', t.tokensPerSecond === null ? '—' : `${number(t.tokensPerSecond, 1)} tokens/s`)}
${fact('每题用时', 'Seconds per item', t.secondsPerItem === null ? '—' : `${both(`平均 ${number(t.secondsPerItem.mean, 1)} s，中位数 ${number(t.secondsPerItem.median, 1)} s，最长 ${number(t.secondsPerItem.max, 1)} s`, `mean ${number(t.secondsPerItem.mean, 1)} s, median ${number(t.secondsPerItem.median, 1)} s, longest ${number(t.secondsPerItem.max, 1)} s`)}`)}
${fact('总用时', 'Total time', `${duration(t.totalSeconds)}${both('（各题作答时间之和）', " (the items' answering time added up)")}`)}
${fact('词元', 'Tokens', `${both(`提示 ${number(t.promptTokens)}，生成 ${number(t.generatedTokens)}`, `prompt ${number(t.promptTokens)}, generated ${number(t.generatedTokens)}`)}`)}
</tbody></table>`
  const countTable = `<table class="facts"><tbody>
${fact('已作答', 'Answered', String(counts.answered))}
${fact('已评分', 'Scored', `${counts.scored}${both('（有参考答案）', ' (with a reference)')}`)}
${fact('未评分', 'Unscored', `${counts.unscored}${both('（无参考答案）', ' (no reference)')}`)}
${fact('跳过的行', 'Lines skipped', `${counts.skippedLines.length}${both('（格式不正确）', ' (malformed)')}`)}
</tbody></table>`
  const skipped =
    counts.skippedLines.length === 0
      ? ''
      : `<div class="notice warning"><p>${both(`预测文件中有 ${counts.skippedLines.length} 行格式不正确，未计入：`, `${counts.skippedLines.length} malformed ${counts.skippedLines.length === 1 ? 'line was' : 'lines were'} left out of the predictions:`)}</p><ul class="skipped">${counts.skippedLines
          .slice(0, 20)
          .map((line) => `<li>${both(`第 ${line.line} 行`, `line ${line.line}`)}：<span lang="en">${e(line.reason)}</span></li>`)
          .join('')}${counts.skippedLines.length > 20 ? `<li>${both(`另有 ${counts.skippedLines.length - 20} 行，见 report.json`, `${counts.skippedLines.length - 20} more in report.json`)}</li>` : ''}</ul></div>`
  const histogram =
    lengths === null
      ? ''
      : `<div class="chart-block"><h3>${both('回答长度分布', 'Answer lengths')}</h3>
<p class="figure-note">${both(`按字符计（Unicode 字符，含标点）：最短 ${lengths.min}，中位数 ${number(lengths.median)}，平均 ${number(lengths.mean, 1)}，最长 ${lengths.max}${lengths.empty > 0 ? `；空回答 ${lengths.empty} 条` : ''}。`, `In characters (Unicode code points, marks included): shortest ${lengths.min}, median ${number(lengths.median)}, mean ${number(lengths.mean, 1)}, longest ${lengths.max}${lengths.empty > 0 ? `; ${lengths.empty} empty` : ''}.`)}</p>
${lengthHistogram({ title: '回答长度分布 / Answer lengths', bins: lengths.bins, xLabel: '回答字符数 / characters per answer', yLabel: '条数 / answers' })}</div>`
  return `<h2>${both('回答长度、速度与条数', 'Answer length, speed and counts')}</h2>
<h3>${both('条数', 'Counts')}</h3>${countTable}
<h3>${both('速度', 'Speed')}</h3>${speed}
${skipped}
${histogram}`
}

// ——— the items ———

function clipped(text: string, emptyLabel: Bilingual): string {
  if (text.trim() === '') return `<div class="text empty">${both(emptyLabel['zh-CN'], emptyLabel.en)}</div>`
  const characters = Array.from(text)
  if (characters.length <= clipCharacters) return `<div class="text">${e(text)}</div>`
  return `<div class="text">${e(characters.slice(0, clipCharacters - 10).join(''))}…</div><details><summary>${both(`展开全文（${characters.length} 字）`, `Full text (${characters.length} characters)`)}</summary><div class="text">${e(text)}</div></details>`
}

function itemQuestion(item: ReportItem): string {
  const options = item.options === undefined ? '' : `\n${Object.entries(item.options).map(([letter, text]) => `${letter}. ${text}`).join('\n')}`
  return `${item.question}${options}`
}

function itemArticle(item: ReportItem, rank: number, scored: boolean): string {
  const scores = item.examCorrect === false ? `${both('答错', 'wrong')} · ` : item.scores === null ? '' : `ROUGE-L ${item.scores.rougeL.toFixed(2)} · ${both('句子级', 'sentence')} BLEU-4 ${item.scores.sentenceBleu4.toFixed(2)}${gap}`
  const header = `<header><span class="rank">${both(`第 ${rank} 条`, `No. ${rank}`)}${gap}<span class="mono">${e(item.id)}</span></span><span class="scores">${scores}${both(`回答 ${item.predictionCharacters} 字`, `${item.predictionCharacters} chars`)}</span></header>`
  const question = `<div class="column"><span class="label">${both('问题', 'Question')}</span>${clipped(itemQuestion(item), { 'zh-CN': '（空）', en: '(empty)' })}</div>`
  const references = scored
    ? `<div class="column"><span class="label">${both(item.references.length > 1 ? `参考答案（${item.references.length} 条）` : '参考答案', item.references.length > 1 ? `References (${item.references.length})` : 'Reference')}</span>${item.references
        .map((reference) => `<div class="reference">${clipped(reference, { 'zh-CN': '（空）', en: '(empty)' })}</div>`)
        .join('')}</div>`
    : ''
  const thinking =
    item.thinking === undefined || item.thinking.trim() === ''
      ? ''
      : `<details><summary>${both('模型的思考过程（不计分）', "The model's thinking (not scored)")}</summary><div class="text">${e(item.thinking)}</div></details>`
  const prediction = `<div class="column"><span class="label">${both('模型回答', "Model's answer")}</span>${clipped(item.prediction, { 'zh-CN': '（空回答）', en: '(empty answer)' })}${thinking}</div>`
  return `<article class="item" data-id="${e(item.id)}">${header}<div class="side-by-side"${scored ? '' : ' style="grid-template-columns: 1fr 2fr"'}>${question}${references}${prediction}</div></article>`
}

const clippedNote = {
  'zh-CN': '长文本已截断，屏幕上可展开全文；全文也在 report.json 中。',
  en: 'Long texts are clipped; on screen each expands to the full text, which report.json also holds.',
}

function itemsSection(report: EvaluationReport): string {
  const { kind, list } = report.items
  if (list.length === 0) return ''
  const withReference = kind !== 'first-answers'
  const title =
    kind === 'lowest-scoring'
      ? both(`得分最低的 ${list.length} 条`, `The ${list.length} lowest-scoring items`)
      : kind === 'wrong-answers'
        ? both(`答错的题目（前 ${list.length} 题）`, `Wrong answers (the first ${list.length})`)
        : both(`前 ${list.length} 条回答`, `The first ${list.length} answers`)
  const note =
    kind === 'lowest-scoring'
      ? both(`按 ROUGE-L F 从低到高排列（相同时按句子级 BLEU-4）。得分低不一定答错：请对照参考答案阅读。${clippedNote['zh-CN']}`, `Ordered by ROUGE-L F, lowest first (then by sentence BLEU-4). A low score is not necessarily a wrong answer: read it against the reference. ${clippedNote.en}`)
      : kind === 'wrong-answers'
        ? both(`按文件顺序列出答错或未给出答案字母的题目。${clippedNote['zh-CN']}`, `Items answered wrongly or with no letter, in file order. ${clippedNote.en}`)
        : both(`这些题目没有参考答案，按文件顺序列出前 ${list.length} 条供医生阅读。${clippedNote['zh-CN']}`, `These items have no reference; the first ${list.length} in file order are listed for doctors to read. ${clippedNote.en}`)
  return `<h2>${title}</h2><p class="figure-note">${note}</p>${list.map((item, index) => itemArticle(item, index + 1, withReference)).join('\n')}`
}

// ——— the doctors' blind review ———

function percent(value: number | null): string {
  return value === null ? '—' : `${(value * 100).toFixed(1)}%`
}

/** One outcome's share as a bar with its Wilson 95 % interval as a whisker (0–100 %). */
function reviewBars(rows: Array<{ label: string; rate: ReviewRate; colour: string }>): string {
  const width = 680
  const left = 215
  const plot = width - left - 160
  const rowHeight = 30
  const height = rows.length * rowHeight + 24
  const x = (share: number) => left + share * plot
  const grid = [0, 0.25, 0.5, 0.75, 1]
    .map((share) => `<line class="grid" x1="${x(share)}" x2="${x(share)}" y1="4" y2="${height - 18}"/><text class="tick" x="${x(share)}" y="${height - 6}" text-anchor="middle">${share * 100}%</text>`)
    .join('')
  const bars = rows
    .map(({ label, rate, colour }, index) => {
      const y = 8 + index * rowHeight
      const share = rate.rate ?? 0
      const whisker =
        rate.low === null || rate.high === null
          ? ''
          : `<line class="axis" x1="${x(rate.low)}" x2="${x(rate.high)}" y1="${y + 9}" y2="${y + 9}"/><line class="axis" x1="${x(rate.low)}" x2="${x(rate.low)}" y1="${y + 4}" y2="${y + 14}"/><line class="axis" x1="${x(rate.high)}" x2="${x(rate.high)}" y1="${y + 4}" y2="${y + 14}"/>`
      return `<text class="group-label" x="${left - 6}" y="${y + 13}" text-anchor="end">${e(label)}</text><rect x="${left}" y="${y}" width="${Math.max(0, x(share) - left)}" height="18" fill="${colour}"/>${whisker}<text class="value" x="${x(1) + 6}" y="${y + 13}">${e(`${rate.count} · ${percent(rate.rate)} (${percent(rate.low)}–${percent(rate.high)})`)}</text>`
    })
    .join('')
  return `<svg class="chart" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img">${grid}<line class="axis" x1="${left}" x2="${left}" y1="4" y2="${height - 18}"/>${bars}</svg>`
}

function kappa(value: number | null): string {
  return value === null ? '—' : value.toFixed(3)
}

function blindReviewSection(review: ReportBlindReview | undefined): string {
  if (review === undefined) return ''
  const other = review.otherLabel
  const agreement = review.agreement
  const rows = [
    { label: '本模型更好 / this model better', rate: review.wins, colour: '#1f4e79' },
    { label: '相当 / tie', rate: review.ties, colour: '#c4c4c4' },
    { label: '对照模型更好 / other better', rate: review.losses, colour: '#b36b00' },
  ]
  const table = `<table class="metrics"><thead><tr><th>${both('评判', 'Judgement')}</th><th>${both('次数', 'Count')}</th><th>${both('比例', 'Share')}</th><th>${both('95% 区间', '95 % interval')}</th></tr></thead><tbody>${rows
    .map(({ label, rate }) => `<tr><td>${e(label)}</td><td>${rate.count}</td><td>${percent(rate.rate)}</td><td>${rate.low === null || rate.high === null ? '—' : `${percent(rate.low)} – ${percent(rate.high)}`}</td></tr>`)
    .join('')}</tbody></table>`
  const cohen = agreement.cohenKappa
  const facts = `<table class="facts"><tbody>
${fact('盲评', 'Review', `<span class="mono">${e(review.reviewId)}</span>${gap}·${gap}${e(clinicTime(review.createdAt))}`)}
${fact('对照模型', 'Compared with', `${e(other.model.name)}（${e(other.model.promptFormat)}）<br>${other.model.sha256 === null ? both('医院推理服务器上的模型（无文件哈希）', 'a model on the hospital inference server (no file hash)') : hash(other.model.sha256)}`)}
${fact('本次评测为', 'This run is', review.thisRun === 'a' ? '运行 A / run A' : '运行 B / run B')}
${fact('已评题目', 'Items judged', `${review.itemsJudged} / ${review.items}`)}
${fact('评判次数', 'Judgements', `${review.judgements}`)}
${fact('评审医生', 'Reviewers', `${review.reviewers}`)}
${fact('评审一致性', 'Agreement', agreement.itemsJudgedTwice === 0 ? both('没有题目被两位以上医生评判', 'no item was judged by two or more reviewers') : both(`${agreement.itemsJudgedTwice} 道题被两位以上医生评判：一致率 ${percent(agreement.percentAgreement)}，Fleiss κ = ${kappa(agreement.fleissKappa)}${cohen === null ? '' : `，Cohen κ = ${kappa(cohen.kappa)}（${cohen.reviewers.join('、')}，${cohen.items} 题）`}`, `${agreement.itemsJudgedTwice} items judged by two or more reviewers: agreement ${percent(agreement.percentAgreement)}, Fleiss' κ = ${kappa(agreement.fleissKappa)}${cohen === null ? '' : `, Cohen's κ = ${kappa(cohen.kappa)} (${cohen.reviewers.join(', ')}, ${cohen.items} items)`}`))}
</tbody></table>`
  const note = paragraphs({
    'zh-CN': '区间为 Wilson 95% 置信区间。医生看到同一问题的两个回答，不知道哪个来自哪个模型；每道题两个回答的先后由随机种子分配，两模型各在前一半。比例以全部评判为分母；同一道题由多位医生评判时这些评判并不独立，置信区间仅供参考。一致率为同一道题上评判相同的医生两两配对所占比例的平均；κ 扣除了偶然一致。',
    en: 'Intervals are Wilson 95 % score intervals. Doctors saw two answers to the same question without knowing which model wrote which; the order of the two was drawn per item from a random seed, each model first on half of the items. Shares are of all judgements; judgements of one item by several doctors are not independent, so the intervals are a guide. Agreement is the mean share of agreeing pairs of reviewers on an item; κ discounts agreement by chance.',
  }, 'figure-note')
  return `<h2>${both('医生盲评', "Doctors' blind review")}</h2>
${facts}
${reviewBars(rows)}
${table}
${note}`
}

// ——— definitions and limits ———

function definitionsSection(): string {
  return `<h2>${both('指标的确切定义', 'Exact metric definitions')}</h2>
<p class="figure-note">${both('与 HuatuoGPT / Huatuo-26M 作者的做法一致：BLEU 与 GLEU 与 NLTK 的计算相同，ROUGE 对样本取平均。', 'As the HuatuoGPT / Huatuo-26M authors compute them: BLEU and GLEU as NLTK does, ROUGE averaged over samples.')}</p>
<dl class="definitions">${metricDefinitions.map((definition) => `<dt>${e(definition.term)}</dt><dd>${paragraphs(definition.text)}</dd>`).join('')}</dl>
<h2>${both('这些数字能说明什么、不能说明什么', 'What these numbers can and cannot say')}</h2>
<ol class="limits">${metricLimits.map((limit) => `<li>${paragraphs(limit)}</li>`).join('')}</ol>`
}

// ——— the page ———

export function evaluationReportHtml(report: EvaluationReport): string {
  const run = report.header.status === 'read' ? report.header.run : null
  const dataset = datasetTitle(report)
  const subject = run === null ? e(report.predictionsFile.name) : `${e(run.model.name)}${gap}·${gap}${dataset ? both(dataset['zh-CN'], dataset.en) : ''}${gap}·${gap}${e(clinicTime(run.startedAt).slice(0, 10))}`
  const headline =
    report.scores === null || report.scores.count.scored === 0
      ? { figure: '—', label: both('无参考答案，未评分', 'no references, unscored') }
      : report.scores.exam
        ? { figure: `${report.scores.exam.accuracy.toFixed(1)}%`, label: both('考试正确率', 'exam accuracy') }
        : { figure: report.scores.rougeL.toFixed(2), label: e('ROUGE-L（×100）') }
  const summary = `<div class="summary">
<div><span class="figure">${report.counts.answered}</span><span class="label">${both('已作答', 'answered')}</span></div>
<div><span class="figure">${report.counts.scored}</span><span class="label">${both('已评分', 'scored')}</span></div>
<div><span class="figure">${headline.figure}</span><span class="label">${headline.label}</span></div>
<div><span class="figure">${report.throughput.tokensPerSecond === null ? '—' : number(report.throughput.tokensPerSecond, 1)}</span><span class="label">${both('词元/秒', 'tokens/s')}</span></div>
</div>`
  const running = cssString(`模型评测报告 Model evaluation report  ${run === null ? report.predictionsFile.name : `${run.model.name} · ${dataset?.en ?? ''}`}`)
  return `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(`模型评测报告 / Model evaluation report — ${run === null ? report.predictionsFile.name : run.model.name}`)}</title>
<style>${reportStylesheet(running)}</style>
</head>
<body>
<header class="report"><h1>模型评测报告</h1><div class="en-title" lang="en">Model evaluation report</div><div class="subject">${subject}</div></header>
${summary}
${paragraphs({ 'zh-CN': '阅读提示：自动指标只衡量模型回答与参考答案在字面上的重合，不衡量医学上是否正确、是否安全；请结合文末“这些数字能说明什么、不能说明什么”阅读，并以医生评审为准。', en: "Before reading: automatic metrics measure only how far the model's wording overlaps the reference answers, not whether an answer is medically right or safe. Read them with the closing section, What these numbers can and cannot say; doctors' review decides." }, 'notice reading')}
<h2>${both('评测概况', 'The run')}</h2>
${runFacts(report)}
${scoresSection(report)}
${lengthAndSpeedSection(report)}
${blindReviewSection(report.blindReview)}
${itemsSection(report)}
${definitionsSection()}
<footer class="report"><p>${both(`本报告由华佗工作站根据预测文件 ${report.predictionsFile.name} 生成于 ${clinicTime(report.generatedAt)}。`, `Generated by Huatuo Workstation from ${report.predictionsFile.name} on ${clinicTime(report.generatedAt)}.`)}</p>
<p>${both('自动指标不能代替医生的判断；模型用于临床前须经医生评审。', "Automatic metrics do not replace doctors' judgement; a model is reviewed by doctors before clinical use.")}</p></footer>
</body>
</html>
`
}
