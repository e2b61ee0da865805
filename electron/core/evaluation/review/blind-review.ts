import { randomBytes } from 'node:crypto'
import { appendFile, mkdir, readFile, rename, stat, truncate, writeFile } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { z } from 'zod'
import { reviewChoices, type ReviewChoice, type ReviewItemView, type ReviewProgress, type ReviewRunLabel } from '../../../contract/evaluation-review.ts'
import { WorkstationError } from '../../errors.ts'
import { sha256OfFile } from '../dataset-hash.ts'
import { readPredictionsFile } from '../prediction-lines.ts'
import { parseRunHeader } from '../report/run-header-reader.ts'
import { RUN_HEADER_FILE } from '../run-header.ts'
import { writeFailure } from '../write-failure.ts'
import { drawFirstSides, newReviewSeed, type FirstSide } from './review-sides.ts'
import { outcomeOf, tallyReview, type KeyedJudgement, type ReviewTally } from './review-statistics.ts'

// A blind review is a folder:
//   review.json       what reviewers read: the items (question, first answer, second answer) and the
//                     two runs' labels (administrators only ever see those)
//   key.json          the hidden key: the seed and, per item, which run is first. Never sent to a window.
//   judgements.jsonl  one line per judgement {itemId, reviewer, choice, reason?, at}, appended
//   skips.jsonl       one line per skip {itemId, reviewer, at}: a skipped item comes back last
// Files 0600, the folder 0700. A judgement names the reviewer's staff id; its reason stays here.

export const REVIEW_FILE = 'review.json'
export const REVIEW_KEY_FILE = 'key.json'
export const JUDGEMENTS_FILE = 'judgements.jsonl'
export const SKIPS_FILE = 'skips.jsonl'
export const PREDICTIONS_FILE = 'predictions.jsonl'

export interface ReviewItem {
  itemId: string
  question: string
  first: string
  second: string
}

export interface ReviewDocument {
  format: 'huatuo-blind-review/1'
  id: string
  createdAt: string
  createdBy: string
  runs: { a: ReviewRunLabel; b: ReviewRunLabel }
  items: ReviewItem[]
}

export interface ReviewKey {
  seed: string
  /** Per item id: which run's answer is `first`. */
  first: Record<string, FirstSide>
}

export interface Judgement {
  itemId: string
  reviewer: string
  choice: ReviewChoice
  reason?: string
  at: string
}

interface Skip {
  itemId: string
  reviewer: string
  at: string
}

const runLabel = z.object({
  run: z.string(),
  model: z.object({ name: z.string(), sha256: z.string().nullable(), promptFormat: z.string(), quantization: z.string().nullable() }),
  dataset: z.object({ file: z.string(), sha256: z.string(), format: z.string() }),
  startedAt: z.string(),
  predictionsSha256: z.string(),
})
const reviewDocument = z.object({
  format: z.literal('huatuo-blind-review/1'),
  id: z.string().min(1),
  createdAt: z.string(),
  createdBy: z.string(),
  runs: z.object({ a: runLabel, b: runLabel }),
  items: z.array(z.object({ itemId: z.string().min(1), question: z.string(), first: z.string(), second: z.string() })),
})
const reviewKey = z.object({ seed: z.string().min(1), first: z.record(z.string(), z.enum(['a', 'b'])) })
const judgementLine = z.object({ itemId: z.string().min(1), reviewer: z.string().min(1), choice: z.enum(reviewChoices), reason: z.string().optional(), at: z.string() })
const skipLine = z.object({ itemId: z.string().min(1), reviewer: z.string().min(1), at: z.string() })

