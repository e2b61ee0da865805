import { basename } from 'node:path'
import { invalidDataset, numberedLines, readDatasetText } from './dataset-text.ts'
import { ItemCollector, type DatasetContents } from './evaluation-item.ts'

// webMedQA (github.com/hejunqing/webMedQA, medQA.test.txt): one candidate answer per line, five
// tab-separated fields, no header, no quoting (the authors stripped markup; loaders split on tabs):
// ID, label, category, question, answer — 1 positive and 4 negatives per question. The label is
// field 2 and the question and answer fields 4 and 5 in every description; of fields 1 and 3 (ID
// and category) public loaders disagree on the order, so the one made of digits is taken as the
// id. The positive answer is the reference.

const FIELDS = 5

export async function readWebMedQA(path: string): Promise<DatasetContents> {
  const file = basename(path)
  const collector = new ItemCollector()
  /** Question id → the question and its positive answers, in the file's order. */
  const questions = new Map<string, { line: number; question: string; positives: string[] }>()
  let rows = 0
  for (const { line, text } of numberedLines(await readDatasetText(path))) {
    if (text.trim() === '') continue
    const fields = text.split('\t')
    if (fields.length !== FIELDS) {
      collector.skip({ file, line }, `has ${fields.length} tab-separated fields, expected ${FIELDS}`)
      continue
    }
    const [first, label, third, question, answer] = fields.map((field) => field.trim()) as [string, string, string, string, string]
    const id = /^\d+$/.test(first) ? first : /^\d+$/.test(third) ? third : undefined
    if (id === undefined) {
      collector.skip({ file, line }, 'has no numeric question ID in field 1 or 3')
      continue
    }
    if (label !== '0' && label !== '1') {
      collector.skip({ file, line }, 'label (field 2) must be 0 or 1')
      continue
    }
    if (question === '' || answer === '') {
      collector.skip({ file, line }, 'question or answer is empty')
      continue
    }
    rows++
    const entry = questions.get(id) ?? { line, question, positives: [] }
    questions.set(id, entry)
    if (label === '1') entry.positives.push(answer)
  }
  if (rows === 0) throw invalidDataset(path, 'no line has the five tab-separated fields ID, label, category, question, answer')
  for (const [id, { line, question, positives }] of questions) {
    if (positives.length === 0) {
      collector.skip({ file, line }, `question ${id} has no positive (label 1) answer`)
      continue
    }
    collector.add({ id, question, prompt: question, reference: positives.length === 1 ? positives[0]! : positives }, { file, line })
  }
  return { items: collector.items, skipped: collector.skipped, files: [path] }
}
