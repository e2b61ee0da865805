import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { doctorOnlySectionKeys, modelDraftedSectionKeys, notMentioned, type DraftingModel, type RecordDraftProgress } from '../../electron/contract/outpatient-record.ts'
import type { OutpatientRecordSections } from '../../electron/contract/record-versions.ts'
import { defaultDraftLimits, draftJsonSchema } from '../../electron/core/clinical/outpatient-record/draft-schema.ts'
import { draftConsultationRecord, storedSectionAuthors } from '../../electron/core/clinical/outpatient-record/record-drafting.ts'
import { amendOutpatientRecord, signOutpatientRecord } from '../../electron/core/clinical/outpatient-record/record-signing.ts'
import { consultationTranscript } from '../../electron/core/clinical/outpatient-record/transcript.ts'
import { WorkstationError } from '../../electron/core/errors.ts'
import type { InferenceEngine, StructuredGenerationRequest, StructuredGenerationResult } from '../../electron/core/inference/engine.ts'
import { startLocalEngine, type LocalInferenceEngine } from '../../electron/core/inference/local/local-engine.ts'
import { longestJsonLength } from '../../electron/core/inference/structured-budget.ts'
import { writeTestModel } from '../../electron/core/models/test-model.ts'
import { openRecordStore, type RecordStore } from '../../electron/core/records/record-store.ts'

// Drafting the 门诊病历 from a consultation: what the model is shown (o1: final responses only), what
// it may write (never 体格检查, 辅助检查 or 医嘱), how its text joins the doctor's, then signing and
// amending. A scripted engine checks the rules exactly; a generated model checks the real grammar,
// progress and cancellation (random weights: parse or DRAFT_INCOMPLETE, never content).

const model: DraftingModel = { name: 'HuatuoGPT-o1-7B', quantization: 'Q4_K_M', sha256: 'e'.repeat(64), promptFormat: 'gguf-template', engine: 'local', server: null }
const doctor = { id: 'dr-li', name: '李明' }
const timing = { promptTokens: 10, evaluatedPromptTokens: 10, generatedTokens: 5, timeToFirstTokenMs: 1, tokensPerSecond: 100 }

/** An engine that answers from a script and remembers what it was asked. */
class ScriptedEngine implements Pick<InferenceEngine, 'generateStructured'> {
  requests: StructuredGenerationRequest[] = []
  answer: unknown

  constructor(answer: Record<string, string>, sources: Record<string, number[]> = {}) {
    this.answer = asDraft(answer, sources)
  }

  async generateStructured(request: StructuredGenerationRequest): Promise<StructuredGenerationResult> {
    this.requests.push(request)
    request.onProgress?.({ text: '{"chiefComplaint":"头', generatedTokens: 3, budgetTokens: 100 })
    if (request.signal?.aborted) throw new WorkstationError('DRAFT_INCOMPLETE', 'abort')
    return { value: this.answer, text: JSON.stringify(this.answer), timing }
  }
}

/** A flat answer in the draft's shape: each section `{text, sources}`, the code a plain string. */
function asDraft(flat: Record<string, string>, sources: Record<string, number[]> = {}): Record<string, unknown> {
  return Object.fromEntries(Object.entries(flat).map(([key, text]) => [key, key === 'diagnosisCode' ? text : { text, sources: sources[key] ?? [] }]))
}

const modelAnswer = {
  chiefComplaint: '头痛3天，发热1天',
  presentIllness: '3天前出现头痛，1天前发热，体温38.5℃。',
  pastHistory: '高血压5年',
  allergies: '  ',
  diagnosis: '急性上呼吸道感染',
  diagnosisCode: 'j06.9',
  plan: '对症处理，注意休息',
  // What a model must never write, even if an engine let it through.
  physicalExam: '咽部充血（模型编造）',
  investigations: '血常规正常（模型编造）',
  orders: '阿莫西林 0.5g 口服 每日三次',
}

let folder: string
let store: RecordStore

async function newConsultation(messages: Array<['patient' | 'model', string, string?]>): Promise<string> {
  const patient = store.patients.register({ name: '张伟', sex: 'male', ageYears: 52, clinicNumber: `MZ${Math.random()}` }, doctor.id)
  const consultation = store.consultations.create({ patientId: patient.id, department: '全科门诊' }, doctor.id)
  for (const [role, text, thinking] of messages) {
    if (role === 'patient') store.messages.appendPatientMessage(consultation.id, text)
    else store.messages.appendAnswer(consultation.id, { text, status: 'complete', ...(thinking ? { thinking } : {}) })
  }
  return consultation.id
}

