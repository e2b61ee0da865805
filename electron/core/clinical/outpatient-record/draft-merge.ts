import { doctorOnlySectionKeys, modelDraftedSectionKeys } from '../../../contract/outpatient-record.ts'
import type { OutpatientRecordSections } from '../../../contract/record-versions.ts'
import type { ModelDraftedText } from './drafting.ts'

function isDoctorsText(current: OutpatientRecordSections, previousDraft: OutpatientRecordSections | null, key: keyof OutpatientRecordSections): boolean {
  const text = current[key]
  return text !== undefined && text.trim() !== '' && previousDraft?.[key] !== text
}

/**
 * Puts a new draft into the record without overwriting the doctor: a section the doctor has written
 * or edited keeps the doctor's text (clearing it lets the model fill it next time); the rest takes
 * the model's. 体格检查, 辅助检查 and 医嘱 are copied exactly as they are.
 */
export function mergeModelDraft(
  current: OutpatientRecordSections,
  previousDraft: OutpatientRecordSections | null,
  drafted: ModelDraftedText,
): OutpatientRecordSections {
  const merged: OutpatientRecordSections = {}
  for (const key of doctorOnlySectionKeys) if (current[key] !== undefined) merged[key] = current[key]
  for (const key of modelDraftedSectionKeys) merged[key] = isDoctorsText(current, previousDraft, key) ? current[key] : drafted[key]
  // The code belongs to the diagnosis: it follows whoever wrote the diagnosis.
  const code = isDoctorsText(current, previousDraft, 'diagnosis') || isDoctorsText(current, previousDraft, 'diagnosisCode') ? current.diagnosisCode : drafted.diagnosisCode
  if (code !== undefined && code !== '') merged.diagnosisCode = code
  return merged
}
