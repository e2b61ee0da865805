import { basename } from 'node:path'
import { invalidDataset, numberedLines, readDatasetText } from './dataset-text.ts'
import { ItemCollector, type DatasetContents, type EvaluationItem } from './evaluation-item.ts'

// JSON-lines datasets: one object a line. Each reader turns an object into an item or says why
// not; the line number is the item's id unless the object carries its own `id`.

export type LineReader = (value: Record<string, unknown>, line: number) => EvaluationItem | string

export async function readJsonLines(path: string, readLine: LineReader, describe: string): Promise<DatasetContents> {
  const file = basename(path)
  const collector = new ItemCollector()
  let objects = 0
  for (const { line, text } of numberedLines(await readDatasetText(path))) {
    if (text.trim() === '') continue
    let value: unknown
    try {
      value = JSON.parse(text)
    } catch {
      collector.skip({ file, line }, 'is not valid JSON')
      continue
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      collector.skip({ file, line }, 'is not a JSON object')
      continue
    }
    objects++
    const item = readLine(value as Record<string, unknown>, line)
    if (typeof item === 'string') collector.skip({ file, line }, item)
    else collector.add(item, { file, line })
  }
  if (collector.items.length === 0) {
    throw invalidDataset(path, objects === 0 ? 'no line is a JSON object' : `no line is usable (each must be ${describe})`)
  }
  return { items: collector.items, skipped: collector.skipped, files: [path] }
}

/** A string, or an array of strings (several references; empty ones dropped); else undefined. */
export function textOrTexts(value: unknown): string | string[] | undefined {
  if (typeof value === 'string') return value.trim() === '' ? undefined : value
  if (!Array.isArray(value) || !value.every((part) => typeof part === 'string')) return undefined
  const texts = (value as string[]).filter((text) => text.trim() !== '')
  if (texts.length === 0) return undefined
  return texts.length === 1 ? texts[0]! : texts
}

export function ownId(value: Record<string, unknown>, line: number): string {
  const id = value['id']
  return typeof id === 'string' && id !== '' ? id : typeof id === 'number' ? String(id) : String(line)
}

/**
 * Huatuo-26M's test split (huatuo26M-testdatasets, test_datasets.jsonl): `questions` and `answers`
 * are strings there, and arrays of strings in its other parts (several phrasings of one question):
 * the first question is asked, every answer is a reference.
 */
export const huatuo26mLine: LineReader = (value, line) => {
  const questions = textOrTexts(value['questions'])
  const answers = textOrTexts(value['answers'])
  if (questions === undefined) return '`questions` must be a non-empty string or array of strings'
  if (answers === undefined) return '`answers` must be a non-empty string or array of strings'
  const question = typeof questions === 'string' ? questions : questions[0]!
  return { id: ownId(value, line), question, prompt: question, reference: answers }
}

/** Generic `{question, answer}` (`answer` a string or strings; absent: the item is answered, unscored). */
export const genericLine: LineReader = (value, line) => {
  const question = value['question']
  if (typeof question !== 'string' || question.trim() === '') return '`question` must be a non-empty string'
  const item: EvaluationItem = { id: ownId(value, line), question, prompt: question }
  if (value['answer'] !== undefined && value['answer'] !== null) {
    const reference = textOrTexts(value['answer'])
    if (reference === undefined) return '`answer` must be a string or an array of strings'
    item.reference = reference
  }
  return item
}
