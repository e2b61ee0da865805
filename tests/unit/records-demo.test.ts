import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ClinicianSession } from '../../electron/contract/clinicians.ts'
import type { Reply } from '../../electron/contract/channels.ts'
import { storedRecordFile } from '../../electron/core/clinical/outpatient-record/stored-record-file.ts'
import { triagePatientMessage } from '../../electron/core/clinical/triage/triage.ts'
import { readHospitalConfig } from '../../electron/core/config/hospital-config.ts'
import { SeededRandom } from '../../electron/core/models/seeded-random.ts'
import { demoClinicName } from '../../electron/core/records/demo-corpus.ts'
import { demoPatientProfile, plausiblePatientFor } from '../../electron/core/records/demo-patients.ts'
import { Workstation } from '../../electron/core/workstation.ts'
import { runHuatuo } from '../support/cli.ts'
import { checkedStaffId } from '../../electron/core/clinicians/staff-id.ts'
import { codeOf, openClinic, people } from './clinicians-support.ts'
import { openTestStore, temporaryFolder } from './records-support.ts'

// `huatuo records demo` is true to itself: patients who fit their case, red flags that triage
// raised, signers who are (disabled) accounts, a demo clinic, and a summary the database agrees with.

describe('a demo patient fits their case', () => {
  const draws = (text: string, department = '', n = 200) => {
    const random = new SeededRandom(7)
    return Array.from({ length: n }, () => plausiblePatientFor(text, random, department))
  }

  it('a newborn or an infant case brings a baby; a child case a child, with the sex the text gives', () => {
    for (const p of draws('疾病：新生儿两侧顶叶急性期脑梗塞 病情描述：该如何进行下一步治疗', '神经内科')) expect(p.ageYears).toBe(0)
    for (const p of draws('病情描述：宝宝3个多月，混合喂养，最近两个星期排便很酸臭')) expect(p.ageYears).toBe(0)
    for (const p of draws('病情描述：宝宝前几天左脸长红疹，今天蔓延到右脸。')) expect(p.ageYears).toBeLessThanOrEqual(2)
    for (const p of draws('病情描述：小孩子今天有点哭闹，有时要碰小鸡鸡')) expect(p).toMatchObject({ sex: 'male', writer: 'parent' })
    for (const p of draws('医生您好。孩子2岁3个月，女。从几个月时发现膝关节前方有色素变浅')) expect(p).toMatchObject({ sex: 'female', ageYears: 2, ageStated: true })
    for (const p of draws('病情描述：最近老是咳嗽', '儿科')) expect(p.ageYears).toBeLessThan(14)
  })

  it('a pregnancy brings a woman of childbearing age; a gynaecological complaint a woman; a prostate an older man', () => {
    for (const p of draws('疾病：大夫您好，怀孕9周，小三阳，不知能否建档')) {
      expect(p.sex).toBe('female')
      expect(p.ageYears).toBeGreaterThanOrEqual(18)
      expect(p.ageYears).toBeLessThanOrEqual(45)
    }
    for (const p of draws('疾病：例假一直不停 怀孕情况：未怀孕')) expect(p.sex).toBe('female')
    for (const p of draws('疾病：前列腺增生 病情描述：两天前老人尿中有些')) {
      expect(p.sex).toBe('male')
      expect(p.ageYears).toBeGreaterThanOrEqual(55)
    }
    for (const p of draws('病情描述：我老公今天上了两次厕所都拉血')) expect(p).toMatchObject({ sex: 'male', writer: 'relative' })
  })

  it('an age the text states is the age; an adult wanting a test-tube baby is not a child; the elderly are older', () => {
    for (const p of draws('病情描述：患者女，57岁，因喉咙疼痛，声音嘶哑')) expect(p).toMatchObject({ sex: 'female', ageYears: 57, ageStated: true })
    for (const p of draws('病情描述：结婚两年多，未避孕，没有怀孕。希望获得的帮助：是否需要做试管婴儿')) expect(p.ageYears).toBeGreaterThanOrEqual(18)
    for (const p of draws('病情描述：老人最近总是头晕')) expect(p.ageYears).toBeGreaterThanOrEqual(60)
    expect(demoPatientProfile('病情描述：老人最近总是头晕').ageStated).toBe(false)
  })

  it('is deterministic with the seeded random, and varies without a stated age or sex', () => {
    const text = '病情描述：手上，手心长小泡，十个手指肚脱皮。'
    expect(draws(text)).toEqual(draws(text))
    const all = draws(text)
    expect(new Set(all.map((p) => p.sex))).toEqual(new Set(['female', 'male']))
    expect(new Set(all.map((p) => p.ageYears)).size).toBeGreaterThan(20)
  })
})

