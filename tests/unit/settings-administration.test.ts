import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { DatabaseSync } from 'node:sqlite'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { AccessLogEntry, AuditCheckReport, BackupList, BackupListing, RestoreReport } from '../../electron/contract/administration.ts'
import type { AppAbout } from '../../electron/contract/app-about.ts'
import type { ConsultationOpened, Reply, WorkstationEvent } from '../../electron/contract/channels.ts'
import type { ClinicianSession } from '../../electron/contract/clinicians.ts'
import type { ConsultationTurn } from '../../electron/contract/consultation-messages.ts'
import type { Page } from '../../electron/contract/paging.ts'
import type { Patient } from '../../electron/contract/patients.ts'
import type { WorkstationSettingsView } from '../../electron/contract/workstation-settings.ts'
import { triagePatientMessage } from '../../electron/core/clinical/triage/triage.ts'
import { readHospitalConfig } from '../../electron/core/config/hospital-config.ts'
import { promptFormats } from '../../electron/core/inference/prompt-formats/index.ts'
import { writeTestModel } from '../../electron/core/models/test-model.ts'
import { Workstation } from '../../electron/core/workstation.ts'

// Settings and administration through the workstation's requests, on a real store and a real core:
// settings persist and apply (idle lock at once, sampling to the next turn, the clinic to app.about),
// what the hospital configuration fixes is refused, backups are listed and restored by file name
// while the workstation runs (a damaged one refused with nothing changed), the audit check and the
// access log answer an administrator — who sees ids and counts, never a patient's words.

const ADMIN = { staffId: 'A001', name: '信息科王工', pin: '482915' }
const DOCTOR = { staffId: 'D001', name: '李医生', pin: '593028' }
const NURSE = { staffId: 'N001', name: '赵护士', pin: '739104' }

interface Opened {
  workstation: Workstation
  events: WorkstationEvent[]
  call<T>(name: string, input?: unknown): Promise<T>
  codeOf(name: string, input?: unknown): Promise<string>
}

const dirs: string[] = []
const open: Workstation[] = []

async function folder(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'huatuo-settings-'))
  dirs.push(dir)
  return dir
}

async function openAt(dir: string, hospital: Record<string, unknown> | null = null): Promise<Opened> {
  if (hospital !== null) await writeFile(join(dir, 'hospital.json'), JSON.stringify(hospital))
  const config = await readHospitalConfig(join(dir, 'hospital.json'), { HUATUO_DATA_DIR: join(dir, 'data') })
  const workstation = await Workstation.open({
    config,
    about: { name: 'Huatuo Workstation', version: 'test', electron: '', node: process.versions.node },
    databasePath: join(dir, 'data', 'records.db'),
    triage: triagePatientMessage,
    threads: 1,
    maintenance: false,
  })
  open.push(workstation)
  const events: WorkstationEvent[] = []
  workstation.onEvent((event) => events.push(event))
  const call = async <T,>(name: string, input: unknown = {}): Promise<T> => {
    const reply: Reply<unknown> = await workstation.invoke(name, input)
    if (!reply.ok) throw Object.assign(new Error(`${name}: ${reply.error.code}: ${reply.error.detail ?? ''}`), { code: reply.error.code })
    return reply.value as T
  }
  const codeOf = async (name: string, input: unknown = {}) => {
    const reply = await workstation.invoke(name, input)
    return reply.ok ? 'ok' : reply.error.code
  }
  return { workstation, events, call, codeOf }
}

/** The first administrator, a doctor and a nurse (their first PIN changed, as they would), the admin signed in. */
async function withStaff(opened: Opened): Promise<void> {
  await opened.call('session.firstAdmin', { staffId: ADMIN.staffId, name: ADMIN.name, roles: ['admin'], pin: ADMIN.pin })
  for (const person of [DOCTOR, NURSE]) {
    await opened.call('accounts.add', { staffId: person.staffId, name: person.name, roles: [person === DOCTOR ? 'doctor' : 'nurse'], pin: '620481' })
  }
  for (const person of [DOCTOR, NURSE]) {
    await opened.call('session.signIn', { staffId: person.staffId, pin: '620481' })
    await opened.call('session.changePin', { currentPin: '620481', newPin: person.pin })
  }
  await signIn(opened, ADMIN)
}

