import { createHash } from 'node:crypto'
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Bundle, Composition } from '@medplum/fhirtypes'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DraftingModel, ExportFormat, PaperSize } from '../../electron/contract/outpatient-record.ts'
import { draftConsultationRecord } from '../../electron/core/clinical/outpatient-record/record-drafting.ts'
import { amendOutpatientRecord, signOutpatientRecord } from '../../electron/core/clinical/outpatient-record/record-signing.ts'
import { storedRecordFile } from '../../electron/core/clinical/outpatient-record/stored-record-file.ts'
import type { PdfRenderer } from '../../electron/core/export/pdf-renderer.ts'
import { exportSignedRecord, type StoredRecordExportContext } from '../../electron/core/export/stored-record-export.ts'
import { openRecordStore, type RecordStore } from '../../electron/core/records/record-store.ts'
import { clinicTimeZone, identifierSystems } from './outpatient-record-support.ts'

// Exporting from the record store: only signed or amended versions, written atomically, never over an
// existing file, and every export logged in the exports table and the hash-chained audit log.

const model: DraftingModel = { name: 'HuatuoGPT2-7B', quantization: 'Q4_K_M', sha256: 'f'.repeat(64), promptFormat: 'huatuo-ii', engine: 'local', server: null }
const doctor = { id: 'dr-wang', name: '王芳' }
const fakePdf: PdfRenderer = { render: async () => new TextEncoder().encode('%PDF-1.7 test'), close: async () => {} }
type TestContext = Omit<StoredRecordExportContext, 'pdfRenderer'> & { pdfRenderer?: PdfRenderer }
const context: TestContext = {
  clinicName: '华佗社区卫生服务中心',
  clinicianName: (id) => (id === doctor.id ? doctor.name : null),
  identifierSystems,
  timeZone: clinicTimeZone,
  pdfRenderer: fakePdf,
}

/** The one export path, to a chosen file, as the app's save dialog or `huatuo export --out` gives it. */
async function exportStoredRecord(
  target: RecordStore,
  request: { recordVersionId: number; format: ExportFormat; destination: string; paper?: PaperSize; actor: string },
  options: TestContext,
) {
  const { pdfRenderer, ...rest } = options
  const result = await exportSignedRecord(
    target,
    { which: { recordVersionId: request.recordVersionId }, format: request.format, ...(request.paper ? { paper: request.paper } : {}), actor: request.actor, destination: async () => ({ file: request.destination }) },
    { ...rest, ...(pdfRenderer ? { pdfRenderer: async () => pdfRenderer } : {}) },
  )
  if (result.outcome !== 'saved') throw new Error(result.outcome)
  return result
}

let folder: string
let out: string
let store: RecordStore
let consultationId: string
let recordId: number

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex')

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'huatuo-export-store-'))
  out = join(folder, 'out')
  await import('node:fs/promises').then((fs) => fs.mkdir(out))
  store = await openRecordStore({ path: join(folder, 'records.db'), scheduledBackups: false })
  const patient = store.patients.register({ name: '赵敏', sex: 'female', ageYears: 34, clinicNumber: 'MZ0001' }, doctor.id)
  consultationId = store.consultations.create({ patientId: patient.id, department: '内科' }, doctor.id).id
  const message = store.messages.appendPatientMessage(consultationId, '胸口压着疼，出冷汗')
  store.redFlags.raise(message.id, { category: 'chest-pain', level: 'emergency', matchedWords: ['胸口压着疼'], ruleVersion: 'test-1' })
  store.messages.appendAnswer(consultationId, { text: '请立即拨打120。', status: 'complete' })
  const engine = {
    generateStructured: async () => ({
      value: {
        chiefComplaint: { text: '胸痛伴出汗1小时', sources: [1] },
        presentIllness: { text: '1小时前出现胸口压榨样疼痛，伴出冷汗。', sources: [1] },
        pastHistory: { text: '未提及', sources: [] },
        allergies: { text: '未提及', sources: [] },
        diagnosis: { text: '胸痛待查', sources: [1] },
        diagnosisCode: 'R07.4',
        plan: { text: '立即转急诊', sources: [] },
      },
      text: '',
      timing: { promptTokens: 1, evaluatedPromptTokens: 1, generatedTokens: 1, timeToFirstTokenMs: 1, tokensPerSecond: 1 },
    }),
  }
  const { version } = await draftConsultationRecord({ store, engine, consultationId, model, author: doctor.id })
  recordId = version.recordId
  store.records.saveDraft(consultationId, { ...version.sections, physicalExam: 'BP 150/95mmHg，心率 110次/分', orders: '心电图；急诊科就诊' }, doctor.id)
})
afterAll(async () => {
  store.close()
  await rm(folder, { recursive: true, force: true })
})

