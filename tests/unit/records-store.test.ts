import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { StoredAnswer } from '../../electron/contract/consultation-messages.ts'
import { AnswerCheckpointer } from '../../electron/core/records/answer-checkpointer.ts'
import type { RecordStore } from '../../electron/core/records/record-store.ts'
import { codeOf, openTestStore, temporaryFolder, testClock } from './records-support.ts'
import { currentSchemaVersion } from '../../electron/core/records/schema-migrations.ts'

// The record store's rules as a clinician meets them: one row per message, pages of at most 200,
// nothing clinical deleted, notes keep their history, signed records are final.

let folder: Awaited<ReturnType<typeof temporaryFolder>>
let store: RecordStore
const clock = testClock()

function rawError(sql: string): string {
  try {
    store.connection.exec(sql)
  } catch (error) {
    return (error as Error).message
  }
  return 'no error'
}

beforeAll(async () => {
  folder = await temporaryFolder('store')
  store = await openTestStore(`${folder.path}/records.db`, { now: clock.now })
})

afterAll(async () => {
  store?.close()
  await folder?.remove()
})

describe('the database', () => {
  it('runs WAL with synchronous=FULL and foreign keys on', () => {
    const pragma = (name: string) => Object.values(store.connection.prepare(`PRAGMA ${name}`).get() as object)[0]
    expect(pragma('journal_mode')).toBe('wal')
    expect(pragma('synchronous')).toBe(2)
    expect(pragma('foreign_keys')).toBe(1)
    expect(store.schemaVersion).toBe(currentSchemaVersion)
  })
})