async function signIn(opened: Opened, person: { staffId: string; pin: string }): Promise<ClinicianSession> {
  return opened.call<ClinicianSession>('session.signIn', { staffId: person.staffId, pin: person.pin })
}

afterEach(async () => {
  for (const workstation of open.splice(0)) await workstation.dispose()
})

afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true })
})

describe('settings', () => {
  it('are kept in the record store: saved by an administrator, read again after a restart, and app.about names the clinic', async () => {
    const dir = await folder()
    let ws = await openAt(dir)
    await withStaff(ws)
    const saved = await ws.call<WorkstationSettingsView>('settings.update', {
      clinicName: '  城东社区卫生服务中心 ',
      departments: ['全科', '儿科', '全科'],
      sampling: { promptFormat: 'huatuo-ii', values: { temperature: 0.2, topP: 0.7, topK: 5, repeatPenalty: 1.1, maxTokens: 600 } },
      contextSize: 2048,
      threads: 2,
      gpuLayers: 0,
      idleLockMinutes: 12,
    })
    expect(saved).toMatchObject({ clinicName: '城东社区卫生服务中心', departments: ['全科', '儿科'], idleLockMinutes: 12, engine: { contextSize: 2048, threads: 2, gpuLayers: 0 }, mayChange: true })
    expect(saved.updated?.by).toBe(ADMIN.staffId)
    const huatuoII = saved.sampling.find((format) => format.promptFormat === 'huatuo-ii')!
    // Only what differs from the recommendation counts as the clinic's change.
    expect(huatuoII.changed.sort()).toEqual(['maxTokens', 'temperature'])
    expect(huatuoII.recommended.temperature).toBe(promptFormats['huatuo-ii'].sampling.temperature)
    expect(ws.events.filter((event) => event.type === 'settings.changed')).toHaveLength(1)
    await ws.workstation.dispose()
    open.length = 0

    ws = await openAt(dir)
    await signIn(ws, DOCTOR)
    const read = await ws.call<WorkstationSettingsView>('settings.get')
    expect(read).toMatchObject({ clinicName: '城东社区卫生服务中心', departments: ['全科', '儿科'], idleLockMinutes: 12, mayChange: false, fixedBy: {} })
    expect(read.sampling.find((format) => format.promptFormat === 'huatuo-ii')?.values).toMatchObject({ temperature: 0.2, maxTokens: 600 })
    expect(await ws.call<AppAbout>('app.about')).toMatchObject({ clinicName: '城东社区卫生服务中心', departments: ['全科', '儿科'] })
    // The idle lock of the new session follows the stored time.
    const session = await ws.call<ClinicianSession>('session.current')
    const left = session.state === 'active' ? Date.parse(session.idleLockAt!) - Date.now() : 0
    expect(left).toBeGreaterThan(11 * 60_000)
  })

  it('reset to recommended: the format samples as its authors published again', async () => {
    const ws = await openAt(await folder())
    await withStaff(ws)
    await ws.call('settings.update', { sampling: { promptFormat: 'chatml', values: { temperature: 1.5, topP: 0.5, topK: 40, repeatPenalty: 1.3, maxTokens: 100 } } })
    const reset = await ws.call<WorkstationSettingsView>('settings.update', { sampling: { promptFormat: 'chatml', values: null } })
    const chatml = reset.sampling.find((format) => format.promptFormat === 'chatml')!
    expect(chatml.changed).toEqual([])
    expect(chatml.values).toEqual(chatml.recommended)
    expect(chatml.recommendationSource).toMatch(/Qwen/)
  })

  it('are read by every clinician and changed only by administrators; every number is bounded', async () => {
    const ws = await openAt(await folder())
    await withStaff(ws)
    for (const person of [DOCTOR, NURSE]) {
      await signIn(ws, person)
      expect((await ws.call<WorkstationSettingsView>('settings.get')).mayChange).toBe(false)
      expect(await ws.codeOf('settings.update', { idleLockMinutes: 60 })).toBe('FORBIDDEN')
      expect(await ws.codeOf('settings.update', { sampling: { promptFormat: 'huatuo-ii', values: null } })).toBe('FORBIDDEN')
    }
    await signIn(ws, ADMIN)
    for (const wrong of [
      { idleLockMinutes: 0 },
      { idleLockMinutes: 10_000 },
      { threads: 0 },
      { contextSize: 100 },
      { gpuLayers: -1 },
      { sampling: { promptFormat: 'huatuo-ii', values: { temperature: 9 } } },
      { sampling: { promptFormat: 'huatuo-ii', values: { maxTokens: 100_000 } } },
      { sampling: { promptFormat: 'nonsense', values: null } },
      { clinicName: '' },
      {},
    ]) {
      expect([wrong, await ws.codeOf('settings.update', wrong)]).toEqual([wrong, 'CONTRACT_INVALID_INPUT'])
    }
  })

  it('fixed by the hospital configuration are shown with the file and refused, with nothing of the change kept', async () => {
    const dir = await folder()
    const ws = await openAt(dir, { clinicName: '市第一人民医院', idleLockMinutes: 3 })
    await withStaff(ws)
    const view = await ws.call<WorkstationSettingsView>('settings.get')
    expect(view.fixedBy).toEqual({ clinicName: join(dir, 'hospital.json'), idleLockMinutes: join(dir, 'hospital.json') })
    expect(view).toMatchObject({ clinicName: '市第一人民医院', idleLockMinutes: 3 })
    expect(await ws.codeOf('settings.update', { clinicName: '别的名字' })).toBe('SETTING_FIXED_BY_HOSPITAL')
    expect(await ws.codeOf('settings.update', { idleLockMinutes: 30, departments: ['外科'] })).toBe('SETTING_FIXED_BY_HOSPITAL')
    const after = await ws.call<WorkstationSettingsView>('settings.get')
    expect(after).toMatchObject({ clinicName: '市第一人民医院', idleLockMinutes: 3, departments: [] })
    // What the file leaves out is the workstation's own.
    expect((await ws.call<WorkstationSettingsView>('settings.update', { departments: ['外科'] })).departments).toEqual(['外科'])
  })

  it('idle-lock time applies at once to the session running', async () => {
    const ws = await openAt(await folder())
    await withStaff(ws)
    await signIn(ws, ADMIN)
    const before = ws.events.length
    await ws.call('settings.update', { idleLockMinutes: 2 })
    const session = await ws.call<ClinicianSession>('session.current')
    const left = session.state === 'active' ? Date.parse(session.idleLockAt!) - Date.now() : -1
    expect(left).toBeGreaterThan(60_000)
    expect(left).toBeLessThanOrEqual(2 * 60_000)
    // The window is told the new time without asking.
    const told = ws.events.slice(before).find((event) => event.type === 'session.changed')
    expect(told?.type === 'session.changed' && told.session.state === 'active' && told.session.idleLockAt).toBe(session.state === 'active' && session.idleLockAt)
  })
})

