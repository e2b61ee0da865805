import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ConsultationOpened, Reply, WorkstationEvent } from '../../electron/contract/channels.ts'
import type { ConsultationMessage, ConsultationTurn } from '../../electron/contract/consultation-messages.ts'
import type { Page } from '../../electron/contract/paging.ts'
import type { LibraryModel, ModelImportCandidates } from '../../electron/contract/models.ts'
import type { RecordExportOutcome } from '../../electron/contract/outpatient-record.ts'
import { triagePatientMessage } from '../../electron/core/clinical/triage/triage.ts'
import { readHospitalConfig } from '../../electron/core/config/hospital-config.ts'
import { writeTestModel } from '../../electron/core/models/test-model.ts'
import { openRecordStore } from '../../electron/core/records/record-store.ts'
import { Workstation, type WorkstationOptions } from '../../electron/core/workstation.ts'

// The composition root as the window uses it: every request through `invoke`, with the real
// engine process, the record store and the triage rules.

let dir: string
let workstation: Workstation
/** The options the workstation was opened with: a test plays the app's open and save dialogs through them. */
let options: WorkstationOptions
const events: WorkstationEvent[] = []

function value<T>(reply: Reply<unknown>): T {
  if (!reply.ok) throw new Error(`${reply.error.code}: ${reply.error.detail ?? reply.error.message}`)
  return reply.value as T
}

async function call<T>(name: string, input: unknown = {}): Promise<T> {
  return value<T>(await workstation.invoke(name, input))
}

async function messagesOf(consultationId: string): Promise<ConsultationMessage[]> {
  return (await call<Page<ConsultationMessage>>('consultation.messages', { consultationId })).items
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'huatuo-workstation-'))
  // The hospital's import folder, where the window picks a model by name.
  const importDir = join(dir, 'import')
  await mkdir(importDir)
  const modelPath = join(importDir, 'tiny.gguf')
  // Answers run to their token limit, so an answer can be cut half-way on purpose.
  await writeTestModel({ out: modelPath, size: 'tiny', name: 'HuatuoGPT2-7B', seed: 41, endsAnswers: false })
  await writeFile(join(dir, 'hospital.json'), JSON.stringify({ importDir }))
  const config = await readHospitalConfig(join(dir, 'hospital.json'), { HUATUO_DATA_DIR: join(dir, 'data') })
  options = {
    config,
    about: { name: 'Huatuo Workstation', version: 'test', electron: '', node: process.versions.node },
    databasePath: join(dir, 'data', 'records.db'),
    triage: triagePatientMessage,
    threads: 1,
    shell: {},
  }
  workstation = await Workstation.open(options)
  workstation.onEvent((event) => events.push(event))
  // A new workstation's first start: its first account, here a doctor who is also the admin.
  const session = await call<{ state: string }>('session.firstAdmin', { staffId: 'D0001', name: '李医生', roles: ['doctor', 'admin'], pin: '482915' })
  expect(session.state).toBe('active')
  const { model } = await call<{ model: LibraryModel }>('model.import', { candidate: 'tiny.gguf' })
  await call('model.load', { modelId: model.id, contextSize: 2048 })
})

afterAll(async () => {
  await workstation?.dispose()
  await rm(dir, { recursive: true, force: true })
})

