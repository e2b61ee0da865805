import { access, stat } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { WorkstationError } from '../../errors.ts'
import { parseCsv } from './csv.ts'
import { invalidDataset, readDatasetText } from './dataset-text.ts'
import { ItemCollector, type DatasetContents } from './evaluation-item.ts'

// cMedQA2 (github.com/zhangsheng93/cMedQA2): question.csv `question_id,content`, answer.csv
// `ans_id,question_id,content`, and a candidates file that defines a split,
// `question_id,ans_id,cnt,label` — every candidate answer of a question, label 1 for its own
// answers. The references of a test question are its label-1 answers (often more than one).
// `--data` names the folder (test_candidates.txt is read) or one candidates file (its folder holds
// the two CSVs), so the dev split can be run too.

const CANDIDATES_DEFAULT = 'test_candidates.txt'

export async function readCmedqa2(data: string): Promise<DatasetContents> {
  const candidatesPath = await candidatesFile(data)
  const folder = dirname(candidatesPath)
  const questionsPath = await firstPresent(folder, ['question.csv', 'questions.csv'])
  const answersPath = await firstPresent(folder, ['answer.csv', 'answers.csv'])
  const collector = new ItemCollector()

  const candidates = await table(candidatesPath, ['question_id', 'ans_id', 'cnt', 'label'], collector)
  /** Question id → its label-1 answer ids, in the candidates' order; and where it first appears. */
  const split = new Map<string, { line: number; positives: string[] }>()
  for (const row of candidates) {
    const [questionId, answerId, , label] = row.fields
    if (!questionId || !answerId || (label !== '0' && label !== '1')) {
      collector.skip({ file: basename(candidatesPath), line: row.line }, 'needs question_id, ans_id and a label of 0 or 1')
      continue
    }
    const entry = split.get(questionId) ?? { line: row.line, positives: [] }
    split.set(questionId, entry)
    if (label === '1' && !entry.positives.includes(answerId)) entry.positives.push(answerId)
  }

  const questions = new Map<string, string>()
  for (const row of await table(questionsPath, ['question_id', 'content'], collector)) {
    const [id, content] = row.fields
    if (id && split.has(id)) questions.set(id, content ?? '')
  }
  const wanted = new Set([...split.values()].flatMap((entry) => entry.positives))
  const answers = new Map<string, string>()
  for (const row of await table(answersPath, ['ans_id', 'question_id', 'content'], collector)) {
    const [id, , content] = row.fields
    if (id && wanted.has(id)) answers.set(id, content ?? '')
  }

  for (const [questionId, { line, positives }] of split) {
    const where = { file: basename(candidatesPath), line }
    const question = questions.get(questionId)
    if (question === undefined || question.trim() === '') {
      collector.skip(where, `question ${questionId} is not in ${basename(questionsPath)} or is empty`)
      continue
    }
    const references = positives.map((id) => answers.get(id)).filter((text): text is string => text !== undefined && text.trim() !== '')
    if (references.length === 0) {
      collector.skip(where, `question ${questionId} has no label-1 answer found in ${basename(answersPath)}`)
      continue
    }
    const reference = references.length === 1 ? references[0]! : references
    collector.add({ id: questionId, question, prompt: question, reference }, where)
  }
  if (collector.items.length === 0) throw invalidDataset(candidatesPath, 'no question of the split could be read')
  return { items: collector.items, skipped: collector.skipped, files: [candidatesPath, questionsPath, answersPath] }
}

async function candidatesFile(data: string): Promise<string> {
  let isFolder: boolean
  try {
    isFolder = (await stat(data)).isDirectory()
  } catch (error) {
    throw new WorkstationError('DATASET_UNREADABLE', `${data}: ${error instanceof Error ? error.message : String(error)}`)
  }
  return isFolder ? join(data, CANDIDATES_DEFAULT) : data
}

async function firstPresent(folder: string, names: string[]): Promise<string> {
  for (const name of names) {
    const path = join(folder, name)
    if (await access(path).then(() => true, () => false)) return path
  }
  throw new WorkstationError('DATASET_UNREADABLE', `${join(folder, names[0]!)}: not found (cMedQA2 keeps ${names.join(' or ')} beside the candidates file)`)
}

/** A CSV with a header naming the columns (in this order); malformed rows are reported and skipped. */
async function table(path: string, columns: string[], collector: ItemCollector): Promise<{ line: number; fields: string[] }[]> {
  const records = parseCsv(await readDatasetText(path))
  const header = records[0]
  if (!header || 'error' in header || columns.some((column, i) => header.fields[i]?.trim() !== column)) {
    throw invalidDataset(path, `the first line must be the header ${columns.join(',')}`)
  }
  const rows: { line: number; fields: string[] }[] = []
  for (const record of records.slice(1)) {
    if ('error' in record) collector.skip({ file: basename(path), line: record.line }, record.error)
    else if (record.fields.length !== columns.length)
      collector.skip({ file: basename(path), line: record.line }, `has ${record.fields.length} fields, expected ${columns.length}`)
    else rows.push(record)
  }
  return rows
}