describe('demo clinician accounts', () => {
  it('are never administrators, never take a person’s account, and only the demo’s can be disabled by the demo', async () => {
    const clinic = await openClinic('demo-accounts', { people: ['doctor'] })
    try {
      const { accounts } = clinic
      expect(await codeOf(() => accounts.addDemoClinician({ staffId: 'demo-x', name: '演示', roles: ['doctor', 'admin'] }))).toBe('USAGE')
      expect(await codeOf(() => accounts.addDemoClinician({ staffId: people.doctor.staffId, name: '演示', roles: ['doctor'] }))).toBe('CLINICIAN_EXISTS')
      const demo = await accounts.addDemoClinician({ staffId: 'demo-x', name: '某医生（演示）', roles: ['doctor'] })
      expect(demo).toMatchObject({ status: 'active', createdBy: 'demo', pinChangeRequired: true })
      // Made again: the same account, not a second one.
      expect((await accounts.addDemoClinician({ staffId: 'demo-x', name: '某医生（演示）', roles: ['doctor'] })).createdAt).toBe(demo.createdAt)
      expect(accounts.disableDemoClinician('demo-x').status).toBe('disabled')
      expect(await codeOf(() => accounts.disableDemoClinician(people.doctor.staffId))).toBe('FORBIDDEN')
      expect(await codeOf(() => accounts.verifyPin('demo-x', '482916', 'sign-in'))).toBe('PIN_WRONG')
      expect(clinic.store.audit.list({ limit: 10 }).items.map((e) => [e.actor, e.action, e.entityId]).slice(0, 2)).toEqual([
        ['system', 'clinician.pin-wrong', 'demo-x'],
        ['demo', 'clinician.disable', 'demo-x'],
      ])
      expect(() => checkedStaffId('demo')).toThrow()
    } finally {
      await clinic.remove()
    }
  })
})