describe('a consultation through the workstation', () => {
  it('stores the patient message with its red flags before the model answers, then the answer with its timing', async () => {
    const patient = await call<{ id: string }>('patient.register', { name: '王五', sex: 'male', ageYears: 58, clinicNumber: 'MZ-2026-001' })
    const opened = await call<ConsultationOpened>('consultation.open', { patientId: patient.id, department: '急诊科' })
    const turn = await call<ConsultationTurn>('consultation.send', {
      consultationId: opened.consultationId,
      answerId: 'w-1',
      text: '胸口压着疼了半个小时，出冷汗，左胳膊也麻',
      sampling: { maxTokens: 40, seed: 1 },
    })
    expect(turn.status).toBe('complete')
    expect(turn.redFlags.map((flag) => [flag.category, flag.level])).toContainEqual(['chest-pain', 'emergency'])
    expect(turn.redFlags[0]!.matchedWords.length).toBeGreaterThan(0)

    const [asked, answered] = await messagesOf(opened.consultationId)
    expect(asked).toMatchObject({ id: turn.patientMessageId, role: 'patient', status: 'complete' })
    expect(answered).toMatchObject({ id: turn.answerMessageId, role: 'model', status: 'complete', text: turn.text })
    expect(answered?.role === 'model' ? answered.timing?.generatedTokens : 0).toBe(turn.timing.generatedTokens)
    expect(events.some((event) => event.type === 'consultation.delta' && event.answerId === 'w-1')).toBe(true)
    // The stored red flags went to the window before the first word of the answer.
    const flagged = events.findIndex((event) => event.type === 'consultation.red-flags' && event.answerId === 'w-1')
    const firstDelta = events.findIndex((event) => event.type === 'consultation.delta' && event.answerId === 'w-1')
    expect(flagged).toBeGreaterThanOrEqual(0)
    expect(flagged).toBeLessThan(firstDelta)
    expect(events[flagged]).toMatchObject({ messageId: turn.patientMessageId, redFlags: turn.redFlags })

    // Found by search, and the flag is there to acknowledge.
    const hits = await call<{ hits: { messageId: number | null }[] }>('records.search', { query: '冷汗' })
    expect(hits.hits.map((hit) => hit.messageId)).toEqual([turn.patientMessageId])
    const acknowledged = await call<{ acknowledgedBy: string | null }>('redflag.acknowledge', { flagId: turn.redFlags[0]!.id })
    expect(acknowledged.acknowledgedBy).toBe('D0001')
  })

  it('a message with nothing urgent raises no flag', async () => {
    const opened = await call<ConsultationOpened>('consultation.open', {})
    const turn = await call<ConsultationTurn>('consultation.send', {
      consultationId: opened.consultationId,
      answerId: 'w-2',
      text: '孩子八岁，昨天发烧38度，今天精神很好，能吃能玩',
      sampling: { maxTokens: 8 },
    })
    expect(turn.redFlags).toEqual([])
    expect(opened.patient.name).toBe('未登记病人')
  })

  it('a regenerated answer and an edited message keep what they replace, marked superseded', async () => {
    const { consultationId } = await call<ConsultationOpened>('consultation.open', {})
    await call('consultation.send', { consultationId, answerId: 'r-1', text: '头痛三天', sampling: { maxTokens: 8, seed: 1 } })
    await call('consultation.send', { consultationId, answerId: 'r-2', text: '还有点恶心', sampling: { maxTokens: 8, seed: 1 } })
    const regenerated = await call<ConsultationTurn>('consultation.regenerate', { consultationId, answerId: 'r-3', sampling: { maxTokens: 8, seed: 2 } })
    expect((await messagesOf(consultationId)).map((m) => m.text)).toEqual(['头痛三天', expect.any(String), '还有点恶心', regenerated.text])

    const edited = await call<ConsultationTurn>('consultation.edit', { consultationId, answerId: 'r-4', patientMessageIndex: 0, text: '头痛五天', sampling: { maxTokens: 8 } })
    const current = await messagesOf(consultationId)
    expect(current.map((m) => m.text)).toEqual(['头痛五天', edited.text])
    const all = value<Page<ConsultationMessage>>(await workstation.invoke('consultation.messages', { consultationId }))
    expect(all.items).toHaveLength(2)
    // The replaced messages are still in the record.
    const store = await openRecordStore({ path: join(dir, 'data', 'records.db'), readOnly: true })
    try {
      const everything = store.messages.list(consultationId, { includeSuperseded: true }).items
      expect(everything.filter((m) => m.supersededAt !== null).map((m) => m.role)).toEqual(['patient', 'model', 'patient', 'model', 'model'])
    } finally {
      store.close()
    }
  })

  it('an engine crash mid-answer stores the answer as interrupted with its text so far; a restart carries on', async () => {
    const { consultationId } = await call<ConsultationOpened>('consultation.open', {})
    const status = await call<{ state: string; local: { enginePid?: number } | null }>('model.status')
    expect(status.state).toBe('ready')
    const killOnFirstDelta = workstation.onEvent((event) => {
      if (event.type === 'consultation.delta' && event.consultationId === consultationId) {
        killOnFirstDelta()
        process.kill(status.local!.enginePid!, 'SIGKILL')
      }
    })
    const turn = await call<ConsultationTurn>('consultation.send', { consultationId, answerId: 'c-1', text: '咳嗽一周', sampling: { maxTokens: 1500, seed: 3 } })
    expect(turn.status).toBe('interrupted')
    expect(turn.error?.code).toBe('MODEL_CRASHED')
    const stored = (await messagesOf(consultationId)).at(-1)!
    expect(stored).toMatchObject({ role: 'model', status: 'interrupted', text: turn.text })

    expect((await call<{ state: string }>('model.restart')).state).toBe('ready')
    const next = await call<ConsultationTurn>('consultation.send', { consultationId, answerId: 'c-2', text: '现在好一些了', sampling: { maxTokens: 8 } })
    expect(next.status).toBe('complete')
    expect((await messagesOf(consultationId)).map((m) => m.role)).toEqual(['patient', 'model', 'patient', 'model'])
  })
})

