import type { AnswerTiming } from '../../../contract/inference.ts'
import type { SamplingSettings } from '../../../contract/sampling.ts'
import { modelDraftedSectionKeys, notMentioned, type ModelDraftedSectionKey, type RecordDraftProgress } from '../../../contract/outpatient-record.ts'
import { WorkstationError } from '../../errors.ts'
import type { InferenceEngine } from '../../inference/engine.ts'
import type { EvidenceSource } from '../../../contract/record-evidence.ts'
import { draftInstruction } from './draft-instruction.ts'
import { sectionBeingWritten } from './draft-progress.ts'
import { defaultDraftLimits, draftJsonSchema, type DraftLimits } from './draft-schema.ts'
import { citedSources, type DraftedSources } from './draft-sources.ts'
import type { TranscriptTurn } from './transcript.ts'

/** What the model wrote: the sections it may draft, and an ICD-10 code when it gave a valid one. */
export type ModelDraftedText = Record<ModelDraftedSectionKey, string> & { diagnosisCode?: string }

export interface SectionDraftRequest {
  engine: Pick<InferenceEngine, 'generateStructured'>
  transcript: readonly TranscriptTurn[]
  /** Characters of transcript the instruction may quote (see transcriptRoomFor). */
  maxTranscriptCharacters?: number
  limits?: DraftLimits
  /** Default: greedy (temperature 0), so the same consultation gives the same draft. */
  sampling?: SamplingSettings
  signal?: AbortSignal
  onProgress?: (progress: Omit<RecordDraftProgress, 'consultationId'>) => void
}

export interface SectionDraft {
  sections: ModelDraftedText
  /** Each section's cited messages and notes, checked against what the model was shown. */
  sources: DraftedSources
  timing: AnswerTiming
}

const icd10 = /^[A-Z][0-9]{2}(\.[0-9A-Z]{1,4})?$/

/**
 * Drafts 主诉, 现病史, 既往史, 过敏史, 初步诊断 (+ ICD-10) and 处理意见 from a consultation under a JSON
 * schema grammar. Output cut off by its budget or a stop rejects with DRAFT_INCOMPLETE (nothing is
 * patched up); aborting `signal` stops the model. 体格检查, 辅助检查 and 医嘱 are not in the schema.
 */
export async function draftRecordSections(request: SectionDraftRequest): Promise<SectionDraft> {
  if (!request.transcript.some((turn) => turn.speaker === 'patient')) throw new WorkstationError('CONSULTATION_EMPTY')
  const onProgress = request.onProgress
  const { instruction, citable } = draftInstruction(request.transcript, request.maxTranscriptCharacters ?? 3000)
  const result = await request.engine.generateStructured({
    instruction,
    jsonSchema: draftJsonSchema(request.limits ?? defaultDraftLimits, [...citable.keys()]),
    sampling: { temperature: 0, ...request.sampling },
    ...(request.signal ? { signal: request.signal } : {}),
    ...(onProgress
      ? {
          onProgress: ({ text, generatedTokens, budgetTokens }) =>
            onProgress({ generatedTokens, budgetTokens, section: sectionBeingWritten(text) }),
        }
      : {}),
  })
  return { ...checkedDraft(result.value, citable), timing: result.timing }
}

/**
 * The grammar guarantees the shape for the local engine; a remote engine may not honour it, so the
 * shape is checked again. Blank sections become "未提及"; a code that is not ICD-10 is dropped; the
 * sources are mapped to messages and notes (see citedSources).
 */
function checkedDraft(value: unknown, citable: ReadonlyMap<number, EvidenceSource>): { sections: ModelDraftedText; sources: DraftedSources } {
  if (typeof value !== 'object' || value === null) throw new WorkstationError('DRAFT_INCOMPLETE', 'the output is not an object')
  const fields = value as Record<string, unknown>
  const sections = {} as ModelDraftedText
  const sources = {} as DraftedSources
  for (const key of modelDraftedSectionKeys) {
    const field = fields[key]
    const text = typeof field === 'object' && field !== null ? (field as Record<string, unknown>)['text'] : undefined
    if (typeof text !== 'string') throw new WorkstationError('DRAFT_INCOMPLETE', `the output has no text for ${key}`)
    sections[key] = text.trim() === '' ? notMentioned : text.trim()
    sources[key] = citedSources(key, (field as Record<string, unknown>)['sources'], citable)
  }
  const code = typeof fields['diagnosisCode'] === 'string' ? fields['diagnosisCode'].trim().toUpperCase() : ''
  if (icd10.test(code)) sections.diagnosisCode = code
  return { sections, sources }
}