const conversation: Array<['patient' | 'model', string, string?]> = [
  ['patient', '医生，我头痛三天了，昨天开始发烧，38度5。'],
  ['model', '## Thinking\n\n先排除脑膜炎的可能（推理甲）。\n\n## Final Response\n\n建议多休息，若出现颈部僵硬请及时就医。', '推理乙：考虑上感'],
  ['patient', '我有高血压，在吃氨氯地平。'],
  ['model', '好的，请继续按时服药。'],
]

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'huatuo-drafting-'))
  store = await openRecordStore({ path: join(folder, 'records.db'), scheduledBackups: false })
})
afterAll(async () => {
  store.close()
  await rm(folder, { recursive: true, force: true })
})

describe('what the model is asked', () => {
  it('HuatuoGPT-o1: only final responses reach the prompt, never the thinking', async () => {
    const consultationId = await newConsultation(conversation)
    const engine = new ScriptedEngine(modelAnswer)
    await draftConsultationRecord({ store, engine, consultationId, model, author: doctor.id })
    const instruction = engine.requests[0]!.instruction
    expect(instruction).toContain('[1] 病人：医生，我头痛三天了，昨天开始发烧，38度5。')
    expect(instruction).toContain('HuatuoGPT：建议多休息，若出现颈部僵硬请及时就医。')
    expect(instruction).not.toContain('推理甲')
    expect(instruction).not.toContain('推理乙')
    expect(instruction).not.toContain('## Thinking')
    expect(instruction).toContain(`写"${notMentioned}"`)
  })

  it('edited and regenerated messages are replaced; clinician notes are included', async () => {
    const consultationId = await newConsultation([['patient', '头痛两天']])
    const first = store.messages.list(consultationId).items[0]!
    store.messages.appendPatientMessage(consultationId, '头痛三天', { replaces: first.id })
    store.notes.add(consultationId, '患者既往有偏头痛', doctor.id)
    expect(consultationTranscript(store, consultationId)).toEqual([
      { speaker: 'patient', text: '头痛三天', source: { kind: 'patient-message', messageId: expect.any(Number) } },
      { speaker: 'doctor-note', text: '患者既往有偏头痛', source: { kind: 'clinician-note', noteId: expect.any(Number) } },
    ])
  })

  it('the grammar has only the six drafted sections and the code, every string bounded, no free numbers', () => {
    const schema = draftJsonSchema(defaultDraftLimits, [1, 2, 4]) as { properties: Record<string, { type: string; maxLength?: number; properties?: Record<string, object> }> }
    expect(Object.keys(schema.properties)).toEqual(['chiefComplaint', 'presentIllness', 'pastHistory', 'allergies', 'diagnosis', 'diagnosisCode', 'plan'])
    for (const key of doctorOnlySectionKeys) expect(schema.properties[key]).toBeUndefined()
    expect(schema.properties['diagnosisCode']).toMatchObject({ type: 'string', maxLength: expect.any(Number) })
    for (const key of modelDraftedSectionKeys) {
      expect(schema.properties[key]!.properties).toEqual({
        text: { type: 'string', maxLength: defaultDraftLimits[key] },
        // Only the numbers of turns this draft showed, at most three.
        sources: { type: 'array', items: { enum: [1, 2, 4] }, maxItems: 3 },
      })
    }
    expect(longestJsonLength(schema)).toBeGreaterThan(0)
    expect(defaultDraftLimits.chiefComplaint).toBeLessThanOrEqual(40)
  })

  it('a consultation with nothing the patient said is not drafted', async () => {
    const consultationId = await newConsultation([])
    const engine = new ScriptedEngine(modelAnswer)
    await expect(draftConsultationRecord({ store, engine, consultationId, model, author: doctor.id })).rejects.toMatchObject({ code: 'CONSULTATION_EMPTY' })
    expect(engine.requests).toHaveLength(0)
  })
})