describe('consultations and messages', () => {
  it('stores each message as its own row, with answer status and timing', async () => {
    const patient = store.patients.register({ name: '李四', sex: 'female', ageYears: 34, clinicNumber: 'MZ0001' }, 'dr.wang')
    expect(await codeOf(() => store.patients.register({ name: '另一个人', clinicNumber: 'MZ0001' }, 'dr.wang'))).toBe('PATIENT_EXISTS')
    const consultation = store.consultations.create({ patientId: patient.id, department: '内科' }, 'dr.wang')
    store.messages.appendPatientMessage(consultation.id, '咳嗽一周，夜间加重。')
    const answer = store.messages.startAnswer(consultation.id, { modelName: 'HuatuoGPT2-7B', promptFormat: 'huatuo-ii' })
    expect(answer.status).toBe('streaming')
    const timing = { promptTokens: 120, evaluatedPromptTokens: 30, generatedTokens: 88, timeToFirstTokenMs: 210, tokensPerSecond: 17.5 }
    store.messages.finishAnswer(answer.id, { text: '考虑上呼吸道感染。', thinking: '分析……', status: 'stopped', timing })
    const rows = store.connection.prepare('SELECT count(*) AS n FROM messages WHERE consultation_id = ?').get(consultation.id) as { n: number }
    expect(rows.n).toBe(2)
    const view = store.consultations.open(consultation.id)
    expect(view.patient.clinicNumber).toBe('MZ0001')
    expect(view.consultation.modelName).toBe('HuatuoGPT2-7B')
    const stored = view.messages.items[1] as StoredAnswer
    expect(stored).toMatchObject({ role: 'model', status: 'stopped', text: '考虑上呼吸道感染。', thinking: '分析……', timing })
    expect(stored.finishedAt).not.toBeNull()
  })

  it('a finished answer is final: no more checkpoints, and the schema refuses edits', async () => {
    const patient = store.patients.register({ name: '王五' }, 'dr.wang')
    const consultation = store.consultations.create({ patientId: patient.id }, 'dr.wang')
    const answer = store.messages.appendAnswer(consultation.id, { text: '好的', status: 'complete' })
    expect(await codeOf(() => store.messages.checkpointAnswer(answer.id, 'changed'))).toBe('ANSWER_NOT_IN_PROGRESS')
    expect(await codeOf(() => store.messages.finishAnswer(answer.id, { text: 'x', status: 'complete' }))).toBe('ANSWER_NOT_IN_PROGRESS')
    expect(rawError(`UPDATE messages SET text = 'forged' WHERE id = ${answer.id}`)).toBe('MESSAGE_FINAL')
    expect(rawError(`DELETE FROM messages WHERE id = ${answer.id}`)).toBe('CLINICAL_ROW_KEPT')
  })

  it('a regenerated answer takes the old one’s place; the old one is kept', () => {
    const patient = store.patients.register({ name: '赵六' }, 'dr.wang')
    const consultation = store.consultations.create({ patientId: patient.id }, 'dr.wang')
    store.messages.appendPatientMessage(consultation.id, '头晕')
    const first = store.messages.appendAnswer(consultation.id, { text: '第一次回答', status: 'complete' })
    const second = store.messages.appendAnswer(consultation.id, { text: '重新生成的回答', status: 'complete' }, { replaces: first.id })
    expect(store.messages.list(consultation.id).items.map((m) => m.text)).toEqual(['头晕', '重新生成的回答'])
    const all = store.messages.list(consultation.id, { includeSuperseded: true }).items
    expect(all.map((m) => [m.text, m.supersededAt !== null])).toEqual([
      ['头晕', false],
      ['第一次回答', true],
      ['重新生成的回答', false],
    ])
    expect(all[2]?.replacesMessageId).toBe(first.id)
    expect(second.seq).toBe(3)
  })

  it('an answer is checkpointed at most once per interval while it streams', () => {
    const patient = store.patients.register({ name: '钱七' }, 'dr.wang')
    const consultation = store.consultations.create({ patientId: patient.id }, 'dr.wang')
    const answer = store.messages.startAnswer(consultation.id)
    let now = 0
    const checkpointer = new AnswerCheckpointer(store.messages, answer.id, { now: () => now })
    const stored = () => store.messages.get(answer.id).text
    const writes: boolean[] = []
    for (let ms = 0; ms <= 2500; ms += 100) {
      now = ms
      writes.push(checkpointer.append('字'))
    }
    // 26 tokens over 2.5 s: written at 1.0 s and 2.0 s only.
    expect(writes.filter(Boolean)).toHaveLength(2)
    expect(checkpointer.checkpoints).toBe(2)
    expect(stored()).toBe('字'.repeat(21))
    expect(checkpointer.finish({ status: 'complete' }).text).toBe('字'.repeat(26))
  })

  it('lists page by keyset cursor, never more than 200 rows, newest first, without gaps or repeats', () => {
    const patient = store.patients.register({ name: '孙八', clinicNumber: 'MZ-PAGE' }, 'dr.wang')
    const created: string[] = []
    store.transaction('test.bulk', () => {
      for (let i = 0; i < 450; i++) created.push(store.consultations.create({ patientId: patient.id, createdAt: new Date(Date.UTC(2025, 0, 1) + i * 60_000).toISOString() }, 'dr.wang').id)
    })
    const seen: string[] = []
    let cursor: string | undefined
    const sizes: number[] = []
    do {
      const page = store.consultations.list({ patientId: patient.id, limit: 1000, ...(cursor ? { cursor } : {}) })
      sizes.push(page.items.length)
      seen.push(...page.items.map((c) => c.id))
      cursor = page.nextCursor ?? undefined
    } while (cursor)
    expect(sizes).toEqual([200, 200, 50])
    expect(seen).toEqual([...created].reverse())
    expect(store.consultations.list().items).toHaveLength(50)

    const consultation = created[0] as string
    store.transaction('test.messages', () => {
      for (let i = 0; i < 230; i++) store.messages.appendPatientMessage(consultation, `第${i}条`)
    })
    const first = store.consultations.open(consultation)
    expect(first.messages.items).toHaveLength(200)
    const rest = store.messages.list(consultation, { cursor: first.messages.nextCursor as string })
    expect(rest.items.map((m) => m.seq)).toEqual(Array.from({ length: 30 }, (_, i) => 201 + i))
    expect(rest.nextCursor).toBeNull()
  })
})