describe('the outpatient record through the workstation', () => {
  it('the doctor writes, the model drafts only its sections, signing needs the PIN, and a signed version exports once per file', async () => {
    const { consultationId } = await call<ConsultationOpened>('consultation.open', {})
    await call('consultation.send', { consultationId, answerId: 'rec-1', text: '头痛三天，伴低热', sampling: { maxTokens: 16, seed: 1 } })
    await call('record.save', { consultationId, sections: { physicalExam: 'T 37.8℃，颈软', orders: '布洛芬 0.3g 口服 必要时' } })
    const drafted = await call<{ version: { recordId: number; sections: Record<string, string> }; sectionAuthors: Record<string, string> }>('record.draft', { consultationId })
    // What the doctor examined and ordered stays the doctor's; the model wrote its own sections.
    expect(drafted.version.sections['physicalExam']).toBe('T 37.8℃，颈软')
    expect(drafted.version.sections['orders']).toBe('布洛芬 0.3g 口服 必要时')
    expect(typeof drafted.version.sections['chiefComplaint']).toBe('string')

    const recordId = drafted.version.recordId
    await call('record.save', { consultationId, sections: { ...drafted.version.sections, chiefComplaint: '头痛3天，伴低热1天', diagnosis: '紧张型头痛' } })
    expect(await workstation.invoke('record.sign', { recordId, pin: '000000' })).toMatchObject({ ok: false, error: { code: 'PIN_WRONG' } })
    const signed = await call<{ version: { id: number; status: string }; signature: { staffId: string; certified: boolean } }>('record.sign', { recordId, pin: '482915' })
    expect(signed.version.status).toBe('signed')
    expect(signed.signature).toMatchObject({ staffId: 'D0001', certified: false })
    expect(await workstation.invoke('record.save', { consultationId, sections: { diagnosis: '偏头痛' } })).toMatchObject({ ok: false, error: { code: 'RECORD_SIGNED' } })

    // No path from the window: a destination in the request is refused before anything is read.
    const planted = join(dir, 'authorized_keys')
    expect(await workstation.invoke('export.run', { recordVersionId: signed.version.id, format: 'md', destination: planted })).toMatchObject({
      ok: false,
      error: { code: 'CONTRACT_INVALID_INPUT' },
    })
    await expect(readFile(planted)).rejects.toMatchObject({ code: 'ENOENT' })

    // Without a save dialog (the browser host): the bytes come back for the page to save, logged.
    const download = await call<RecordExportOutcome>('export.run', { recordVersionId: signed.version.id, format: 'md' })
    if (download.outcome !== 'download') throw new Error(download.outcome)
    expect(download.fileName).toMatch(/^门诊病历-.*\.md$/)
    expect(download.mediaType).toBe('text/markdown; charset=utf-8')
    expect(Buffer.from(download.base64, 'base64').toString('utf8')).toContain('紧张型头痛')
    expect(download.export.destination).toBe(`download:${download.fileName}`)
    expect(download.auditChainHead).toMatch(/^[0-9a-f]{64}$/)

    // In the app: where the clinician chose in the save dialog; a cancelled dialog writes and logs nothing.
    const suggestions: string[] = []
    const destination = join(dir, 'exports', 'chosen.md')
    await mkdir(join(dir, 'exports'))
    options.shell!.chooseExportFile = async ({ fileName }) => (suggestions.push(fileName), null)
    expect(await call<RecordExportOutcome>('export.run', { recordVersionId: signed.version.id, format: 'md' })).toEqual({ outcome: 'cancelled' })
    options.shell!.chooseExportFile = async ({ fileName }) => (suggestions.push(fileName), destination)
    const saved = await call<RecordExportOutcome>('export.run', { recordVersionId: signed.version.id, format: 'md' })
    expect(saved).toMatchObject({ outcome: 'saved', path: destination, fileName: 'chosen.md' })
    expect(suggestions).toEqual([download.fileName, download.fileName])
    expect(await readFile(destination, 'utf8')).toContain('紧张型头痛')
    expect(await workstation.invoke('export.run', { recordVersionId: signed.version.id, format: 'md' })).toMatchObject({
      ok: false,
      error: { code: 'EXPORT_TARGET_EXISTS' },
    })
    delete options.shell!.chooseExportFile
  })
})

