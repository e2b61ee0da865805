import { modelDraftedSectionKeys, type ModelDraftedSectionKey } from '../../../contract/outpatient-record.ts'
import { maxSourcesPerSection } from '../../../contract/record-evidence.ts'

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

/** A section's sources: at most three numbers, each one of the turns the model was shown and may cite. */
function sourcesSchema(citable: readonly number[]): object {
  // With nothing citable shown (a transcript cut to the model's answers) the only valid list is [].
  if (citable.length === 0) return { type: 'array', items: { enum: [0] }, maxItems: 0 }
  return { type: 'array', items: { enum: [...citable] }, maxItems: maxSourcesPerSection }
}

/**
 * The JSON schema the model's output must match, built for one draft, in the subset node-llama-cpp's
 * grammar supports: strings with maxLength, enums, arrays with maxItems (no free numbers, no open
 * objects). Each drafted section is `{text, sources}`, where sources can only be numbers of the
 * patient messages and clinician notes this draft's transcript showed. 体格检查, 辅助检查 and 医嘱 are
 * not in it at all, so the grammar cannot produce them. The grammar cannot forbid a repeated number:
 * the core refuses those when it maps numbers to messages.
 */
export function draftJsonSchema(limits: DraftLimits = defaultDraftLimits, citable: readonly number[] = []): object {
  const properties: Record<string, object> = {}
  const sources = sourcesSchema(citable)
  for (const key of modelDraftedSectionKeys) {
    properties[key] = {
      type: 'object',
      properties: { text: { type: 'string', maxLength: limits[key] }, sources },
      required: ['text', 'sources'],
      additionalProperties: false,
    }
    // The code goes right after the diagnosis it codes.
    if (key === 'diagnosis') properties['diagnosisCode'] = { type: 'string', maxLength: limits.diagnosisCode }
  }
  return { type: 'object', properties, required: Object.keys(properties), additionalProperties: false }
}