/** A run folder as a review reads it: run.json and predictions.jsonl. */
async function readRun(folder: string, name: string) {
  let headerText: string
  try {
    headerText = await readFile(join(folder, RUN_HEADER_FILE), 'utf8')
  } catch {
    throw new WorkstationError('REVIEW_RUN_NOT_FOUND', `${name}: no ${RUN_HEADER_FILE}`, { data: { run: name } })
  }
  const reading = parseRunHeader(headerText)
  if (reading.status !== 'read') throw new WorkstationError('REVIEW_RUN_NOT_FOUND', `${name}: ${reading.status === 'unreadable' ? reading.reason : 'no header'}`, { data: { run: name } })
  const predictionsPath = join(folder, PREDICTIONS_FILE)
  let predictionsSha256: string
  try {
    predictionsSha256 = await sha256OfFile(predictionsPath)
  } catch {
    throw new WorkstationError('REVIEW_RUN_NOT_FOUND', `${name}: no ${PREDICTIONS_FILE}`, { data: { run: name } })
  }
  const { predictions } = await readPredictionsFile(predictionsPath)
  const { header } = reading
  const label: ReviewRunLabel = {
    run: name,
    model: { name: header.model.name, sha256: header.model.sha256, promptFormat: header.model.promptFormat, quantization: header.model.quantization },
    dataset: { file: basename(header.dataset.file), sha256: header.dataset.sha256, format: header.dataset.format },
    startedAt: header.startedAt,
    predictionsSha256,
  }
  return { label, predictions }
}

/** A new review id: the time and six random hex digits (the folder's name). */
export function newReviewId(now: Date): string {
  return `review-${now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${randomBytes(3).toString('hex')}`
}

async function writeWhole(path: string, value: unknown): Promise<void> {
  try {
    await writeFile(`${path}.tmp`, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600, flush: true })
    await rename(`${path}.tmp`, path)
  } catch (error) {
    throw writeFailure(path, error)
  }
}

export interface PrepareReviewOptions {
  runA: { folder: string; name: string }
  runB: { folder: string; name: string }
  /** The review's folder (created; it must not hold a review already). */
  outDir: string
  createdBy: string
  id?: string
  now?: Date
  /** For tests; a fresh random seed otherwise. */
  seed?: string
}

/**
 * Prepares a review of two runs over the same dataset: the items both answered with the same id and
 * the same question, in run A's order, each with its answers in the order the key draws.
 */
export async function prepareReview(options: PrepareReviewOptions): Promise<{ document: ReviewDocument; key: ReviewKey }> {
  const a = await readRun(options.runA.folder, options.runA.name)
  const b = await readRun(options.runB.folder, options.runB.name)
  if (a.label.dataset.sha256 !== b.label.dataset.sha256)
    throw new WorkstationError('REVIEW_DATASETS_DIFFER', `${a.label.dataset.sha256.slice(0, 12)} ≠ ${b.label.dataset.sha256.slice(0, 12)}`)
  if (a.label.predictionsSha256 === b.label.predictionsSha256) throw new WorkstationError('REVIEW_SAME_RUN', a.label.predictionsSha256.slice(0, 12))
  const answersB = new Map(b.predictions.map((prediction) => [prediction.id, prediction]))
  const common = a.predictions.flatMap((prediction) => {
    const other = answersB.get(prediction.id)
    return other !== undefined && other.question === prediction.question ? [{ id: prediction.id, question: prediction.question, a: prediction.prediction, b: other.prediction }] : []
  })
  if (common.length === 0) throw new WorkstationError('REVIEW_NO_COMMON_ITEMS', `${a.label.run} / ${b.label.run}`)

  const seed = options.seed ?? newReviewSeed()
  const sides = drawFirstSides(common.length, seed)
  const key: ReviewKey = { seed, first: {} }
  const items: ReviewItem[] = common.map((item, index) => {
    const first = sides[index] as FirstSide
    key.first[item.id] = first
    return { itemId: item.id, question: item.question, first: first === 'a' ? item.a : item.b, second: first === 'a' ? item.b : item.a }
  })
  const now = options.now ?? new Date()
  const document: ReviewDocument = {
    format: 'huatuo-blind-review/1',
    id: options.id ?? newReviewId(now),
    createdAt: now.toISOString(),
    createdBy: options.createdBy,
    runs: { a: a.label, b: b.label },
    items,
  }

  try {
    await mkdir(options.outDir, { recursive: true, mode: 0o700 })
  } catch (error) {
    throw writeFailure(options.outDir, error)
  }
  if (await exists(join(options.outDir, REVIEW_FILE))) throw new WorkstationError('OUTPUT_UNWRITABLE', `${options.outDir} already holds a review`)
  await writeWhole(join(options.outDir, REVIEW_KEY_FILE), key)
  await writeWhole(join(options.outDir, REVIEW_FILE), document)
  return { document, key }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path)
    return true
  } catch {
    return false
  }
}

