import { modelDraftedSectionKeys, type ModelDraftedSectionKey } from '../../../contract/outpatient-record.ts'

/**
 * The longest text the model may write for each section. Every string is bounded, so the draft fits
 * a known token budget and is either complete or reported incomplete (DRAFT_INCOMPLETE).
 */
export type DraftLimits = Record<ModelDraftedSectionKey, number> & { diagnosisCode: number }

/** Room for what a clinic writes: a short 主诉, a paragraph of 现病史, a few lines elsewhere. */
export const defaultDraftLimits: DraftLimits = {
  chiefComplaint: 40,
  presentIllness: 400,
  pastHistory: 150,
  allergies: 60,
  diagnosis: 60,
  diagnosisCode: 8,
  plan: 250,
}

/**
 * The JSON schema the model's output must match, in the subset node-llama-cpp's grammar supports:
 * strings with maxLength only (no numbers, no open objects). 体格检查, 辅助检查 and 医嘱 are not in it
 * at all, so the grammar cannot produce them.
 */
export function draftJsonSchema(limits: DraftLimits = defaultDraftLimits): object {
  const properties: Record<string, object> = {}
  for (const key of modelDraftedSectionKeys) {
    properties[key] = { type: 'string', maxLength: limits[key] }
    // The code goes right after the diagnosis it codes.
    if (key === 'diagnosis') properties['diagnosisCode'] = { type: 'string', maxLength: limits.diagnosisCode }
  }
  return { type: 'object', properties, required: Object.keys(properties), additionalProperties: false }
}