function latestVersionId(): number {
  return store.records.versions(recordId).at(-1)!.id
}

describe('exporting from the record store', () => {
  it('a draft is refused before anything is written or logged', async () => {
    const request = { recordVersionId: latestVersionId(), format: 'md' as const, destination: join(out, 'draft.md'), actor: doctor.id }
    await expect(exportStoredRecord(store, request, context)).rejects.toMatchObject({ code: 'RECORD_NOT_SIGNED' })
    expect(await readdir(out)).toEqual([])
    expect(store.exports.list(latestVersionId())).toEqual([])
  })

  it('the stored record as a whole: header, provenance, red flags, who wrote each section', () => {
    signOutpatientRecord(store, recordId, doctor)
    const record = storedRecordFile(store, latestVersionId(), context)
    expect(record).toMatchObject({
      id: `${consultationId}-v1`,
      clinic: { name: '华佗社区卫生服务中心' },
      department: '内科',
      patient: { id: 'MZ0001', name: '赵敏', sex: 'female', age: 34 },
      visit: { id: consultationId },
      doctor,
      model,
      status: 'signed',
      redFlags: [{ category: 'chest-pain', level: 'emergency', matched: ['胸口压着疼'] }],
    })
    expect(record.sectionAuthors).toMatchObject({ chiefComplaint: 'model', physicalExam: 'doctor', orders: 'doctor', diagnosis: 'model' })
    expect(record.sections.diagnosisCode).toBe('R07.4')
  })

  it('writes the file, logs it in the exports table and the audit log, and reports the chain head', async () => {
    const destination = join(out, 'record.json')
    const result = await exportStoredRecord(store, { recordVersionId: latestVersionId(), format: 'fhir', destination, actor: doctor.id }, context)
    const bytes = await readFile(destination)
    expect(result).toMatchObject({ path: destination, bytes: bytes.byteLength, contentHash: sha256(bytes) })
    const bundle = JSON.parse(bytes.toString('utf8')) as Bundle
    expect(bundle.type).toBe('document')
    expect(store.exports.list(latestVersionId())).toEqual([
      expect.objectContaining({ id: result.export.id, format: 'fhir', destination, contentHash: sha256(bytes), exportedBy: doctor.id }),
    ])
    const newest = store.audit.list({ limit: 1 }).items[0]!
    expect(newest).toMatchObject({ action: 'record.export', actor: doctor.id, details: { exportId: result.export.id, format: 'fhir', version: 1 } })
    expect(result.auditChainHead).toBe(newest.hash)
    expect(store.audit.verify().ok).toBe(true)
    // The audit log holds ids and codes: no path, no name, no clinical text.
    const audit = JSON.stringify(store.audit.list({ limit: 200 }).items)
    for (const text of ['赵敏', '胸痛', 'record.json', out]) expect(audit).not.toContain(text)
  })

  it('never overwrites: an existing file is left exactly as it was, nothing is logged, no temporary file is left', async () => {
    const destination = join(out, 'existing.txt')
    await writeFile(destination, 'the clinic’s own file')
    const before = store.exports.list(latestVersionId()).length
    await expect(exportStoredRecord(store, { recordVersionId: latestVersionId(), format: 'txt', destination, actor: doctor.id }, context)).rejects.toMatchObject({
      code: 'EXPORT_TARGET_EXISTS',
    })
    expect(await readFile(destination, 'utf8')).toBe('the clinic’s own file')
    expect(store.exports.list(latestVersionId())).toHaveLength(before)
    expect((await readdir(out)).filter((name) => name.endsWith('.partial'))).toEqual([])
  })

  it('a folder that does not exist is OUTPUT_UNWRITABLE, with no path in the error', async () => {
    const destination = join(out, 'missing-folder', '赵敏.md')
    const error = await exportStoredRecord(store, { recordVersionId: latestVersionId(), format: 'md', destination, actor: doctor.id }, context).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'OUTPUT_UNWRITABLE', detail: 'export: ENOENT' })
  })

  it('when logging fails the written file is removed again: no file exists that the log does not know', async () => {
    const destination = join(out, 'unlogged.md')
    const failing = { ...store, exports: { ...store.exports, log: () => { throw new Error('disk gone') } } } as unknown as RecordStore
    await expect(exportStoredRecord(failing, { recordVersionId: latestVersionId(), format: 'md', destination, actor: doctor.id }, context)).rejects.toThrow('disk gone')
    expect(await readdir(out)).not.toContain('unlogged.md')
  })

  it('bytes for the page or standard output are logged as such; a cancelled save dialog writes and logs nothing', async () => {
    const before = store.exports.list(latestVersionId()).length
    const offered: string[] = []
    const cancelled = await exportSignedRecord(
      store,
      { which: { recordId }, format: 'md', actor: doctor.id, destination: async (fileName) => (offered.push(fileName), null) },
      { ...context, pdfRenderer: async () => fakePdf },
    )
    expect(cancelled).toEqual({ outcome: 'cancelled' })
    expect(store.exports.list(latestVersionId())).toHaveLength(before)
    // The name offered carries the clinic number and the visit date, never the patient's name.
    expect(offered[0]).toMatch(/^门诊病历-MZ0001-\d{8}\.md$/)
    for (const where of ['download', 'stdout'] as const) {
      const sent = await exportSignedRecord(store, { which: { recordId }, format: 'md', actor: doctor.id, destination: async () => ({ bytes: where }) }, { ...context, pdfRenderer: async () => fakePdf })
      if (sent.outcome !== 'bytes') throw new Error(sent.outcome)
      expect(new TextDecoder().decode(sent.content)).toContain('胸痛伴出汗1小时')
      expect(sent.export.destination).toBe(where === 'download' ? `download:${offered[0]}` : 'stdout')
      expect(sent.contentHash).toBe(sha256(sent.content))
    }
    expect(store.exports.list(latestVersionId())).toHaveLength(before + 2)
  })

  it('the signature as clinician accounts keep it: the name at signing, and what kind of signature it is', async () => {
    const statement = '本签名为医生在本工作站输入 PIN 确认的签名，不是 CA 认证的可靠电子签名。'
    const withSignature = { ...context, signatureOf: () => ({ name: '王芳（主治医师）', statement }) }
    const destination = join(out, 'signature.txt')
    await exportStoredRecord(store, { recordVersionId: latestVersionId(), format: 'txt', destination, actor: doctor.id }, withSignature)
    const text = await readFile(destination, 'utf8')
    expect(text).toContain('医师：王芳（主治医师）　签名时间：')
    expect(text).toContain(`签名说明：${statement}`)
  })

  it('PDF goes through the renderer behind the interface, A5 when asked', async () => {
    const papers: string[] = []
    const recording: PdfRenderer = { render: async (html, paper) => (papers.push(paper), new TextEncoder().encode(`%PDF ${html.length}`)), close: async () => {} }
    const destination = join(out, 'record.pdf')
    await exportStoredRecord(store, { recordVersionId: latestVersionId(), format: 'pdf', destination, paper: 'a5', actor: doctor.id }, { ...context, pdfRenderer: recording })
    expect(papers).toEqual(['a5'])
    expect((await readFile(destination, 'latin1')).startsWith('%PDF')).toBe(true)
  })

  it('an amendment exports as a new version that replaces the earlier one; the earlier one still exports', async () => {
    const signed = store.records.versions(recordId).at(-1)!
    amendOutpatientRecord(store, recordId, { ...signed.sections, investigations: '心电图：窦性心动过速' }, '补充心电图结果', doctor)
    const amended = store.records.versions(recordId).at(-1)!
    const destination = join(out, 'amended.json')
    await exportStoredRecord(store, { recordVersionId: amended.id, format: 'fhir', destination, actor: doctor.id }, context)
    const composition = (JSON.parse(await readFile(destination, 'utf8')) as Bundle).entry![0]!.resource as Composition
    expect(composition.status).toBe('amended')
    expect(composition.relatesTo).toEqual([{ code: 'replaces', targetIdentifier: { system: identifierSystems.record, value: `${consultationId}-v1` } }])
    const markdown = join(out, 'amended.md')
    await exportStoredRecord(store, { recordVersionId: amended.id, format: 'md', destination: markdown, actor: doctor.id }, context)
    expect(await readFile(markdown, 'utf8')).toContain('修订原因：补充心电图结果')
    const first = join(out, 'first.txt')
    await exportStoredRecord(store, { recordVersionId: signed.id, format: 'txt', destination: first, actor: doctor.id }, context)
    expect(await readFile(first, 'utf8')).not.toContain('窦性心动过速')
    expect(store.audit.verify().ok).toBe(true)
  })
})
