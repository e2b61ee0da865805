import { basename } from 'node:path'
import { invalidDataset, readDatasetText } from './dataset-text.ts'
import { ItemCollector, type DatasetContents, type EvaluationItem } from './evaluation-item.ts'

// The evaluation files of FreedomIntelligence/HuatuoGPT (eval/): one JSON array each.
// KUAKE-QIC_100.json `{id, label, query}`: single questions with no reference answer — answered
// and reported as unscored. Med-dialog_100.json `{id, medical_case, doctor_diagnosis, Department}`:
// the patient's case goes in, the doctor's summary is the reference.

type ArrayReader = (value: Record<string, unknown>) => EvaluationItem | string

async function readJsonArray(path: string, readItem: ArrayReader, describe: string): Promise<DatasetContents> {
  const file = basename(path)
  let parsed: unknown
  try {
    parsed = JSON.parse(await readDatasetText(path))
  } catch (error) {
    if (error instanceof SyntaxError) throw invalidDataset(path, `not valid JSON (${error.message})`)
    throw error
  }
  if (!Array.isArray(parsed)) throw invalidDataset(path, `must be a JSON array of ${describe}`)
  const collector = new ItemCollector()
  parsed.forEach((value: unknown, index) => {
    const where = { file, item: index + 1 }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return collector.skip(where, 'is not a JSON object')
    const item = readItem(value as Record<string, unknown>)
    if (typeof item === 'string') collector.skip(where, item)
    else collector.add(item, where)
  })
  if (collector.items.length === 0) throw invalidDataset(path, `no item is usable (each must be ${describe})`)
  return { items: collector.items, skipped: collector.skipped, files: [path] }
}

function idOf(value: Record<string, unknown>): string | undefined {
  const id = value['id']
  return typeof id === 'string' && id !== '' ? id : typeof id === 'number' ? String(id) : undefined
}

export function readKuakeQic(path: string): Promise<DatasetContents> {
  return readJsonArray(
    path,
    (value) => {
      const id = idOf(value)
      const query = value['query']
      if (id === undefined) return '`id` must be a string or number'
      if (typeof query !== 'string' || query.trim() === '') return '`query` must be a non-empty string'
      return { id, question: query, prompt: query }
    },
    '{id, label, query}',
  )
}

export function readMedDialog(path: string): Promise<DatasetContents> {
  return readJsonArray(
    path,
    (value) => {
      const id = idOf(value)
      const medicalCase = value['medical_case']
      const diagnosis = value['doctor_diagnosis']
      if (id === undefined) return '`id` must be a string or number'
      if (typeof medicalCase !== 'string' || medicalCase.trim() === '') return '`medical_case` must be a non-empty string'
      if (typeof diagnosis !== 'string' || diagnosis.trim() === '') return '`doctor_diagnosis` must be a non-empty string'
      return { id, question: medicalCase, prompt: medicalCase, reference: diagnosis }
    },
    '{id, medical_case, doctor_diagnosis, Department}',
  )
}
