// npm run bench:eval [-- --json] [-- --pairs N] [-- --runs N]
//
// The exact scorer at a dataset's scale: 10,000 prediction/reference pairs of about 300 characters,
// built deterministically from the HuatuoGPT evaluation texts bundled with the workstation (half
// reworded references, as a model paraphrases; half unrelated answers), scored in one run by:
//   - the workstation's scorer (electron/core/evaluation/metrics): code points in integer arrays,
//     n-grams as dense integer ids, ROUGE-L's LCS bit-parallel in linear space;
//   - the straightforward implementation (tests/bench/naive-scorer.ts): strings, n-grams as joined
//     string keys in Maps, the LCS with its full quadratic table.
// Both compute every metric (BLEU-1..4 corpus and sentence, GLEU, ROUGE-1/2/L, Distinct-1/2) and must
// agree to 1e-9; each side runs `runs` times, interleaved, and its median counts. Target: the scorer
// in 3 s on one core. With --json the last line is one JSON object:
//   {"pairs", "characters", "scorerSeconds", "naiveSeconds", "speedup", "charactersPerSecond"}
import { parseArgs } from 'node:util'
import type { EvaluationScores } from '../../electron/contract/evaluation.ts'
import { scoreTexts, type TextItem } from '../../electron/core/evaluation/metrics/score-predictions.ts'
import { bundledDemoSources } from '../../electron/core/records/demo-corpus.ts'
import { formatRatio, interleaved, median, ratio, roundForJson } from './bench-stats.ts'
import { naiveScores } from './naive-scorer.ts'

const { values: cli } = parseArgs({ options: { json: { type: 'boolean' }, pairs: { type: 'string' }, runs: { type: 'string' } }, strict: true })
const pairCount = Number(cli.pairs ?? 10_000)
const runs = Number(cli.runs ?? 3)
if (!Number.isInteger(pairCount) || pairCount < 1 || !Number.isInteger(runs) || runs < 1) {
  process.stderr.write('usage: node tests/bench/eval.bench.ts [--json] [--pairs N (≥ 1)] [--runs N (≥ 1)]\n')
  process.exit(2)
}

const TARGET_SECONDS = 3
const LENGTH = 300
const out = (line: string) => process.stdout.write(`${line}\n`)
const progress = (line: string) => process.stderr.write(`${line}\n`)

/** mulberry32: the same pairs on every machine. */
function random(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const sources = await bundledDemoSources()
const texts = [...sources.cases.flatMap((c) => [c.medical_case, c.doctor_diagnosis]), ...sources.questions.map((q) => q.query)].map((text) => [...text])
const alphabet = [...new Set(texts.flat())]
const next = random(300)

/** About 300 characters of real clinical wording: whole texts joined from a random one, then cut. */
function passage(): string[] {
  const length = LENGTH - 20 + Math.floor(next() * 41)
  const points: string[] = []
  while (points.length < length) points.push(...(texts[Math.floor(next() * texts.length)] as string[]))
  const start = Math.floor(next() * (points.length - length + 1))
  return points.slice(start, start + length)
}

/** A model-like rewording: characters dropped, changed, doubled, a clause moved. */
function reword(points: readonly string[]): string {
  const kept: string[] = []
  for (const point of points) {
    const roll = next()
    if (roll < 0.1) continue
    if (roll < 0.2) kept.push(alphabet[Math.floor(next() * alphabet.length)] as string)
    else if (roll < 0.23) kept.push(point, point)
    else kept.push(point)
  }
  const cut = Math.floor(next() * kept.length)
  return [...kept.slice(cut), ...kept.slice(0, cut)].join('')
}

const items: TextItem[] = Array.from({ length: pairCount }, (_, index) => {
  const reference = passage()
  return { id: String(index + 1), prediction: index % 2 === 0 ? reword(reference) : passage().join(''), references: [reference.join('')] }
})
const characters = items.reduce((sum, item) => sum + [...item.prediction].length + [...(item.references[0] as string)].length, 0)
progress(`${pairCount.toLocaleString('en')} pairs, ${characters.toLocaleString('en')} characters; scoring ${runs}× each side, interleaved`)

const timed = (score: () => EvaluationScores) => async (): Promise<{ seconds: number; scores: EvaluationScores }> => {
  const started = performance.now()
  const scores = score()
  return { seconds: (performance.now() - started) / 1000, scores }
}
const [ours = [], naive = []] = await interleaved(runs, [timed(() => scoreTexts(items).scores), timed(() => naiveScores(items))])

const oursScores = ours[0]?.scores as EvaluationScores
const naiveScoresResult = naive[0]?.scores as EvaluationScores
const keys = ['bleu1', 'bleu2', 'bleu3', 'bleu4', 'sentenceBleu1', 'sentenceBleu2', 'sentenceBleu3', 'sentenceBleu4', 'gleu', 'rouge1', 'rouge2', 'rougeL', 'distinct1', 'distinct2'] as const
const disagreements = keys.filter((key) => Math.abs(oursScores[key] - naiveScoresResult[key]) > 1e-9 * Math.max(1, Math.abs(naiveScoresResult[key])))
if (disagreements.length > 0) throw new Error(`the two implementations disagree on ${disagreements.join(', ')}`)

const scorerSeconds = median(ours.map((run) => run.seconds))
const naiveSeconds = median(naive.map((run) => run.seconds))
const speedup = ratio(naiveSeconds, scorerSeconds)
const charactersPerSecond = characters / scorerSeconds
out(`eval benchmark: ${pairCount.toLocaleString('en')} pairs of about ${LENGTH} characters (${characters.toLocaleString('en')} characters), every metric, median of ${runs} run${runs === 1 ? "" : "s"}`)
out(`scores: BLEU-1..4 ${[1, 2, 3, 4].map((n) => oursScores[`bleu${n as 1 | 2 | 3 | 4}`].toFixed(2)).join('/')}, GLEU ${oursScores.gleu.toFixed(2)}, ROUGE-1/2/L ${oursScores.rouge1.toFixed(2)}/${oursScores.rouge2.toFixed(2)}/${oursScores.rougeL.toFixed(2)}, Distinct-1/2 ${oursScores.distinct1.toFixed(2)}/${oursScores.distinct2.toFixed(2)} — both implementations agree to 1e-9`)
out(`scorer: ${scorerSeconds.toFixed(2)} s (${Math.round(charactersPerSecond).toLocaleString('en')} characters/s) — ${formatRatio(scorerSeconds / TARGET_SECONDS)} of the ${TARGET_SECONDS} s target (target ≤ 1.00)`)
out(`straightforward implementation (string n-gram keys, quadratic LCS table): ${naiveSeconds.toFixed(2)} s`)
out(`speed-up over the straightforward implementation: ${formatRatio(speedup)}×`)
if (cli.json) {
  out(
    JSON.stringify({
      pairs: pairCount,
      characters,
      scorerSeconds: roundForJson(scorerSeconds),
      naiveSeconds: roundForJson(naiveSeconds),
      speedup: roundForJson(speedup),
      charactersPerSecond: Math.round(charactersPerSecond),
    }),
  )
}