describe('what the draft does to the record', () => {
  let consultationId: string
  beforeEach(async () => {
    consultationId = await newConsultation(conversation)
  })

  it('体格检查, 辅助检查 and 医嘱 stay exactly as the doctor left them, whatever the engine returns', async () => {
    store.records.saveDraft(consultationId, { physicalExam: 'T 38.2℃，咽部充血' }, doctor.id)
    const { version, sectionAuthors } = await draftConsultationRecord({ store, engine: new ScriptedEngine(modelAnswer), consultationId, model, author: doctor.id })
    expect(version.sections.physicalExam).toBe('T 38.2℃，咽部充血')
    expect(version.sections.investigations).toBeUndefined()
    expect(version.sections.orders).toBeUndefined()
    expect(JSON.stringify(version.sections)).not.toContain('模型编造')
    expect(JSON.stringify(version.sections)).not.toContain('阿莫西林')
    expect(sectionAuthors).toMatchObject({ physicalExam: 'doctor', chiefComplaint: 'model', plan: 'model' })
    // And what the model wrote, kept as provenance, has none of them either.
    const draft = store.drafts.latest(version.recordId)!
    expect(draft.model).toEqual(model)
    expect(Object.keys(draft.sections).sort()).toEqual([...modelDraftedSectionKeys, 'diagnosisCode'].sort())
  })

  it('says "未提及" for what the consultation did not cover, keeps a valid ICD-10 code, drops an invalid one', async () => {
    const { version } = await draftConsultationRecord({ store, engine: new ScriptedEngine(modelAnswer), consultationId, model, author: doctor.id })
    expect(version.sections.allergies).toBe(notMentioned)
    expect(version.sections.diagnosisCode).toBe('J06.9')
    const other = await newConsultation(conversation)
    const { version: second } = await draftConsultationRecord({
      store,
      engine: new ScriptedEngine({ ...modelAnswer, diagnosisCode: '上感' }),
      consultationId: other,
      model,
      author: doctor.id,
    })
    expect(second.sections.diagnosisCode).toBeUndefined()
  })

  it('drafting again never overwrites what the doctor wrote; each section knows its author', async () => {
    await draftConsultationRecord({ store, engine: new ScriptedEngine(modelAnswer), consultationId, model, author: doctor.id })
    const edited = store.records.latestFor(consultationId)!
    store.records.saveDraft(consultationId, { ...edited.sections, chiefComplaint: '头痛3天（医生改写）' }, doctor.id)
    const { version, sectionAuthors } = await draftConsultationRecord({
      store,
      engine: new ScriptedEngine({ ...modelAnswer, chiefComplaint: '新的模型主诉', plan: '新的处理意见' }),
      consultationId,
      model,
      author: doctor.id,
    })
    expect(version.sections.chiefComplaint).toBe('头痛3天（医生改写）')
    expect(version.sections.plan).toBe('新的处理意见')
    expect(sectionAuthors.chiefComplaint).toBe('doctor')
    expect(sectionAuthors.plan).toBe('model')
    expect(storedSectionAuthors(store, version)).toEqual(sectionAuthors)
  })

  it('progress names the section being written; an aborted draft stores nothing', async () => {
    const progress: RecordDraftProgress[] = []
    await draftConsultationRecord({ store, engine: new ScriptedEngine(modelAnswer), consultationId, model, author: doctor.id, onProgress: (p) => progress.push(p) })
    expect(progress).toEqual([{ consultationId, generatedTokens: 3, budgetTokens: 100, section: 'chiefComplaint' }])

    const other = await newConsultation(conversation)
    const controller = new AbortController()
    controller.abort()
    await expect(
      draftConsultationRecord({ store, engine: new ScriptedEngine(modelAnswer), consultationId: other, model, author: doctor.id, signal: controller.signal }),
    ).rejects.toMatchObject({ code: 'DRAFT_INCOMPLETE' })
    expect(store.records.latestFor(other)).toBeNull()
  })

  it('the audit log records the draft by ids and counts, never its text', async () => {
    const { version } = await draftConsultationRecord({ store, engine: new ScriptedEngine(modelAnswer), consultationId, model, author: doctor.id })
    const entries = store.audit.list({ entityType: 'record', entityId: String(version.recordId) }).items
    const draftEntry = entries.find((e) => e.action === 'record.model-draft')!
    expect(draftEntry).toMatchObject({ actor: doctor.id, details: { modelSha256: model.sha256, sections: 7 } })
    expect(JSON.stringify(entries)).not.toContain('头痛')
  })
})

describe('signing and amending', () => {
  it('a record without a real 主诉 or 初步诊断 cannot be signed', async () => {
    const consultationId = await newConsultation(conversation)
    const { version } = await draftConsultationRecord({
      store,
      engine: new ScriptedEngine({ ...modelAnswer, diagnosis: '' }),
      consultationId,
      model,
      author: doctor.id,
    })
    expect(version.sections.diagnosis).toBe(notMentioned)
    expect(() => signOutpatientRecord(store, version.recordId, doctor)).toThrow(expect.objectContaining({ code: 'RECORD_INCOMPLETE', detail: 'missing: diagnosis' }))
  })

  it('signing locks the draft; an amendment with a reason replaces it and both stay readable; drafting a signed record is refused', async () => {
    const consultationId = await newConsultation(conversation)
    const engine = new ScriptedEngine(modelAnswer)
    const { version } = await draftConsultationRecord({ store, engine, consultationId, model, author: doctor.id })
    const signed = signOutpatientRecord(store, version.recordId, doctor)
    expect(signed).toMatchObject({ status: 'signed', signedBy: doctor.id, contentHash: expect.stringMatching(/^[0-9a-f]{64}$/) })
    expect(() => store.records.saveDraft(consultationId, { chiefComplaint: '改' }, doctor.id)).toThrow(expect.objectContaining({ code: 'RECORD_SIGNED' }))
    const before = engine.requests.length
    await expect(draftConsultationRecord({ store, engine, consultationId, model, author: doctor.id })).rejects.toMatchObject({ code: 'RECORD_SIGNED' })
    expect(engine.requests).toHaveLength(before)

    const sections: OutpatientRecordSections = { ...signed.sections, investigations: 'CRP 24mg/L' }
    expect(() => amendOutpatientRecord(store, signed.recordId, sections, '  ', doctor)).toThrow(expect.objectContaining({ code: 'AMENDMENT_REASON_REQUIRED' }))
    const amended = amendOutpatientRecord(store, signed.recordId, sections, '补充检查结果', doctor)
    expect(amended).toMatchObject({ status: 'amended', version: 2, amendsVersionId: signed.id, amendmentReason: '补充检查结果' })
    expect(store.records.versions(signed.recordId).map((v) => [v.version, v.status, v.sections.investigations])).toEqual([
      [1, 'signed', undefined],
      [2, 'amended', 'CRP 24mg/L'],
    ])
    expect(storedSectionAuthors(store, amended)).toMatchObject({ investigations: 'doctor', chiefComplaint: 'model' })
  })
})

