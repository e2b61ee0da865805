import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir, userInfo } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ConsultationSummary } from '../../electron/contract/consultations.ts'
import { ClinicianAccounts } from '../../electron/core/clinicians/clinician-accounts.ts'
import { testScryptCost } from '../../electron/core/clinicians/pin-hashing.ts'
import { importActor } from '../../electron/core/records/actor.ts'
import { openRecordStore } from '../../electron/core/records/record-store.ts'
import { runHuatuo } from '../support/cli.ts'

// `huatuo records list` as a clinician uses it to find the --record-id that `huatuo export` takes:
// a fresh data folder with a few consultations in every record state, read by separate processes.

let folder: string
let db: string
// Dates are the clinic's local time: the command and the test agree on the time zone.
const env = { TZ: 'Asia/Shanghai' }
const zh = { ...env, LANG: 'zh_CN.UTF-8' }
const ids = { chestPain: '', fever: '', followUp: '', wound: '', trashed: '' }
const recordIds = { chestPain: 0, fever: 0, wound: 0 }

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'huatuo-records-list-'))
  db = join(folder, 'data', 'records.db')
  const store = await openRecordStore({ path: db, scheduledBackups: false })
  const accounts = new ClinicianAccounts(store, { scryptCost: testScryptCost })
  await accounts.createFirstAdmin({ staffId: 'A001', name: '王工', roles: ['admin'], department: '信息科' }, '246813')
  await accounts.add({ staffId: 'D1024', name: '张医生', roles: ['doctor'], department: '内科' }, '135792', 'A001', { pinChangeRequired: false })
  const sun = store.patients.register({ name: '孙丽', sex: 'female', ageYears: 41, clinicNumber: 'MZ77' }, 'D1024')
  const li = store.patients.register({ name: '李强', sex: 'male', ageYears: 6, clinicNumber: 'MZ78' }, 'D1024')
  const wang = store.patients.register({ name: '王芳', sex: 'female', ageYears: 30, clinicNumber: 'MZ90' }, 'D1024')
  const flag = (messageId: number, level: 'emergency' | 'urgent', category: string) =>
    store.redFlags.raise(messageId, { category, level, matchedWords: ['胸痛'], ruleVersion: 'test-1' })

  // Chest pain: two red flags, a signed record since amended.
  const chestPain = store.consultations.create({ patientId: sun.id, department: '内科', createdAt: '2024-03-01T09:30:00+08:00' }, 'D1024')
  const said = store.messages.appendPatientMessage(chestPain.id, '突然胸痛，大汗淋漓，呼吸困难')
  flag(said.id, 'urgent', 'breathing-difficulty')
  flag(said.id, 'emergency', 'chest-pain')
  const draft = store.records.saveDraft(chestPain.id, { chiefComplaint: '胸痛1小时', diagnosis: '胸痛待查', plan: '心电图' }, 'D1024')
  store.records.sign(draft.recordId, 'D1024')
  store.records.amend(draft.recordId, { chiefComplaint: '胸痛1小时', diagnosis: '急性冠脉综合征？', plan: '心电图，肌钙蛋白' }, '补充诊断', 'D1024')
  // A child with fever: one urgent flag, a draft record.
  const fever = store.consultations.create({ patientId: li.id, department: '儿科', createdAt: '2024-03-02T10:00:00+08:00' }, 'D1024')
  flag(store.messages.appendPatientMessage(fever.id, '发热三天，精神差').id, 'urgent', 'child-fever')
  const feverDraft = store.records.saveDraft(fever.id, { chiefComplaint: '发热3天' }, 'D1024')
  // An imported follow-up of the first patient: no flags, no record.
  const followUp = store.consultations.create({ patientId: sun.id, department: '内科', createdAt: '2024-03-05T08:00:00+08:00' }, importActor)
  store.messages.appendPatientMessage(followUp.id, '复诊：胸痛未再发作')
  // An older visit with a signed record.
  const wound = store.consultations.create({ patientId: wang.id, department: '外科', createdAt: '2024-02-20T15:00:00+08:00' }, 'D1024')
  const woundDraft = store.records.saveDraft(wound.id, { chiefComplaint: '手指切割伤', plan: '清创缝合' }, 'D1024')
  store.records.sign(woundDraft.recordId, 'D1024')
  // In the trash: never listed.
  const trashed = store.consultations.create({ patientId: li.id, department: '儿科', createdAt: '2024-03-06T10:00:00+08:00' }, 'D1024')
  store.consultations.trash(trashed.id, 'D1024')
  store.close()
  Object.assign(ids, { chestPain: chestPain.id, fever: fever.id, followUp: followUp.id, wound: wound.id, trashed: trashed.id })
  Object.assign(recordIds, { chestPain: draft.recordId, fever: feverDraft.recordId, wound: woundDraft.recordId })
})

afterAll(() => rm(folder, { recursive: true, force: true }))

