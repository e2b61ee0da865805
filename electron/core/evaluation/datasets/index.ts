import type { DatasetFormat } from '../../../contract/evaluation.ts'
import { readCmedqa2 } from './cmedqa2.ts'
import type { DatasetContents } from './evaluation-item.ts'
import { examLine } from './exam.ts'
import { readKuakeQic, readMedDialog } from './huatuogpt-eval.ts'
import { genericLine, huatuo26mLine, readJsonLines } from './json-lines.ts'
import { readWebMedQA } from './webmedqa.ts'

export type { DatasetContents, EvaluationItem, SkippedRow } from './evaluation-item.ts'

const readers: Record<DatasetFormat, (data: string) => Promise<DatasetContents>> = {
  cmedqa2: readCmedqa2,
  webmedqa: readWebMedQA,
  huatuo26m: (path) => readJsonLines(path, huatuo26mLine, '{"questions": …, "answers": …}'),
  'kuake-qic': readKuakeQic,
  'med-dialog': readMedDialog,
  jsonl: (path) => readJsonLines(path, genericLine, '{"question": …, "answer": …}'),
  exam: (path) => readJsonLines(path, examLine, '{"question": …, "option": {"A": …}, "answer": "A"}'),
}

/** Reads a dataset in the named format: its items in order, and the rows skipped with their line numbers. */
export function readDataset(format: DatasetFormat, data: string): Promise<DatasetContents> {
  return readers[format](data)
}