describe('a read for the operator of a one-shot command (the CLI)', () => {
  it('serves queries without a clinician session, logged under the operator; never a command', async () => {
    const found = await workstation.invokeAsOperator('os:it-wang', 'records.search', { query: '头痛' })
    expect(found.ok).toBe(true)
    expect(await workstation.invokeAsOperator('os:it-wang', 'consultation.open', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    expect(await workstation.invokeAsOperator('os:it-wang', 'export.run', { recordId: 1, format: 'md' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    const store = await openRecordStore({ path: join(dir, 'data', 'records.db'), readOnly: true })
    try {
      await new Promise((resolve) => setTimeout(resolve, 1200))
      const access = store.audit.list({ limit: 50 }).items.filter((entry) => entry.action === 'access.search' && entry.actor === 'os:it-wang')
      expect(access).toHaveLength(1)
    } finally {
      store.close()
    }
  })
})

describe('model files the window may import', () => {
  it('are the import folder\'s own .gguf files, named, never a path or a link out of it', async () => {
    await symlink('/etc/passwd', join(dir, 'import', 'linked.gguf'))
    await writeFile(join(dir, 'import', 'notes.txt'), 'not a model')
    const offered = await call<ModelImportCandidates>('model.importCandidates')
    expect(offered).toMatchObject({ folderConfigured: true, files: [{ fileName: 'tiny.gguf' }] })
    for (const candidate of ['../tiny.gguf', '/etc/passwd', 'sub/tiny.gguf', '..\\tiny.gguf', 'tiny.gguf\u0000.gguf']) {
      expect(await workstation.invoke('model.import', { candidate }), candidate).toMatchObject({ ok: false, error: { code: 'CONTRACT_INVALID_INPUT' } })
    }
    expect(await workstation.invoke('model.import', { path: join(dir, 'import', 'tiny.gguf') })).toMatchObject({ ok: false, error: { code: 'CONTRACT_INVALID_INPUT' } })
    expect(await workstation.invoke('model.import', { candidate: 'linked.gguf' })).toMatchObject({ ok: false, error: { code: 'IMPORT_FILE_NOT_OFFERED' } })
    expect(await workstation.invoke('model.import', { candidate: 'missing.gguf' })).toMatchObject({ ok: false, error: { code: 'IMPORT_FILE_NOT_OFFERED' } })
    // The browser host has no open dialog: naming no file there says what to do.
    expect(await workstation.invoke('model.import', {})).toMatchObject({ ok: false, error: { code: 'IMPORT_FOLDER_UNSET' } })
    // In the app the clinician picks the file in the open dialog, or cancels.
    options.shell!.chooseModelFile = async () => null
    expect(await call('model.import', {})).toEqual({ outcome: 'cancelled' })
    options.shell!.chooseModelFile = async () => join(dir, 'import', 'tiny.gguf')
    expect(await call('model.import', {})).toMatchObject({ outcome: 'imported', alreadyPresent: true })
    delete options.shell!.chooseModelFile
  })
})

describe("the hospital's preselected model", () => {
  it('is loaded by id prefix or SHA-256 when the workstation starts', async () => {
    const models = await call<{ id: string; sha256: string }[]>('model.list')
    const config = await readHospitalConfig(join(dir, 'no-hospital.json'), { HUATUO_DATA_DIR: join(dir, 'data') })
    const second = await Workstation.open({
      config: { ...config, preselectedModel: models[0]!.sha256 },
      about: { name: 'Huatuo Workstation', version: 'test', electron: '', node: process.versions.node },
      databasePath: join(dir, 'data', 'second.db'),
      triage: triagePatientMessage,
      threads: 1,
    })
    try {
      expect((await second.loadPreselectedModel())?.local?.modelPath).toContain(models[0]!.id)
    } finally {
      await second.dispose()
    }
  })
})

describe('malformed requests', () => {
  it('a request name that cannot even be printed is refused as unknown, not as an internal error', async () => {
    // fast-check found this one: String({toString: false}) throws.
    expect(await workstation.invoke({ toString: false }, {})).toMatchObject({ ok: false, error: { code: 'CONTRACT_UNKNOWN_REQUEST' } })
    expect(await workstation.invoke(Object.create(null), {})).toMatchObject({ ok: false, error: { code: 'CONTRACT_UNKNOWN_REQUEST' } })
  })
})

describe('sessions and roles on every clinical request', () => {
  it('a locked workstation serves no patient data until the PIN is entered again', async () => {
    await call('session.lock')
    const refused = await workstation.invoke('consultation.list', {})
    expect(refused).toMatchObject({ ok: false, error: { code: 'SESSION_LOCKED' } })
    expect(await workstation.invoke('session.unlock', { pin: '000000' })).toMatchObject({ ok: false, error: { code: 'PIN_WRONG' } })
    expect((await call<{ state: string }>('session.unlock', { pin: '482915' })).state).toBe('active')
    expect((await workstation.invoke('consultation.list', {})).ok).toBe(true)
  })

  it('a nurse holds consultations and takes notes, but manages no accounts; signed out, nothing is served', async () => {
    await call('accounts.add', { staffId: 'N0001', name: '王护士', roles: ['nurse'], department: '分诊台', pin: '739104' })
    const nurse = await call<{ state: string; pinChangeRequired: boolean }>('session.switchUser', { staffId: 'N0001', pin: '739104' })
    expect(nurse.state).toBe('active')
    if (nurse.pinChangeRequired) await call('session.changePin', { currentPin: '739104', newPin: '560382' })
    const { consultationId } = await call<ConsultationOpened>('consultation.open', {})
    expect((await workstation.invoke('note.add', { consultationId, text: '已测血压 150/95' })).ok).toBe(true)
    expect(await workstation.invoke('accounts.list', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    expect(await workstation.invoke('consultation.trash', { consultationId })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    expect(await workstation.invoke('record.draft', { consultationId })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    expect(await workstation.invoke('record.sign', { recordId: 1, pin: '560382' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })

    await call('session.signOut')
    expect(await workstation.invoke('consultation.messages', { consultationId })).toMatchObject({ ok: false, error: { code: 'NOT_SIGNED_IN' } })
    expect((await workstation.invoke('app.about', {})).ok).toBe(true)
    await call('session.signIn', { staffId: 'D0001', pin: '482915' })
  })
})