describe('nothing clinical is deleted', () => {
  it('consultations go to the trash and come back', async () => {
    const patient = store.patients.register({ name: '周九' }, 'dr.wang')
    const consultation = store.consultations.create({ patientId: patient.id }, 'dr.wang')
    store.consultations.trash(consultation.id, 'dr.wang')
    expect(store.consultations.list({ patientId: patient.id }).items).toEqual([])
    expect(store.consultations.list({ patientId: patient.id, trashed: true }).items.map((c) => [c.id, c.trashedBy])).toEqual([[consultation.id, 'dr.wang']])
    expect(await codeOf(() => store.messages.appendPatientMessage(consultation.id, '还在吗'))).toBe('CONSULTATION_IN_TRASH')
    store.consultations.restore(consultation.id, 'dr.wang')
    expect(store.consultations.list({ patientId: patient.id }).items).toHaveLength(1)
    expect(rawError(`DELETE FROM consultations WHERE id = '${consultation.id}'`)).toBe('CLINICAL_ROW_KEPT')
    expect(rawError(`DELETE FROM patients WHERE id = '${patient.id}'`)).toBe('CLINICAL_ROW_KEPT')
  })

  it('editing a note keeps every earlier version', () => {
    const patient = store.patients.register({ name: '吴十' }, 'dr.wang')
    const consultation = store.consultations.create({ patientId: patient.id }, 'dr.wang')
    const note = store.notes.add(consultation.id, '血压偏高', 'dr.wang')
    const edited = store.notes.edit(note.id, '血压偏高，建议复测', 'dr.zhao')
    expect(edited).toMatchObject({ version: 2, text: '血压偏高，建议复测', author: 'dr.wang', editedBy: 'dr.zhao' })
    expect(store.notes.history(note.id).map((v) => [v.version, v.text, v.editedBy])).toEqual([
      [1, '血压偏高', 'dr.wang'],
      [2, '血压偏高，建议复测', 'dr.zhao'],
    ])
    expect(rawError(`UPDATE clinician_note_versions SET text = 'x' WHERE note_id = ${note.id}`)).toBe('CLINICAL_ROW_KEPT')
  })
})