describe('huatuo records demo on a fresh data folder', () => {
  let folder: Awaited<ReturnType<typeof temporaryFolder>>
  let dataDir: string
  let db: string
  let totals: Record<string, number | string>
  let sqlite: DatabaseSync

  beforeAll(async () => {
    folder = await temporaryFolder('demo')
    dataDir = join(folder.path, 'data')
    db = join(dataDir, 'records.db')
    const demo = await runHuatuo(['records', 'demo', '--db', db, '--consultations', '200', '--seed', '5', '--json'])
    expect(demo.stderr).toBe('')
    expect(demo.status).toBe(0)
    totals = JSON.parse(demo.stdout) as Record<string, number | string>
    sqlite = new DatabaseSync(db, { readOnly: true })
  }, 120_000)

  afterAll(async () => {
    sqlite?.close()
    await folder?.remove()
  })

  const all = <T>(sql: string, ...params: Array<string | number>) => sqlite.prepare(sql).all(...params) as unknown as T[]
  const count = (sql: string) => (sqlite.prepare(sql).get() as { n: number }).n

  it('the summary is what the database holds', async () => {
    expect(totals).toMatchObject({
      consultations: count('SELECT count(*) AS n FROM consultations'),
      messages: count('SELECT count(*) AS n FROM messages'),
      notes: count('SELECT count(*) AS n FROM clinician_notes'),
      redFlags: count('SELECT count(*) AS n FROM red_flags'),
      signedRecords: count("SELECT count(*) AS n FROM outpatient_record_versions WHERE status = 'signed'"),
      demoClinicians: count("SELECT count(*) AS n FROM clinicians WHERE created_by = 'demo'"),
      clinic: demoClinicName,
    })
    expect(totals['consultations']).toBe(200)
    expect(totals['signedRecords']).toBeGreaterThan(0)
    const text = await runHuatuo(['records', 'demo', '--db', join(folder.path, 'text.db'), '--consultations', '20'])
    expect(text.stdout).toMatch(/^stored 20 demo consultations: \d+ messages, \d+ notes, \d+ red flags \(raised by triage\), \d+ signed records; 4 demo doctor accounts \(disabled\); clinic "华佗演示诊所/)
  })

  it('every red flag is what triage raises on its message for that patient, and nothing else is flagged', () => {
    expect(totals['redFlags']).toBeGreaterThan(0)
    const messages = all<{ id: number; text: string; sex: 'male' | 'female'; age: number }>(
      `SELECT m.id, m.text, p.sex, p.age_years AS age FROM messages m JOIN consultations c ON c.id = m.consultation_id JOIN patients p ON p.id = c.patient_id
       WHERE m.role = 'patient' ORDER BY m.id`,
    )
    const stored = new Map<number, Array<{ ruleId: string; category: string; level: string; matched: string[]; ruleSetVersion: string }>>()
    for (const flag of all<{ message_id: number; rule_id: string; category: string; level: string; matched_words: string; rule_version: string }>('SELECT * FROM red_flags ORDER BY id')) {
      const list = stored.get(flag.message_id) ?? []
      list.push({ ruleId: flag.rule_id, category: flag.category, level: flag.level, matched: JSON.parse(flag.matched_words) as string[], ruleSetVersion: flag.rule_version })
      stored.set(flag.message_id, list)
    }
    let flagged = 0
    for (const message of messages) {
      const expected = triagePatientMessage(message.text, { sex: message.sex, ageYears: message.age }).map(({ ruleId, category, level, matched, ruleSetVersion }) => ({
        ruleId,
        category,
        level,
        matched,
        ruleSetVersion,
      }))
      expect(stored.get(message.id) ?? []).toEqual(expected)
      if (expected.length > 0) flagged++
    }
    expect(flagged).toBe(stored.size)
  })

  it('every signer is an existing demo doctor account, disabled, never an administrator', () => {
    const signers = all<{ signed_by: string }>("SELECT DISTINCT signed_by FROM outpatient_record_versions WHERE status = 'signed'").map((row) => row.signed_by)
    expect(signers.length).toBeGreaterThan(0)
    for (const staffId of signers) {
      const account = sqlite.prepare('SELECT * FROM clinicians WHERE staff_id = ?').get(staffId) as
        | { roles: string; disabled_at: number | null; created_by: string; name: string; pin_hash: string }
        | undefined
      expect(account, staffId).toBeDefined()
      expect(account).toMatchObject({ roles: 'doctor', created_by: 'demo' })
      expect(account?.disabled_at).not.toBeNull()
      expect(account?.name).toContain('演示')
      expect(account?.pin_hash).toMatch(/^scrypt\$/)
    }
    expect(count("SELECT count(*) AS n FROM clinicians WHERE roles LIKE '%admin'")).toBe(0)
  })

  it('no consultation pairs a baby’s complaint with an older patient, a pregnancy with a man, or a man’s complaint with a woman', () => {
    const consultations = all<{ id: string; sex: string; age: number }>(
      'SELECT c.id, p.sex, p.age_years AS age FROM consultations c JOIN patients p ON p.id = c.patient_id',
    )
    const textOf = (id: string) =>
      all<{ text: string }>("SELECT text FROM messages WHERE consultation_id = ? AND role = 'patient'", id)
        .map((row) => row.text)
        .join('\n') + all<{ sections: string }>('SELECT sections FROM outpatient_record_versions v JOIN outpatient_records r ON r.id = v.record_id WHERE r.consultation_id = ?', id).map((row) => row.sections).join('\n')
    let babies = 0
    let pregnancies = 0
    let men = 0
    for (const consultation of consultations) {
      const text = textOf(consultation.id)
      if (/新生儿|(?<!试管)婴儿|宝宝\d+个多?月|刚满百天|100天宝宝/.test(text)) {
        babies++
        expect(consultation.age, `${consultation.id}: ${text.slice(0, 80)}`).toBeLessThanOrEqual(2)
      }
      if (/孕\d+周|怀孕\d+周|怀孕[一二两三四五六七八九十]+个月|孕[一二两三四五六七八九十]+个月/.test(text)) {
        pregnancies++
        expect(consultation.sex, consultation.id).toBe('female')
        expect(consultation.age).toBeGreaterThanOrEqual(16)
        expect(consultation.age).toBeLessThanOrEqual(50)
      }
      if (/前列腺|早泄|射精|阴囊/.test(text)) {
        men++
        expect(consultation.sex, consultation.id).toBe('male')
      }
    }
    expect(babies).toBeGreaterThan(0)
    expect(pregnancies).toBeGreaterThan(0)
    expect(men).toBeGreaterThan(0)
  })

  it('audit verify passes: the chain, its anchor and every signed record', async () => {
    const verify = await runHuatuo(['audit', 'verify', '--db', db])
    expect(verify.stdout).toMatch(/audit log intact/)
    expect(verify.stdout).toMatch(new RegExp(`signed records intact: ${totals['signedRecords']} signed`))
    expect(verify.status).toBe(0)
  })

  it('a record exported from the demo names the demo clinic, not the one configured', async () => {
    const store = await openTestStore(db, { readOnly: true })
    try {
      const versionId = (sqlite.prepare("SELECT id FROM outpatient_record_versions WHERE status = 'signed' LIMIT 1").get() as { id: number }).id
      const record = storedRecordFile(store, versionId, { clinicName: '华佗社区卫生服务中心' })
      expect(record.clinic.name).toBe(demoClinicName)
      expect(record.doctor.id).toMatch(/^demo-dr-/)
    } finally {
      store.close()
    }
  })

  it('the window still asks for the first administrator, who can then be created', async () => {
    const configPath = join(folder.path, 'hospital.json')
    await writeFile(configPath, JSON.stringify({ dataDir }))
    const config = await readHospitalConfig(configPath, {})
    const workstation = await Workstation.open({ config, about: { name: 'Huatuo Workstation', version: 'test', electron: '', node: process.versions.node }, triage: triagePatientMessage })
    try {
      const current = (await workstation.invoke('session.current', {})) as Reply<ClinicianSession>
      expect(current).toEqual({ ok: true, value: { state: 'signed-out', firstAdminNeeded: true } })
      // A demo doctor cannot sign in, whatever PIN is tried.
      const demoSignIn = (await workstation.invoke('session.signIn', { staffId: 'demo-dr-li', pin: '482916' })) as Reply<ClinicianSession>
      expect(demoSignIn.ok).toBe(false)
      const admin = (await workstation.invoke('session.firstAdmin', { staffId: 'A001', name: '管理员', roles: ['doctor', 'admin'], pin: '482916' })) as Reply<ClinicianSession>
      expect(admin).toMatchObject({ ok: true, value: { state: 'active' } })
      const after = (await workstation.invoke('session.signOut', {})) as Reply<ClinicianSession>
      expect(after).toMatchObject({ ok: true, value: { state: 'signed-out', firstAdminNeeded: false } })
    } finally {
      await workstation.dispose()
    }
  }, 60_000)
})