describe('the sampling a turn uses', () => {
  let ws: Opened
  let consultationId: string

  beforeAll(async () => {
    const dir = await folder()
    ws = await openAt(dir)
    // Kept for the whole describe (closed in its afterAll, not after each test).
    open.splice(open.indexOf(ws.workstation), 1)
    await withStaff(ws)
    const modelPath = join(dir, 'tiny.gguf')
    // Never ends an answer by itself: only the token limit stops it.
    await writeTestModel({ out: modelPath, size: 'tiny', name: 'HuatuoGPT2-7B', seed: 7, endsAnswers: false })
    await ws.workstation.loadModelAtStart(modelPath, 'os:test', { promptFormat: 'huatuo-ii' })
    await ws.call('settings.update', { sampling: { promptFormat: 'huatuo-ii', values: { maxTokens: 3 } } })
    await signIn(ws, DOCTOR)
    consultationId = (await ws.call<ConsultationOpened>('consultation.open', {})).consultationId
  }, 120_000)

  afterAll(async () => {
    await ws.workstation.dispose()
  })

  it('comes from the settings of the loaded model’s prompt format when the window sends none', async () => {
    const turn = await ws.call<ConsultationTurn>('consultation.send', { consultationId, answerId: 'a-1', text: '头痛三天' })
    expect(turn.timing?.generatedTokens).toBe(3)
  }, 60_000)

  it('what the window sends wins over the settings', async () => {
    const turn = await ws.call<ConsultationTurn>('consultation.send', { consultationId, answerId: 'a-2', text: '还有点发热', sampling: { maxTokens: 5 } })
    expect(turn.timing?.generatedTokens).toBe(5)
  }, 60_000)
})

