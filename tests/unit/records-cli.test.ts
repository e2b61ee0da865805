import { userInfo } from 'node:os'
import { writeFile } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runHuatuo } from '../support/cli.ts'
import { demoDataFolder, openTestStore, temporaryFolder } from './records-support.ts'

// The records commands as IT runs them: separate processes, stable exit codes, JSON lines.

let folder: Awaited<ReturnType<typeof temporaryFolder>>
const file = (name: string) => `${folder.path}/${name}`

const good = (id: string, patient: string, text: string, extra: object = {}) =>
  JSON.stringify({
    id,
    patient: { id: patient, name: '导入病人', sex: '女', age: 45 },
    department: '神经内科',
    createdAt: '2024-03-01T09:30:00+08:00',
    messages: [
      { role: 'user', text, createdAt: '2024-03-01T09:31:00+08:00' },
      { role: 'assistant', text: '建议神经内科就诊，必要时行头颅MRI。', createdAt: '2024-03-01T09:32:00+08:00' },
    ],
    notes: ['已电话随访'],
    ...extra,
  })

beforeAll(async () => {
  folder = await temporaryFolder('cli')
})

afterAll(async () => {
  await folder?.remove()
})

describe('huatuo records import', () => {
  it('imports good lines keeping their ids, reports bad lines by number without their text, and skips them whole', async () => {
    const lines = [
      good('hz-0001', 'MZ100', '反复偏头痛十年，最近每周发作。'),
      '{"id": "hz-0002", "patient": ',
      good('hz-0003', 'MZ101', '视物模糊伴头痛两天，隐私细节甲乙丙。', {
        messages: [
          { role: 'user', text: '视物模糊伴头痛两天，隐私细节甲乙丙。' },
          { role: 'doctor', text: '这一行的角色不对' },
        ],
      }),
      '',
      good('hz-0004', 'MZ100', '复诊：头痛较前减轻。'),
      good('hz-0001', 'MZ100', '重复导入的同一问诊'),
      JSON.stringify({ id: 'hz-0005', patient: { id: 'MZ102' }, createdAt: '2024-03-02T10:00:00Z', messages: [] }),
    ]
    await writeFile(file('import.jsonl'), `${lines.join('\n')}\n`)
    const db = file('import.db')
    // An import writes patients' records under a clinician's name: the workstation's first account, a doctor and its administrator.
    expect((await runHuatuo(['users', 'add', '--db', db, '--staff-id', 'D1024', '--name', '张医生', '--role', 'doctor,admin'], { input: '135792\n' })).status).toBe(0)
    const nobody = await runHuatuo(['records', 'import', '--db', db, '--file', file('import.jsonl')])
    expect([nobody.status, nobody.stderr]).toEqual([2, expect.stringMatching(/^USAGE: .*--actor STAFF_ID is required/m)])
    const wrongPin = await runHuatuo(['records', 'import', '--db', db, '--file', file('import.jsonl'), '--actor', 'D1024'], { input: '000000\n' })
    expect([wrongPin.status, wrongPin.stderr]).toEqual([1, expect.stringMatching(/^PIN_WRONG:/)])
    const result = await runHuatuo(['records', 'import', '--db', db, '--file', file('import.jsonl'), '--actor', 'D1024'], { input: '135792\n' })
    expect(result.status).toBe(1)
    expect(result.stdout).toBe('imported 2 consultations (4 messages, 2 notes); 1 already present; 3 bad lines skipped\n')
    expect(result.stderr).toBe(['line 2: line: not valid JSON', 'line 3: messages[1].role: must be "user" or "assistant"', 'line 7: patient.name: must be text', ''].join('\n'))
    expect(result.stderr).not.toContain('隐私细节')

    const search = await runHuatuo(['records', 'search', '--db', db, '--json', '头痛'])
    expect(search.status).toBe(0)
    const hits = search.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>)
    expect(hits.map((hit) => hit['consultationId']).sort()).toEqual(['hz-0001', 'hz-0004'])
    for (const hit of hits) expect(Object.keys(hit)).toEqual(['consultationId', 'source', 'messageId', 'snippet', 'rank', 'patientName', 'clinicNumber'])
    expect(hits.map((hit) => hit['clinicNumber']).sort()).toEqual(['MZ100', 'MZ100'])
    expect(hits.find((hit) => hit['consultationId'] === 'hz-0001')?.['snippet']).toBe('反复偏«头痛»十年，最近每周发作。')

    // Both visits belong to the same patient (matched by clinic number); nothing of the bad lines is stored.
    const store = await openTestStore(db)
    try {
      const patient = store.patients.byClinicNumber('MZ100')
      expect(store.consultations.list({ patientId: patient?.id as string }).items.map((c) => c.id)).toEqual(['hz-0004', 'hz-0001'])
      expect(store.consultations.get('hz-0001')).toMatchObject({ status: 'closed', createdAt: '2024-03-01T01:30:00.000Z' })
      expect(store.patients.byClinicNumber('MZ101')).toBeNull()
      expect(store.search.search({ query: '视物模糊' }).hits).toEqual([])
      // The search read patient data: kept in the access log under the operating-system user, without its words.
      const access = store.audit.list({ limit: 200 }).items.filter((entry) => entry.action === 'access.search')
      expect(access).toEqual([expect.objectContaining({ actor: `os:${userInfo().username}`, entityId: 'records' })])
      expect(JSON.stringify(access)).not.toContain('头痛')
    } finally {
      store.close()
    }
    // The CLI keys the audit chain like the app: verified with the key file it made beside the database.
    expect((await runHuatuo(['audit', 'verify', '--db', db])).stdout).toMatch(/^audit log intact: \d+ entries \(keyed with hmac-sha256:[0-9a-f]{16}\)\nchain head anchored at entry \d+\n/)

    const again = await runHuatuo(['records', 'import', '--db', db, '--file', file('import.jsonl'), '--json', '--actor', 'D1024'], { input: '135792\n' })
    const out = again.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>)
    expect(out.at(-1)).toEqual({ imported: 0, messages: 0, notes: 0, alreadyPresent: 3, badLines: 3 })
    expect(out[0]).toEqual({ line: 2, code: 'IMPORT_LINE_INVALID', detail: 'line: not valid JSON' })
  })
})