/** Lines of an appended file; a last line without its newline that does not parse (a crash mid-write) is dropped. */
function parseLines<T>(text: string, schema: z.ZodType<T>, file: string): T[] {
  const lines = text.split('\n')
  const complete = lines.at(-1) === ''
  const values: T[] = []
  lines.forEach((line, index) => {
    if (line.trim() === '') return
    let parsed: z.ZodSafeParseResult<T>
    try {
      parsed = schema.safeParse(JSON.parse(line))
    } catch {
      if (!complete && index === lines.length - 1) return
      throw new WorkstationError('REVIEW_DAMAGED', `${file} line ${index + 1}: not JSON`)
    }
    if (!parsed.success) throw new WorkstationError('REVIEW_DAMAGED', `${file} line ${index + 1}: not a ${file === JUDGEMENTS_FILE ? 'judgement' : 'skip'}`)
    values.push(parsed.data)
  })
  return values
}

async function readOptional(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return ''
    throw new WorkstationError('REVIEW_DAMAGED', `${basename(path)}: ${(error as NodeJS.ErrnoException).code ?? 'unreadable'}`)
  }
}

/** Appends one line; an unfinished last line a crash left (never acknowledged to anyone) is cut off first. */
async function appendLine(path: string, value: unknown): Promise<void> {
  const before = await readOptional(path)
  try {
    if (before.length > 0 && !before.endsWith('\n')) await truncate(path, Buffer.byteLength(before.slice(0, before.lastIndexOf('\n') + 1)))
    await appendFile(path, `${JSON.stringify(value)}\n`, { mode: 0o600, flush: true })
  } catch (error) {
    throw writeFailure(path, error)
  }
}

/** One review's folder, read afresh on each use (the CLI may append beside the workstation). */
export class BlindReview {
  readonly folder: string
  readonly document: ReviewDocument
  readonly #key: ReviewKey
  readonly judgements: Judgement[]
  readonly skips: Skip[]

  private constructor(folder: string, document: ReviewDocument, key: ReviewKey, judgements: Judgement[], skips: Skip[]) {
    this.folder = folder
    this.document = document
    this.#key = key
    this.judgements = judgements
    this.skips = skips
  }

  /** REVIEW_NOT_FOUND when the folder holds no review.json; REVIEW_DAMAGED when a file does not read. */
  static async open(folder: string): Promise<BlindReview> {
    let text: string
    try {
      text = await readFile(join(folder, REVIEW_FILE), 'utf8')
    } catch {
      throw new WorkstationError('REVIEW_NOT_FOUND', basename(folder))
    }
    const parse = <T>(content: string, schema: z.ZodType<T>, file: string): T => {
      try {
        return schema.parse(JSON.parse(content))
      } catch {
        throw new WorkstationError('REVIEW_DAMAGED', `${basename(folder)}/${file}`)
      }
    }
    const document = parse(text, reviewDocument, REVIEW_FILE) as ReviewDocument
    const keyText = await readOptional(join(folder, REVIEW_KEY_FILE))
    const key = parse(keyText, reviewKey, REVIEW_KEY_FILE)
    const ids = document.items.map((item) => item.itemId)
    if (new Set(ids).size !== ids.length || ids.some((id) => !Object.hasOwn(key.first, id)) || Object.keys(key.first).length !== ids.length)
      throw new WorkstationError('REVIEW_DAMAGED', `${basename(folder)}: the key does not match the items`)
    const judgements = parseLines(await readOptional(join(folder, JUDGEMENTS_FILE)), judgementLine, JUDGEMENTS_FILE) as Judgement[]
    const skips = parseLines(await readOptional(join(folder, SKIPS_FILE)), skipLine, SKIPS_FILE)
    return new BlindReview(folder, document, key, judgements, skips)
  }

  get id(): string {
    return this.document.id
  }

