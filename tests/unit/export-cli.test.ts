import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DatabaseSync } from 'node:sqlite'
import { ClinicianAccounts } from '../../electron/core/clinicians/clinician-accounts.ts'
import { testScryptCost } from '../../electron/core/clinicians/pin-hashing.ts'
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
    // Exporting under a clinician's name takes their PIN: the clinic's IT administrator and a doctor.
    const accounts = new ClinicianAccounts(store, { scryptCost: testScryptCost })
    await accounts.createFirstAdmin({ staffId: 'A001', name: '王工', roles: ['admin'], department: '信息科' }, '246813')
    await accounts.add({ staffId: 'D1024', name: '张医生', roles: ['doctor'], department: '内科' }, '135792', 'A001', { pinChangeRequired: false })
    store.close()

    // From the store, an export always acts as a clinician.
    const nobody = await runHuatuo(['export', '--db', db, '--record-id', String(draft.recordId), '--format', 'md', '--out', file('nobody.md')], { env })
    expect([nobody.status, nobody.stderr]).toEqual([2, expect.stringMatching(/^USAGE: .*--actor STAFF_ID is required with --db/)])
    const unsigned = await runHuatuo(['export', '--db', db, '--record-id', String(unsignedDraft.recordId), '--format', 'md', '--actor', 'D1024', '--out', file('unsigned.md')], { env, input: '135792\n' })
    expect(unsigned.status).toBe(1)
    expect(unsigned.stderr).toMatch(/^RECORD_NOT_SIGNED:/)

    const asDoctor = ['export', '--db', db, '--record-id', String(draft.recordId), '--format', 'md', '--actor', 'D1024']
    // Without the PIN, with a wrong one, or as an account that may not export: refused, nothing written.
    const noPin = await runHuatuo([...asDoctor, '--out', file('refused-1.md')], { env })
    expect([noPin.status, noPin.stderr]).toEqual([2, expect.stringMatching(/^USAGE: .*standard input ended before: PIN \(D1024\)/)])
    const wrongPin = await runHuatuo([...asDoctor, '--out', file('refused-2.md')], { env, input: '000000\n' })
    expect([wrongPin.status, wrongPin.stderr]).toEqual([1, expect.stringMatching(/^PIN_WRONG:/)])
    const asAdmin = await runHuatuo([...asDoctor.slice(0, -1), 'A001', '--out', file('refused-3.md')], { env, input: '246813\n' })
    expect([asAdmin.status, asAdmin.stderr]).toEqual([1, expect.stringMatching(/^FORBIDDEN:/)])
    await expect(readFile(file('nobody.md'))).rejects.toMatchObject({ code: 'ENOENT' })
    const onCommandLine = await runHuatuo([...asDoctor, '--pin', '135792', '--out', file('refused-4.md')], { env })
    expect(onCommandLine.status).toBe(2)
    for (const n of [1, 2, 3, 4]) await expect(readFile(file(`refused-${n}.md`))).rejects.toMatchObject({ code: 'ENOENT' })

    const result = await runHuatuo([...asDoctor, '--out', file('stored.md')], { env, input: '135792\n' })
    expect(result.stderr).toBe('')
    expect(result.status).toBe(0)
    const head = /audit chain head ([0-9a-f]{64})/.exec(result.stdout)?.[1]
    expect(result.stdout).toMatch(/logged as export 1;/)
    const markdown = await readFile(file('stored.md'), 'utf8')
    expect(markdown).toContain('# 华佗社区卫生服务中心 门诊病历')
    expect(markdown).toContain('**姓名**：孙丽')

    // The HIS paste: to standard output, logged as such.
    const pasted = await runHuatuo([...asDoctor, '--out', '-'], { env, input: '135792\n' })
    expect(pasted.status).toBe(0)
    expect(pasted.stdout).toBe(markdown)

    const check = await openRecordStore({ path: db, readOnly: true })
    try {
      const version = check.records.versions(draft.recordId).at(-1)!
      expect(check.exports.list(version.id)).toEqual([
        expect.objectContaining({ format: 'md', destination: file('stored.md'), exportedBy: 'D1024' }),
        expect.objectContaining({ format: 'md', destination: 'stdout', exportedBy: 'D1024' }),
      ])
      const exportsLogged = check.audit.list({ limit: 50 }).items.filter((entry) => entry.action === 'record.export')
      expect(exportsLogged.map((entry) => entry.actor)).toEqual(['D1024', 'D1024'])
      expect(exportsLogged.find((entry) => entry.hash === head)).toBeDefined()
    } finally {
      check.close()
    }
    // The chain, keyed from the command line's first write on, still verifies end to end.
    const verified = await runHuatuo(['audit', 'verify', '--db', db, '--json'], { env })
    expect(verified.stdout).toContain('"ok":true')
    expect(verified.status).toBe(0)
  })

  it('refuses a signed record whose diagnosis was edited in the database (RECORD_TAMPERED), audits it, and audit verify names it', async () => {
    const db = file('tampered.db')
    const store = await openRecordStore({ path: db, scheduledBackups: false })
    const patient = store.patients.register({ name: '周强', sex: 'male', ageYears: 52, clinicNumber: 'MZ88' }, 'dr-zhou')
    const consultation = store.consultations.create({ patientId: patient.id, department: '内科' }, 'dr-zhou')
    const draft = store.records.saveDraft(consultation.id, { chiefComplaint: '胸闷2天', diagnosis: '胸闷待查', plan: '心电图' }, 'dr-zhou')
    store.records.sign(draft.recordId, 'dr-zhou')
    const accounts = new ClinicianAccounts(store, { scryptCost: testScryptCost })
    await accounts.createFirstAdmin({ staffId: 'A001', name: '王工', roles: ['admin'], department: '信息科' }, '246813')
    await accounts.add({ staffId: 'D1024', name: '张医生', roles: ['doctor'], department: '内科' }, '135792', 'A001', { pinChangeRequired: false })
    store.close()
    const asDoctor = { env, input: '135792\n' }
    // Exported once as signed (the command line keys the audit chain on this first open).
    expect((await runHuatuo(['export', '--db', db, '--record-id', String(draft.recordId), '--format', 'md', '--actor', 'D1024', '--out', file('untouched.md')], asDoctor)).status).toBe(0)
    const before = await runHuatuo(['audit', 'verify', '--db', db], { env })
    expect(before.status).toBe(0)
    expect(before.stdout).toContain('signed records intact: 1 signed or amended versions re-hashed')

    // Someone with the file and an SQLite shell: drops the guard, edits the signed diagnosis.
    const raw = new DatabaseSync(db)
    raw.exec('DROP TRIGGER outpatient_record_versions_signed_are_final')
    raw.prepare('UPDATE outpatient_record_versions SET sections = ? WHERE record_id = ?').run(JSON.stringify({ chiefComplaint: '胸闷2天', diagnosis: '无异常', plan: '心电图' }), draft.recordId)
    raw.close()

    const exported = await runHuatuo(['export', '--db', db, '--record-id', String(draft.recordId), '--format', 'md', '--actor', 'D1024', '--out', file('tampered.md')], asDoctor)
    expect(exported.status).toBe(1)
    expect(exported.stderr).toMatch(/^RECORD_TAMPERED: .*\(record \d+ version 1: content-hash\)\n$/)
    await expect(readFile(file('tampered.md'))).rejects.toMatchObject({ code: 'ENOENT' })

    const check = await openRecordStore({ path: db, readOnly: true })
    try {
      const alarm = check.audit.list({ limit: 5 }).items.find((entry) => entry.action === 'record.tampered')
      expect(alarm).toMatchObject({ actor: 'D1024', entityType: 'record', entityId: String(draft.recordId), details: { version: 1, reason: 'content-hash' } })
      expect(JSON.stringify(alarm)).not.toContain('无异常')
    } finally {
      check.close()
    }
    const verify = await runHuatuo(['audit', 'verify', '--db', db], { env })
    expect(verify.status).toBe(1)
    expect(verify.stdout).toContain(`signed record TAMPERED: record ${draft.recordId} version 1`)
    expect(verify.stderr).toMatch(/^RECORD_TAMPERED: .*\n$/)
    const json = await runHuatuo(['audit', 'verify', '--db', db, '--json'], { env })
    expect(JSON.parse(json.stdout).signedVersions).toEqual({ checked: 1, tampered: [{ recordId: draft.recordId, recordVersionId: draft.id, version: 1, reason: 'content-hash' }] })
  })
})