describe('drafting with a generated model (real grammar, engine process, 1 thread)', () => {
  let engine: LocalInferenceEngine
  // Small bounds keep random weights quick; the grammar and the budget work the same at any size.
  const limits = { chiefComplaint: 6, presentIllness: 8, pastHistory: 6, allergies: 4, diagnosis: 6, diagnosisCode: 5, plan: 6 }

  beforeAll(async () => {
    const modelPath = join(folder, 'draft.gguf')
    await writeTestModel({ out: modelPath, size: 'tiny', name: 'HuatuoGPT2-7B', seed: 21 })
    engine = await startLocalEngine({ threads: 1 })
    await engine.load({ modelPath, contextSize: 4096, sequences: 1, threads: 1 })
  })
  afterAll(() => engine?.dispose())

  it('the draft parses within its bounds (or is DRAFT_INCOMPLETE), streams progress, and leaves 体格检查/辅助检查/医嘱 untouched', async () => {
    const consultationId = await newConsultation(conversation)
    store.records.saveDraft(consultationId, { physicalExam: '咽部充血', investigations: '血常规正常' }, doctor.id)
    const progress: RecordDraftProgress[] = []
    let outcome
    try {
      outcome = await draftConsultationRecord({ store, engine, consultationId, model, author: doctor.id, limits, sampling: { seed: 3 }, onProgress: (p) => progress.push(p) })
    } catch (error) {
      expect((error as WorkstationError).code).toBe('DRAFT_INCOMPLETE')
    }
    const record = store.records.latestFor(consultationId)!
    expect(record.sections.physicalExam).toBe('咽部充血')
    expect(record.sections.investigations).toBe('血常规正常')
    expect(record.sections.orders).toBeUndefined()
    expect(progress.length).toBeGreaterThan(0)
    expect(progress.at(-1)!.budgetTokens).toBeGreaterThan(0)
    expect(progress.at(-1)!.generatedTokens).toBeGreaterThan(progress[0]!.generatedTokens - 1)
    if (outcome) {
      for (const key of modelDraftedSectionKeys) {
        expect(typeof outcome.version.sections[key]).toBe('string')
        expect(outcome.version.sections[key]!.length).toBeLessThanOrEqual(limits[key])
      }
      expect(progress.some((p) => p.section !== null)).toBe(true)
    }
  })

  it('a draft cut off by its token budget is DRAFT_INCOMPLETE and stores nothing', async () => {
    const consultationId = await newConsultation(conversation)
    await expect(
      draftConsultationRecord({ store, engine, consultationId, model, author: doctor.id, limits, sampling: { maxTokens: 4, seed: 3 } }),
    ).rejects.toMatchObject({ code: 'DRAFT_INCOMPLETE' })
    expect(store.records.latestFor(consultationId)).toBeNull()
  })

  it('the clinician can stop a draft: it ends at once and stores nothing', async () => {
    const consultationId = await newConsultation(conversation)
    const controller = new AbortController()
    const started = performance.now()
    const drafting = draftConsultationRecord({
      store,
      engine,
      consultationId,
      model,
      author: doctor.id,
      limits: { ...limits, presentIllness: 400 },
      sampling: { seed: 5 },
      signal: controller.signal,
      onProgress: () => controller.abort(),
    })
    const error = await drafting.then(
      () => null,
      (e: unknown) => e,
    )
    expect(['DRAFT_INCOMPLETE', 'REQUEST_CANCELLED']).toContain((error as WorkstationError).code)
    expect(store.records.latestFor(consultationId)).toBeNull()
    expect(performance.now() - started).toBeLessThan(20_000)
  })
})
