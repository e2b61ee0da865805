import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openRecordStore } from '../../electron/core/records/record-store.ts'
import { runHuatuo } from '../support/cli.ts'
import { identifierSystems, signedRecord } from './outpatient-record-support.ts'

// `huatuo export` as IT runs it: a record file converted, or a record exported from the database
// (and logged there); the hospital configuration names the clinic and the identifier systems.

let folder: string
let env: NodeJS.ProcessEnv
const run = promisify(execFile)

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'huatuo-export-cli-'))
  const config = join(folder, 'hospital.json')
  await writeFile(config, JSON.stringify({ clinicName: '华佗社区卫生服务中心', identifierSystems, dataDir: join(folder, 'data') }))
  env = { HUATUO_HOSPITAL_CONFIG: config, TZ: 'Asia/Shanghai' }
  await writeFile(join(folder, 'record.json'), JSON.stringify(signedRecord(), null, 2))
})
afterAll(() => rm(folder, { recursive: true, force: true }))

const file = (name: string) => join(folder, name)

describe('huatuo export --record FILE', () => {
  it('plain text for the HIS to stdout', async () => {
    const result = await runHuatuo(['export', '--record', file('record.json'), '--format', 'txt', '--out', '-'], { env })
    expect(result.stderr).toBe('')
    expect(result.status).toBe(0)
    expect(result.stdout).toContain('【主诉】头痛3天，加重伴发热1天。')
    expect(result.stdout).toContain('就诊时间：2024-03-01 09:30')
  })

  it('a FHIR document with the configured identifier systems; then the same name again is refused', async () => {
    const args = ['export', '--record', file('record.json'), '--format', 'fhir', '--out', file('record.fhir.json'), '--json']
    const first = await runHuatuo(args, { env })
    expect(first.status).toBe(0)
    const outcome = JSON.parse(first.stdout) as { path: string; sha256: string; bytes: number }
    const bytes = await readFile(file('record.fhir.json'))
    expect(outcome).toMatchObject({ path: file('record.fhir.json'), bytes: bytes.byteLength })
    const bundle = JSON.parse(bytes.toString('utf8')) as { type: string; entry: Array<{ resource: { resourceType: string; identifier?: Array<{ system: string }> } }> }
    expect(bundle.type).toBe('document')
    expect(bundle.entry.find((e) => e.resource.resourceType === 'Patient')!.resource.identifier![0]!.system).toBe(identifierSystems.patient)

    const again = await runHuatuo(args, { env })
    expect(again.status).toBe(1)
    expect(JSON.parse(again.stdout)).toMatchObject({ error: { code: 'EXPORT_TARGET_EXISTS' } })
    expect(await readFile(file('record.fhir.json'))).toEqual(bytes)
  })

  it('a PDF on A5 paper, read back with pdftotext', async () => {
    const result = await runHuatuo(['export', '--record', file('record.json'), '--format', 'pdf', '--paper', 'a5', '--out', file('record.pdf')], { env })
    expect(result.stderr).toBe('')
    expect(result.status).toBe(0)
    expect(result.stdout).toMatch(/^wrote .*record\.pdf \(pdf, \d+ bytes, sha256 [0-9a-f]{64}\)\n$/)
    expect((await run('pdfinfo', [file('record.pdf')])).stdout).toMatch(/Page size:\s+4\d\d(\.\d+)? x 59\d(\.\d+)? pts \(A5\)/)
    const text = (await run('pdftotext', ['-enc', 'UTF-8', file('record.pdf'), '-'])).stdout
    for (const title of ['主诉', '现病史', '既往史', '过敏史', '体格检查', '辅助检查', '初步诊断', '处理意见', '医嘱', '医师签名']) expect(text).toContain(title)
  })

  it('a malformed record names the field and not the patient; a draft is refused; usage errors exit 2', async () => {
    await writeFile(file('bad.json'), JSON.stringify({ ...signedRecord(), patient: { id: 'MZ9', name: '钱多多', sex: '男' } }))
    const bad = await runHuatuo(['export', '--record', file('bad.json'), '--format', 'md', '--out', file('bad.md')], { env })
    expect(bad.status).toBe(1)
    expect(bad.stderr).toMatch(/^RECORD_FILE_INVALID: .*patient\.sex/)
    expect(bad.stderr).not.toContain('钱多多')

    const { signedAt: _signedAt, ...draft } = signedRecord({ status: 'draft' })
    await writeFile(file('draft.json'), JSON.stringify(draft))
    const refused = await runHuatuo(['export', '--record', file('draft.json'), '--format', 'md', '--out', file('draft.md')], { env })
    expect(refused.status).toBe(1)
    expect(refused.stderr).toMatch(/^RECORD_NOT_SIGNED:/)

    const usage = await runHuatuo(['export', '--record', file('record.json'), '--format', 'docx'], { env })
    expect(usage.status).toBe(2)
    expect(usage.stderr).toContain('--format must be one of fhir, pdf, md, txt')
  })
})

