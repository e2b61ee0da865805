import type { AnswerTiming } from '../../../contract/inference.ts'
import type { SamplingSettings } from '../../../contract/sampling.ts'
import { modelDraftedSectionKeys, type DraftingModel, type RecordDraftProgress, type SectionAuthors } from '../../../contract/outpatient-record.ts'
import type { EvidenceLink } from '../../../contract/record-evidence.ts'
import type { OutpatientRecordSections, OutpatientRecordVersion } from '../../../contract/record-versions.ts'
import { WorkstationError } from '../../errors.ts'
import type { InferenceEngine } from '../../inference/engine.ts'
import type { RecordStore } from '../../records/record-store.ts'
import { mergeModelDraft } from './draft-merge.ts'
import type { DraftLimits } from './draft-schema.ts'
import { draftRecordSections } from './drafting.ts'
import { sectionAuthorsOf } from './section-authors.ts'
import { consultationTranscript } from './transcript.ts'

export interface ConsultationDraftRequest {
  store: RecordStore
  engine: Pick<InferenceEngine, 'generateStructured'>
  consultationId: string
  /** The loaded model, as the record's provenance will name it. */
  model: DraftingModel
  /** The clinician who asked for the draft. */
  author: string
  maxTranscriptCharacters?: number
  limits?: DraftLimits
  sampling?: SamplingSettings
  signal?: AbortSignal
  onProgress?: (progress: RecordDraftProgress) => void
}

export interface ConsultationDraft {
  version: OutpatientRecordVersion
  sectionAuthors: SectionAuthors
  /** The draft's links to the conversation turns each section rests on. */
  evidence: EvidenceLink[]
  timing: AnswerTiming
}

/**
 * `record.draft`: the model drafts the consultation's record; the result becomes (or updates) the
 * record's draft version, with what the model wrote kept as its provenance. A signed record is
 * refused before the model runs (RECORD_SIGNED); nothing is stored when drafting fails or is stopped.
 */
export async function draftConsultationRecord(request: ConsultationDraftRequest): Promise<ConsultationDraft> {
  const { store, consultationId } = request
  if (store.consultations.get(consultationId).trashedAt !== null) throw new WorkstationError('CONSULTATION_IN_TRASH')
  const before = store.records.latestFor(consultationId)
  if (before !== null && before.status !== 'draft') throw new WorkstationError('RECORD_SIGNED', `record ${before.recordId}`)

  const onProgress = request.onProgress
  const drafted = await draftRecordSections({
    engine: request.engine,
    transcript: consultationTranscript(store, consultationId),
    ...(request.maxTranscriptCharacters === undefined ? {} : { maxTranscriptCharacters: request.maxTranscriptCharacters }),
    ...(request.limits ? { limits: request.limits } : {}),
    ...(request.sampling ? { sampling: request.sampling } : {}),
    ...(request.signal ? { signal: request.signal } : {}),
    ...(onProgress ? { onProgress: (progress) => onProgress({ consultationId, ...progress }) } : {}),
  })

  // Read again: the doctor may have typed while the model was drafting.
  const current = store.records.latestFor(consultationId)
  if (current !== null && current.status !== 'draft') throw new WorkstationError('RECORD_SIGNED', `record ${current.recordId}`)
  const previousDraft = current === null ? null : (store.drafts.latest(current.recordId)?.sections ?? null)
  const modelText: OutpatientRecordSections = { ...drafted.sections }
  const merged = mergeModelDraft(current?.sections ?? {}, previousDraft, drafted.sections)
  // The sections that now hold the model's text take this draft's links; the doctor's keep theirs.
  const taken = modelDraftedSectionKeys.filter((key) => merged[key] === drafted.sections[key])
  const { version } = store.drafts.saveModelDraft(consultationId, merged, modelText, request.model, request.author, { sources: drafted.sources, taken })
  return { version, sectionAuthors: sectionAuthorsOf(version.sections, modelText), evidence: store.evidence.list(version.id), timing: drafted.timing }
}

/** Who wrote each section of a stored version (for the editor and the exports). */
export function storedSectionAuthors(store: Pick<RecordStore, 'drafts'>, version: OutpatientRecordVersion): SectionAuthors {
  return sectionAuthorsOf(version.sections, store.drafts.latest(version.recordId)?.sections ?? null)
}