describe('backups', () => {
  it('are made, listed by file name and restored while the workstation runs: a pre-restore backup first, everyone signs in again', async () => {
    const dir = await folder()
    const ws = await openAt(dir)
    await withStaff(ws)
    await ws.call('settings.update', { clinicName: '备份前的名字' })
    const made = await ws.call<BackupListing>('backups.create')
    expect(made.fileName).toMatch(/^records-manual-\d{8}T\d{6}\.\d{3}Z\.db$/)
    expect(JSON.stringify(made)).not.toContain(dir)
    // After the backup: a patient and a changed setting the restore takes back.
    await signIn(ws, DOCTOR)
    await ws.call<Patient>('patient.register', { name: '王五', sex: 'male' })
    await signIn(ws, ADMIN)
    await ws.call('settings.update', { clinicName: '备份后的名字' })
    const list = await ws.call<BackupList>('backups.list')
    expect(list.backups.map((backup) => backup.fileName)).toContain(made.fileName)
    expect(list.folder).toBe(join(dir, 'data', 'backups'))

    const restored = await ws.call<RestoreReport>('backups.restore', { fileName: made.fileName, confirmed: true })
    expect(restored.restored).toBe(made.fileName)
    expect(restored.safetyBackup).toMatch(/^records-pre-restore-/)
    expect(ws.events.some((event) => event.type === 'database.restored' && event.restored === made.fileName)).toBe(true)
    // Signed out: the restored accounts are the backup's.
    expect((await ws.call<ClinicianSession>('session.current')).state).toBe('signed-out')
    expect(await ws.codeOf('backups.list')).toBe('NOT_SIGNED_IN')

    await signIn(ws, DOCTOR)
    expect((await ws.call<Page<unknown>>('consultation.summaries', {})).items).toHaveLength(0)
    expect((await ws.call<AppAbout>('app.about')).clinicName).toBe('备份前的名字')
    await signIn(ws, ADMIN)
    const after = await ws.call<BackupList>('backups.list')
    expect(after.backups.map((backup) => backup.fileName)).toContain(restored.safetyBackup)
    // The chain goes on, keyed and anchored again, with the restore in it.
    expect(await ws.call<AuditCheckReport>('audit.verify')).toMatchObject({ ok: true, problem: null, keyed: true })
    // What was replaced is kept: restoring the pre-restore backup brings the patient back.
    await ws.call('backups.restore', { fileName: restored.safetyBackup, confirmed: true })
    await signIn(ws, DOCTOR)
    expect((await ws.call<AppAbout>('app.about')).clinicName).toBe('备份后的名字')
  }, 60_000)

  it('a damaged backup is refused with nothing closed or changed; a name not in the list, or a path, is refused', async () => {
    const dir = await folder()
    const ws = await openAt(dir)
    await withStaff(ws)
    await ws.call('backups.create')
    const damaged = 'records-manual-20200101T000000.000Z.db'
    await writeFile(join(dir, 'data', 'backups', damaged), Buffer.concat([Buffer.from('SQLite format 3\0', 'latin1'), Buffer.alloc(4096, 7)]))
    expect(await ws.codeOf('backups.restore', { fileName: damaged, confirmed: true })).toBe('BACKUP_CORRUPT')
    // Still signed in, the store still open, no pre-restore backup made.
    expect((await ws.call<ClinicianSession>('session.current')).state).toBe('active')
    expect((await ws.call<BackupList>('backups.list')).backups.some((backup) => backup.kind === 'pre-restore')).toBe(false)
    expect(await ws.codeOf('backups.restore', { fileName: 'records-manual-20190101T000000.000Z.db', confirmed: true })).toBe('BACKUP_NOT_FOUND')
    for (const fileName of ['../records.db', '/etc/passwd', 'records-manual-20200101T000000.000Z.db/../x.db', join(dir, 'data', 'backups', damaged)]) {
      expect([fileName, await ws.codeOf('backups.restore', { fileName, confirmed: true })]).toEqual([fileName, 'CONTRACT_INVALID_INPUT'])
    }
    expect(await ws.codeOf('backups.restore', { fileName: damaged })).toBe('CONTRACT_INVALID_INPUT')
    // Nobody but an administrator backs up or restores.
    await signIn(ws, DOCTOR)
    for (const name of ['backups.list', 'backups.create', 'audit.verify', 'audit.accessLog']) expect([name, await ws.codeOf(name)]).toEqual([name, 'FORBIDDEN'])
  }, 60_000)
})