describe('huatuo records search, demo, backup, restore', () => {
  it('demo fills a database that search, filters and paging work on', async () => {
    const db = file('demo.db')
    const demo = await runHuatuo(['records', 'demo', '--db', db, '--consultations', '120', '--seed', '3', '--data', demoDataFolder, '--json'])
    expect(demo.stderr).toBe('')
    const totals = JSON.parse(demo.stdout) as Record<string, number>
    expect(totals).toMatchObject({ consultations: 120 })
    expect(totals['messages']).toBeGreaterThan(900)

    const page = await runHuatuo(['records', 'search', '--db', db, '--json', '--limit', '7', '的'])
    expect(page.stdout.trim().split('\n')).toHaveLength(7)
    const cursor = /--cursor (\S+)/.exec(page.stderr)?.[1] as string
    const next = await runHuatuo(['records', 'search', '--db', db, '--json', '--limit', '7', '--cursor', cursor, '的'])
    expect(next.status).toBe(0)
    const ids = (text: string) => text.trim().split('\n').map((line) => (JSON.parse(line) as { messageId: number }).messageId)
    expect(ids(next.stdout).some((id) => ids(page.stdout).includes(id))).toBe(false)

    const filtered = await runHuatuo(['records', 'search', '--db', db, '--department', '儿科', '--from', '2024-01-01', '--to', '2024-12-31', '医生'])
    expect(filtered.status).toBe(0)
    expect(filtered.stdout).toMatch(/儿科\n/)
    expect(filtered.stdout).not.toMatch(/ 2025-| 2023-/)
    const text = await runHuatuo(['records', 'search', '--db', db, 'ＣＴ'])
    expect(text.stdout).toMatch(/«(CT|ct|ＣＴ)»/)

    expect((await runHuatuo(['records', 'search', '--db', db])).status).toBe(1)
    expect((await runHuatuo(['records', 'search', '--db', db, '--limit', '0', 'x'])).status).toBe(2)
    expect((await runHuatuo(['records', 'search', '--db', db, '--cursor', 'bad', 'x'])).stderr).toContain('CURSOR_INVALID')
    expect((await runHuatuo(['records', 'frobnicate'])).status).toBe(2)
  })

  it('backup and restore', async () => {
    const db = file('demo.db')
    const backup = await runHuatuo(['records', 'backup', '--db', db, '--json', '--actor', 'it.admin'])
    expect(backup.status).toBe(0)
    const made = JSON.parse(backup.stdout) as { path: string; kind: string }
    expect(made.kind).toBe('manual')
    const list = await runHuatuo(['records', 'backup', '--db', db, '--list'])
    expect(list.stdout).toContain(made.path)
    const restore = await runHuatuo(['records', 'restore', '--db', db, '--from', made.path, '--actor', 'it.admin'])
    expect(restore.stderr).toBe('')
    expect(restore.status).toBe(0)
    // The backup's own log entry was written after the copy: the restore names it as superseded.
    expect(restore.stdout).toMatch(/^restored .*\nthe database as it was is kept in .*-pre-restore-.*\.db\naudit entries (\d+)–\1 of the replaced database are not in the backup;.*\n$/)
    const verify = await runHuatuo(['audit', 'verify', '--db', db])
    expect(verify.status).toBe(0)
  })

  it('refuses a database from a newer version with DB_TOO_NEW', async () => {
    const db = file('newer.db')
    const store = await openTestStore(db)
    store.connection.exec('PRAGMA user_version = 99')
    store.close()
    const result = await runHuatuo(['records', 'search', '--db', db, '头痛'])
    expect(result.status).toBe(1)
    expect(result.stderr).toMatch(/^DB_TOO_NEW: /)
  })
})
