import { modelDraftedSectionKeys, type RecordDraftProgress } from '../../../contract/outpatient-record.ts'

const fieldNames = new RegExp(`"(${[...modelDraftedSectionKeys, 'diagnosisCode'].join('|')})"\\s*:`, 'g')

/** Which field the model is writing, from its output so far (JSON, cut anywhere). */
export function sectionBeingWritten(partialJson: string): RecordDraftProgress['section'] {
  let last: RecordDraftProgress['section'] = null
  for (const match of partialJson.matchAll(fieldNames)) last = match[1] as RecordDraftProgress['section']
  return last
}