describe('outpatient records', () => {
  it('a draft is edited, signed, then final: RECORD_SIGNED for edits, deletion and raw SQL; amended with a reason', async () => {
    const patient = store.patients.register({ name: '郑十一' }, 'dr.wang')
    const consultation = store.consultations.create({ patientId: patient.id, department: '神经内科' }, 'dr.wang')
    const draft = store.records.saveDraft(consultation.id, { chiefComplaint: '头痛3天' }, 'dr.wang')
    const edited = store.records.saveDraft(consultation.id, { chiefComplaint: '头痛3天', allergies: '无', diagnosis: '偏头痛' }, 'dr.wang')
    expect(edited).toMatchObject({ recordId: draft.recordId, version: 1, status: 'draft', contentHash: null })
    expect(await codeOf(() => store.exports.log(edited.id, { format: 'fhir', destination: '/tmp/x.json', contentHash: 'h' }, 'dr.wang'))).toBe('RECORD_NOT_SIGNED')
    expect(await codeOf(() => store.records.signedVersion({ recordVersionId: edited.id }))).toBe('RECORD_NOT_SIGNED')
    expect(await codeOf(() => store.records.signedVersion({ recordId: draft.recordId }))).toBe('RECORD_NOT_SIGNED')

    const signed = store.records.sign(draft.recordId, 'dr.wang')
    expect(signed).toMatchObject({ status: 'signed', signedBy: 'dr.wang' })
    expect(signed.contentHash).toMatch(/^[0-9a-f]{64}$/)
    expect(store.consultations.get(consultation.id).status).toBe('signed')
    expect(await codeOf(() => store.records.saveDraft(consultation.id, { chiefComplaint: '改' }, 'dr.wang'))).toBe('RECORD_SIGNED')
    expect(await codeOf(() => store.records.sign(draft.recordId, 'dr.wang'))).toBe('RECORD_SIGNED')
    expect(await codeOf(() => store.records.delete(draft.recordId))).toBe('RECORD_SIGNED')
    expect(rawError(`UPDATE outpatient_record_versions SET sections = '{}' WHERE id = ${signed.id}`)).toBe('RECORD_SIGNED')
    expect(rawError(`DELETE FROM outpatient_record_versions WHERE id = ${signed.id}`)).toBe('RECORD_SIGNED')

    expect(await codeOf(() => store.records.amend(draft.recordId, { chiefComplaint: '头痛5天' }, '  ', 'dr.wang'))).toBe('AMENDMENT_REASON_REQUIRED')
    const amended = store.records.amend(draft.recordId, { ...signed.sections, chiefComplaint: '头痛5天' }, '病程记录有误', 'dr.li')
    expect(amended).toMatchObject({ version: 2, status: 'amended', amendsVersionId: signed.id, amendmentReason: '病程记录有误', signedBy: 'dr.li' })
    // Read as the signed record: by id, or by record and version number (the newest without one).
    expect(store.records.signedVersion({ recordVersionId: amended.id })).toEqual(amended)
    expect(store.records.signedVersion({ recordId: draft.recordId })).toEqual(amended)
    expect(store.records.signedVersion({ recordId: draft.recordId, version: 1 })).toEqual(signed)
    expect(await codeOf(() => store.records.signedVersion({ recordId: draft.recordId, version: 3 }))).toBe('RECORD_NOT_FOUND')
    expect(store.records.versions(draft.recordId).map((v) => [v.version, v.status, v.sections.chiefComplaint])).toEqual([
      [1, 'signed', '头痛3天'],
      [2, 'amended', '头痛5天'],
    ])
    // Search shows the record as it now reads.
    expect(store.search.search({ query: '头痛5天' }).hits.map((h) => h.recordId)).toEqual([draft.recordId])
    expect(store.search.search({ query: '头痛3天' }).hits).toEqual([])

    const exported = store.exports.log(amended.id, { format: 'fhir', destination: '/exports/郑十一.json', contentHash: 'abc' }, 'dr.li')
    expect(store.exports.list(amended.id)).toEqual([exported])
    const entry = store.audit.list({ limit: 1 }).items[0]
    expect(entry).toMatchObject({ actor: 'dr.li', action: 'record.export', entityType: 'record', entityId: String(draft.recordId) })
    expect(JSON.stringify(entry)).not.toContain('郑十一')
  })

  it('red flags are raised on a message and acknowledged by a clinician', () => {
    const patient = store.patients.register({ name: '冯十二' }, 'dr.wang')
    const consultation = store.consultations.create({ patientId: patient.id }, 'dr.wang')
    const message = store.messages.appendPatientMessage(consultation.id, '突然胸痛，喘不上气')
    const flag = store.redFlags.raise(message.id, { category: 'chest-pain', level: 'emergency', matchedWords: ['胸痛'], ruleVersion: 'triage-1' })
    expect(flag).toMatchObject({ consultationId: consultation.id, messageId: message.id, acknowledgedBy: null })
    const acknowledged = store.redFlags.acknowledge(flag.id, 'dr.wang')
    expect(acknowledged.acknowledgedBy).toBe('dr.wang')
    expect(store.consultations.open(consultation.id).redFlags).toEqual([acknowledged])
  })
})

describe('the audit log', () => {
  it('names who acted and never holds clinical text', async () => {
    const clinical = ['李四', '咳嗽一周', '考虑上呼吸道感染', '血压偏高', '头痛3天', '病程记录有误', '胸痛', '郑十一']
    const audit = store.connection.prepare('SELECT actor, action, entity_type, entity_id, details FROM audit_entries').all()
    expect(audit.length).toBeGreaterThan(20)
    const text = JSON.stringify(audit)
    for (const word of clinical) expect(text).not.toContain(word)
    expect(new Set(audit.map((row) => row['actor']))).toEqual(new Set(['system', 'dr.wang', 'dr.zhao', 'dr.li']))
    expect(await codeOf(() => store.patients.register({ name: 'x' }, 'not a valid id!'))).toBe('ACTOR_REQUIRED')
    expect(store.audit.verify()).toEqual({ ok: true, entriesChecked: audit.length, firstBroken: null })
  })
})