describe('huatuo export --db FILE --record-id ID', () => {
  it('exports the latest signed version and logs it in the database, with the audit chain head', async () => {
    const db = file('records.db')
    const store = await openRecordStore({ path: db, scheduledBackups: false })
    const patient = store.patients.register({ name: '孙丽', sex: 'female', ageYears: 41, clinicNumber: 'MZ77' }, 'dr-zhou')
    const consultation = store.consultations.create({ patientId: patient.id, department: '内科' }, 'dr-zhou')
    store.messages.appendPatientMessage(consultation.id, '咳嗽一周')
    const draft = store.records.saveDraft(consultation.id, { chiefComplaint: '咳嗽1周', diagnosis: '急性支气管炎', plan: '多饮水' }, 'dr-zhou')
    store.records.sign(draft.recordId, 'dr-zhou')
    const other = store.consultations.create({ patientId: patient.id, department: '内科' }, 'dr-zhou')
    const unsignedDraft = store.records.saveDraft(other.id, { chiefComplaint: '发热' }, 'dr-zhou')
    store.close()

    const unsigned = await runHuatuo(['export', '--db', db, '--record-id', String(unsignedDraft.recordId), '--format', 'md', '--out', file('unsigned.md')], { env })
    expect(unsigned.status).toBe(1)
    expect(unsigned.stderr).toMatch(/^RECORD_NOT_SIGNED:/)

    const result = await runHuatuo(['export', '--db', db, '--record-id', String(draft.recordId), '--format', 'md', '--out', file('stored.md'), '--actor', 'it-admin'], { env })
    expect(result.stderr).toBe('')
    expect(result.status).toBe(0)
    const head = /audit chain head ([0-9a-f]{64})/.exec(result.stdout)?.[1]
    expect(result.stdout).toMatch(/logged as export 1;/)
    const markdown = await readFile(file('stored.md'), 'utf8')
    expect(markdown).toContain('# 华佗社区卫生服务中心 门诊病历')
    expect(markdown).toContain('**姓名**：孙丽')

    const check = await openRecordStore({ path: db, readOnly: true })
    try {
      const version = check.records.versions(draft.recordId).at(-1)!
      expect(check.exports.list(version.id)).toEqual([expect.objectContaining({ format: 'md', destination: file('stored.md'), exportedBy: 'it-admin' })])
      const newest = check.audit.list({ limit: 1 }).items[0]!
      expect(newest).toMatchObject({ action: 'record.export', actor: 'it-admin' })
      expect(newest.hash).toBe(head)
    } finally {
      check.close()
    }
    // The chain, keyed from the command line's first write on, still verifies end to end.
    const verified = await runHuatuo(['audit', 'verify', '--db', db, '--json'], { env })
    expect(verified.stdout).toContain('"ok":true')
    expect(verified.status).toBe(0)
  })
})