  #item(itemId: string): ReviewItem {
    const item = this.document.items.find((candidate) => candidate.itemId === itemId)
    if (item === undefined) throw new WorkstationError('REVIEW_ITEM_NOT_FOUND', `${this.id}: ${itemId.slice(0, 80)}`)
    return item
  }

  judgedBy(reviewer: string): Set<string> {
    return new Set(this.judgements.filter((judgement) => judgement.reviewer === reviewer).map((judgement) => judgement.itemId))
  }

  progress(reviewer: string): ReviewProgress {
    const judged = this.judgedBy(reviewer)
    const skipped = new Set(this.skips.filter((skip) => skip.reviewer === reviewer && !judged.has(skip.itemId)).map((skip) => skip.itemId))
    const tally = this.tally()
    return { reviewId: this.id, items: this.document.items.length, judgedByMe: judged.size, skippedByMe: skipped.size, judgements: tally.judgements, reviewers: tally.reviewers }
  }

  /**
   * The reviewer's next item: the first in the review's order they have neither judged nor skipped;
   * when none is left, the skipped ones they have not judged, the longest-skipped first (an item
   * skipped again goes to the back). Null when they have judged every item.
   */
  next(reviewer: string): ReviewItemView | null {
    const judged = this.judgedBy(reviewer)
    const lastSkip = new Map<string, number>()
    this.skips.forEach((skip, index) => {
      if (skip.reviewer === reviewer && !judged.has(skip.itemId)) lastSkip.set(skip.itemId, index)
    })
    const unseen = this.document.items.find((item) => !judged.has(item.itemId) && !lastSkip.has(item.itemId))
    const view = (item: ReviewItem, skippedBefore: boolean): ReviewItemView => ({
      reviewId: this.id,
      itemId: item.itemId,
      question: item.question,
      first: item.first,
      second: item.second,
      skippedBefore,
    })
    if (unseen !== undefined) return view(unseen, false)
    const [oldest] = [...lastSkip.entries()].sort(([, x], [, y]) => x - y)
    return oldest === undefined ? null : view(this.#item(oldest[0]), true)
  }

  /** Appends a judgement; REVIEW_ALREADY_JUDGED when this reviewer judged the item before. */
  async judge(judgement: { itemId: string; reviewer: string; choice: ReviewChoice; reason?: string | undefined; at?: Date }): Promise<void> {
    this.#item(judgement.itemId)
    if (this.judgedBy(judgement.reviewer).has(judgement.itemId)) throw new WorkstationError('REVIEW_ALREADY_JUDGED', `${this.id}: ${judgement.itemId.slice(0, 80)}`)
    const reason = judgement.reason?.trim()
    const line: Judgement = {
      itemId: judgement.itemId,
      reviewer: judgement.reviewer,
      choice: judgement.choice,
      ...(reason ? { reason } : {}),
      at: (judgement.at ?? new Date()).toISOString(),
    }
    await appendLine(join(this.folder, JUDGEMENTS_FILE), line)
    this.judgements.push(line)
  }

  /** Puts the item at the back of this reviewer's queue; REVIEW_ALREADY_JUDGED once they judged it. */
  async skip(skip: { itemId: string; reviewer: string; at?: Date }): Promise<void> {
    this.#item(skip.itemId)
    if (this.judgedBy(skip.reviewer).has(skip.itemId)) throw new WorkstationError('REVIEW_ALREADY_JUDGED', `${this.id}: ${skip.itemId.slice(0, 80)}`)
    const line: Skip = { itemId: skip.itemId, reviewer: skip.reviewer, at: (skip.at ?? new Date()).toISOString() }
    await appendLine(join(this.folder, SKIPS_FILE), line)
    this.skips.push(line)
  }

  /** The judgements mapped back through the key (only core reads the key). */
  tally(): ReviewTally {
    const itemIds = new Set(this.document.items.map((item) => item.itemId))
    const keyed: KeyedJudgement[] = this.judgements
      .filter((judgement) => itemIds.has(judgement.itemId))
      .map((judgement) => ({ itemId: judgement.itemId, reviewer: judgement.reviewer, outcome: outcomeOf(judgement.choice, this.#key.first[judgement.itemId] as FirstSide) }))
    return tallyReview(keyed)
  }
}