describe('audit and access log', () => {
  it('the audit check reports an intact chain, then the entry edited behind the workstation’s back', async () => {
    const dir = await folder()
    const ws = await openAt(dir)
    await withStaff(ws)
    const intact = await ws.call<AuditCheckReport>('audit.verify')
    expect(intact).toMatchObject({ ok: true, keyed: true, problem: null, chain: { ok: true, firstBroken: null }, signedVersions: { tampered: [] } })
    expect(intact.chain.entriesChecked).toBeGreaterThan(3)
    expect(intact.anchor.state).toBe('anchored')
    const db = new DatabaseSync(join(dir, 'data', 'records.db'))
    db.exec('DROP TRIGGER IF EXISTS audit_entries_append_only_update')
    db.prepare("UPDATE audit_entries SET actor = 'X999' WHERE seq = 2").run()
    db.close()
    const broken = await ws.call<AuditCheckReport>('audit.verify')
    expect(broken).toMatchObject({ ok: false, problem: 'AUDIT_CHAIN_BROKEN', chain: { firstBroken: { seq: 2, reason: 'hash-mismatch' } } })
  })

  it('the access log pages who opened what, newest first, with ids and names of clinicians only', async () => {
    const dir = await folder()
    const ws = await openAt(dir)
    await withStaff(ws)
    await signIn(ws, DOCTOR)
    const patient = await ws.call<Patient>('patient.register', { name: '钱六', sex: 'female' })
    const opened: string[] = []
    for (let n = 0; n < 5; n++) opened.push((await ws.call<ConsultationOpened>('consultation.open', { patientId: patient.id })).consultationId)
    await ws.call('note.add', { consultationId: opened[0], text: '患者诉胸闷气短' })
    for (const consultationId of opened) await ws.call('consultation.messages', { consultationId })
    // Reads are written within a second.
    await new Promise((resolve) => setTimeout(resolve, 1300))
    await signIn(ws, ADMIN)
    const seen: AccessLogEntry[] = []
    let cursor: string | null | undefined
    do {
      const page: Page<AccessLogEntry> = await ws.call('audit.accessLog', { limit: 3, ...(cursor ? { cursor } : {}) })
      expect(page.items.length).toBeLessThanOrEqual(3)
      seen.push(...page.items)
      cursor = page.nextCursor
    } while (cursor)
    expect(seen.length).toBeGreaterThanOrEqual(10)
    expect(new Set(seen.map((entry) => entry.seq)).size).toBe(seen.length)
    expect(seen.map((entry) => entry.seq)).toEqual([...seen.map((entry) => entry.seq)].sort((a, b) => b - a))
    expect(seen.every((entry) => entry.action.startsWith('access.'))).toBe(true)
    const messages = seen.filter((entry) => entry.action === 'access.messages')
    expect(messages.map((entry) => entry.entityId).sort()).toEqual([...opened].sort())
    expect(messages[0]).toMatchObject({ actor: DOCTOR.staffId, actorName: DOCTOR.name })
    // Ids and counts: neither the patient's name nor the clinician's note.
    const text = JSON.stringify(seen)
    expect(text).not.toContain('钱六')
    expect(text).not.toContain('胸闷')
    // One clinician's reads.
    const mine = await ws.call<Page<AccessLogEntry>>('audit.accessLog', { staffId: ADMIN.staffId })
    expect(mine.items).toEqual([])
  })

  it('an administrator alone is refused every patient request, and nothing of the administration carries patient text', async () => {
    const dir = await folder()
    const ws = await openAt(dir)
    await withStaff(ws)
    await signIn(ws, DOCTOR)
    await ws.call<Patient>('patient.register', { name: '孙七', sex: 'male' })
    await signIn(ws, ADMIN)
    for (const [name, input] of [
      ['consultation.summaries', {}],
      ['consultation.list', {}],
      ['records.search', { query: '头痛' }],
      ['consultation.open', {}],
    ] as const) {
      expect([name, await ws.codeOf(name, input)]).toEqual([name, 'FORBIDDEN'])
    }
    const seen = JSON.stringify([
      await ws.call('settings.get'),
      await ws.call('backups.list'),
      await ws.call('audit.verify'),
      await ws.call('audit.accessLog', {}),
      await ws.call('accounts.list'),
    ])
    expect(seen).not.toContain('孙七')
    expect((await readdir(join(dir, 'data'))).includes('records.db')).toBe(true)
  })
})