const listed = async (args: string[]): Promise<ConsultationSummary[]> => {
  const result = await runHuatuo(['records', 'list', '--db', db, '--json', ...args], { env })
  expect(result.status).toBe(0)
  return result.stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as ConsultationSummary)
}
const idsOf = (items: ConsultationSummary[]) => items.map((item) => item.consultationId)

describe('huatuo records list', () => {
  it('lists consultations newest first with patient, clinic number, department, who started it, red flags and the record id and status', async () => {
    const items = await listed([])
    expect(idsOf(items)).toEqual([ids.followUp, ids.fever, ids.chestPain, ids.wound])
    expect(items[2]).toEqual({
      consultationId: ids.chestPain,
      patientId: expect.any(String),
      patientName: '孙丽',
      clinicNumber: 'MZ77',
      department: '内科',
      status: 'signed',
      createdAt: '2024-03-01T01:30:00.000Z',
      startedBy: 'D1024',
      startedByName: '张医生',
      redFlags: { count: 2, highest: 'emergency', unacknowledged: 2 },
      record: { recordId: recordIds.chestPain, version: 2, status: 'amended' },
      trashedAt: null,
      trashedBy: null,
    })
    expect(items[1]).toMatchObject({ patientName: '李强', clinicNumber: 'MZ78', department: '儿科', redFlags: { count: 1, highest: 'urgent' }, record: { recordId: recordIds.fever, version: 1, status: 'draft' } })
    expect(items[0]).toMatchObject({ patientName: '孙丽', startedBy: 'import', startedByName: null, redFlags: { count: 0, highest: null }, record: null })
    expect(items[3]).toMatchObject({ patientName: '王芳', department: '外科', record: { recordId: recordIds.wound, version: 1, status: 'signed' } })

    // Text: one line per consultation, in the terminal's language, the columns aligned.
    const text = await runHuatuo(['records', 'list', '--db', db], { env })
    expect(text.stderr).toBe('')
    const lines = text.stdout.split('\n').filter((line) => line !== '')
    expect(lines).toHaveLength(4)
    expect(lines[0]).toMatch(new RegExp(`^2024-03-05 08:00  ${ids.followUp}  孙丽  MZ77  内科  import +no red flags +no record$`))
    expect(lines[2]).toMatch(new RegExp(`^2024-03-01 09:30  ${ids.chestPain}  孙丽  MZ77  内科  张医生 \\(D1024\\)  2 red flags \\(highest: EMERGENCY\\) +record ${recordIds.chestPain} v2 amended$`))
    expect(lines[1]).toMatch(new RegExp(`  1 red flag \\(highest: URGENT\\) +record ${recordIds.fever} v1 draft$`))
    // Aligned: the record column starts at the same terminal column on every line (a CJK character takes two).
    const columns = (prefix: string) => [...prefix].reduce((width, character) => width + (/\p{Script=Han}/u.test(character) ? 2 : 1), 0)
    expect(new Set(lines.map((line) => columns(line.slice(0, line.search(/(no )?record( \d|$)/))))).size).toBe(1)
    const chinese = await runHuatuo(['records', 'list', '--db', db], { env: zh })
    expect(chinese.stdout).toContain(`张医生 (D1024)  危急征象 2 项（最高：危急）  病历 ${recordIds.chestPain} 第2版 已修订`)
    expect(chinese.stdout).toContain(`病历 ${recordIds.fever} 第1版 草稿`)
    expect(chinese.stdout).toMatch(/无危急征象 +无病历\n/)

    // What the list names is what export takes: the signed record exports as the clinician.
    const exported = await runHuatuo(['export', '--db', db, '--record-id', String(items[3]?.record?.recordId), '--format', 'txt', '--actor', 'D1024', '--out', '-'], {
      env,
      input: '135792\n',
    })
    expect(exported.stderr).toBe('')
    expect(exported.stdout).toContain('手指切割伤')
  })

  it('filters by part of a name or clinic number, by date (a --to date includes its day) and by record status', async () => {
    expect(idsOf(await listed(['--patient', '孙']))).toEqual([ids.followUp, ids.chestPain])
    expect(idsOf(await listed(['--patient', 'mz78']))).toEqual([ids.fever])
    expect(idsOf(await listed(['--patient', 'MZ9']))).toEqual([ids.wound])
    expect(await listed(['--patient', '赵'])).toEqual([])
    expect(idsOf(await listed(['--from', '2024-03-02', '--to', '2024-03-05']))).toEqual([ids.followUp, ids.fever])
    expect(idsOf(await listed(['--to', '2024-03-01']))).toEqual([ids.chestPain, ids.wound])
    expect(idsOf(await listed(['--from', '2024-03-01T09:30:00+08:00', '--to', '2024-03-01T09:30:00+08:00']))).toEqual([ids.chestPain])
    expect(idsOf(await listed(['--status', 'draft']))).toEqual([ids.fever])
    expect(idsOf(await listed(['--status', 'signed']))).toEqual([ids.wound])
    expect(idsOf(await listed(['--status', 'amended']))).toEqual([ids.chestPain])
    expect(idsOf(await listed(['--patient', '孙丽', '--status', 'amended', '--from', '2024-02-01']))).toEqual([ids.chestPain])

    const none = await runHuatuo(['records', 'list', '--db', db, '--patient', '赵'], { env })
    expect([none.status, none.stdout]).toEqual([0, 'no consultations\n'])
    const badStatus = await runHuatuo(['records', 'list', '--db', db, '--status', 'open'], { env })
    expect([badStatus.status, badStatus.stderr]).toEqual([2, expect.stringContaining('--status must be one of draft, signed, amended')])
    expect((await runHuatuo(['records', 'list', '--db', db, '--from', 'yesterday'], { env })).status).toBe(2)
    expect((await runHuatuo(['records', 'list', '--db', db, '--limit', '0'], { env })).status).toBe(2)
    expect((await runHuatuo(['records', 'list'], { env })).status).toBe(2)
  })

  it('pages with --cursor: every consultation once, in order, the last page without a cursor', async () => {
    const seen: string[] = []
    let cursor: string | undefined
    for (let pages = 0; pages < 10; pages++) {
      const result = await runHuatuo(['records', 'list', '--db', db, '--json', '--limit', '3', ...(cursor === undefined ? [] : ['--cursor', cursor])], { env })
      expect(result.status).toBe(0)
      seen.push(...result.stdout.trim().split('\n').map((line) => (JSON.parse(line) as ConsultationSummary).consultationId))
      cursor = /--cursor (\S+)/.exec(result.stderr)?.[1]
      if (cursor === undefined) break
    }
    expect(seen).toEqual([ids.followUp, ids.fever, ids.chestPain, ids.wound])

    // With a filter, the cursor carries on within it.
    const first = await runHuatuo(['records', 'list', '--db', db, '--patient', 'MZ77', '--limit', '1'], { env })
    expect(first.stdout).toContain(ids.followUp)
    const next = /--cursor (\S+)/.exec(first.stderr)?.[1] as string
    const second = await listed(['--patient', 'MZ77', '--limit', '1', '--cursor', next])
    expect(idsOf(second)).toEqual([ids.chestPain])
    const bad = await runHuatuo(['records', 'list', '--db', db, '--cursor', 'bad'], { env })
    expect([bad.status, bad.stderr]).toEqual([1, expect.stringMatching(/^CURSOR_INVALID: /)])
  })

  it('is kept in the access log under the operating-system user: ids and counts, never names or the text searched for', async () => {
    await runHuatuo(['records', 'list', '--db', db, '--patient', '孙丽', '--status', 'amended'], { env })
    const store = await openRecordStore({ path: db, readOnly: true })
    try {
      // Newest first, every page.
      const entries = []
      for (let page = store.audit.list({ limit: 200 }); ; page = store.audit.list({ limit: 200, cursor: page.nextCursor })) {
        entries.push(...page.items)
        if (page.nextCursor === null) break
      }
      const lists = entries.filter((entry) => entry.action === 'access.consultation-list')
      expect(lists.length).toBeGreaterThan(10)
      for (const entry of lists) expect(entry.actor).toBe(`os:${userInfo().username}`)
      expect(lists[0]).toMatchObject({ entityType: 'consultation-list', entityId: 'records', details: { consultations: 1, records: 1, more: false, page: 'first', filters: 'patient,recordStatus' } })
      const shown = entries.filter((entry) => entry.action === 'access.consultation-summary' && entry.entityId === ids.chestPain)
      expect(shown[0]).toMatchObject({ actor: `os:${userInfo().username}`, entityType: 'consultation', details: { recordId: recordIds.chestPain } })
      const logged = JSON.stringify(entries.filter((entry) => entry.action.startsWith('access.')))
      for (const name of ['孙丽', '孙', '李强', '王芳', 'MZ77', 'mz78', '张医生']) expect(logged).not.toContain(name)
    } finally {
      store.close()
    }
    // The chain the command line keyed still verifies.
    expect((await runHuatuo(['audit', 'verify', '--db', db], { env })).status).toBe(0)
  })
})

describe('huatuo records search', () => {
  it('names the patient and clinic number of each hit (JSON keys after the existing ones)', async () => {
    const json = await runHuatuo(['records', 'search', '--db', db, '--json', '胸痛'], { env })
    expect(json.status).toBe(0)
    const hits = json.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>)
    expect(hits.map((hit) => hit['consultationId']).sort()).toEqual([ids.chestPain, ids.chestPain, ids.followUp].sort())
    for (const hit of hits) {
      expect(Object.keys(hit)).toEqual(['consultationId', 'source', 'messageId', 'snippet', 'rank', 'patientName', 'clinicNumber'])
      expect(hit).toMatchObject({ patientName: '孙丽', clinicNumber: 'MZ77' })
    }
    const text = await runHuatuo(['records', 'search', '--db', db, '发热'], { env })
    expect(text.stdout).toMatch(new RegExp(`^\\S+ \\S+  ${ids.fever}  (message|record) \\d+  李强 MZ78  儿科\\n`))
  })
})
