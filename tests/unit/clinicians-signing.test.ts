import { afterEach, describe, expect, it } from 'vitest'
import { notCertifiedStatement, PinConfirmedSigning } from '../../electron/core/clinicians/pin-confirmed-signing.ts'
import { verifyAuditChain } from '../../electron/core/clinicians/audit-chain-verification.ts'
import { codeOf, draftRecord, openClinic, people, signIn, type Clinic } from './clinicians-support.ts'

// Signing an outpatient record asks for the PIN again at that moment, then stamps the version with
// the clinician's id, name and time, and keeps a record of the signature that says it is not a
// CA-certified electronic signature unless the hospital configures one. A refusal stamps nothing.

let clinic: (Clinic & { remove(): Promise<void> }) | undefined

afterEach(async () => {
  await clinic?.remove()
  clinic = undefined
})

function stampedNothing(c: Clinic, recordId: number): void {
  expect(c.store.records.versions(recordId).map((v) => [v.status, v.signedBy, v.signedAt])).toEqual([['draft', null, null]])
  expect(c.signing.signaturesOf(recordId)).toEqual([])
  expect(c.store.audit.list().items.filter((e) => e.action === 'record.sign' || e.action === 'record.signature')).toEqual([])
}

describe('signing a record', () => {
  it('with the right PIN: locked, stamped with id, name and time, and a signature record that is not CA-certified', async () => {
    clinic = await openClinic('sign')
    const recordId = draftRecord(clinic.store)
    await signIn(clinic, 'doctor')
    const { version, signature } = await clinic.signing.sign(recordId, people.doctor.pin)
    expect(version).toMatchObject({ status: 'signed', signedBy: 'D1024' })
    expect(signature).toEqual({
      recordVersionId: version.id,
      recordId,
      version: 1,
      staffId: 'D1024',
      name: '张医生',
      department: '内科',
      roles: ['doctor'],
      signedAt: version.signedAt,
      method: 'pin',
      certified: false,
      statement: notCertifiedStatement,
      contentHash: version.contentHash,
    })
    expect(signature.statement).toContain('不是依法设立的电子认证服务机构（CA）认证的可靠电子签名')
    expect(signature.statement).toContain('not a CA-certified electronic signature')
    expect(clinic.signing.signatureOf(version.id)).toEqual(signature)
    const audit = clinic.store.audit.list().items
    expect(audit[0]).toMatchObject({ actor: 'D1024', action: 'record.signature', details: { recordVersionId: version.id, certified: false } })
    expect(audit[0]?.details['signatureHash']).toMatch(/^[0-9a-f]{64}$/)
    expect(audit[1]).toMatchObject({ actor: 'D1024', action: 'record.sign' })
    expect(() => clinic?.store.connection.exec("UPDATE record_signatures SET name = '李医生'")).toThrow('RECORD_SIGNED')
    expect(() => clinic?.store.connection.exec('DELETE FROM record_signatures')).toThrow('RECORD_SIGNED')
    expect(verifyAuditChain(clinic.store, [clinic.hasher]).ok).toBe(true)
  })

  it('with a wrong PIN: refused, nothing stamped, and the wrong PIN counts', async () => {
    clinic = await openClinic('wrong-pin')
    const recordId = draftRecord(clinic.store)
    await signIn(clinic, 'doctor')
    expect(await codeOf(() => clinic?.signing.sign(recordId, '975310'))).toBe('PIN_WRONG')
    expect(await codeOf(() => clinic?.signing.sign(recordId, people.nurse.pin))).toBe('PIN_WRONG')
    stampedNothing(clinic, recordId)
    expect(await codeOf(() => clinic?.signing.sign(recordId, people.doctor.pin))).toBe('PIN_RETRY_LATER')
    stampedNothing(clinic, recordId)
  })

  it('five wrong PINs while signing lock the account and end the session; nothing is ever stamped', async () => {
    clinic = await openClinic('sign-lockout')
    const recordId = draftRecord(clinic.store)
    await signIn(clinic, 'doctor')
    for (let i = 0; i < 4; i++) {
      expect(await codeOf(() => clinic?.signing.sign(recordId, `97531${i}`))).toBe('PIN_WRONG')
      // Past the growing wait (at most 16 s here), well within the idle time.
      clinic.clock.advance(20_000)
    }
    expect(await codeOf(() => clinic?.signing.sign(recordId, '975319'))).toBe('ACCOUNT_LOCKED')
    expect(clinic.sessions.current().state).toBe('signed-out')
    stampedNothing(clinic, recordId)
  })

  it('a nurse, an admin, nobody, or a locked session cannot sign — the PIN is not even checked', async () => {
    clinic = await openClinic('who-signs')
    const recordId = draftRecord(clinic.store)
    expect(await codeOf(() => clinic?.signing.sign(recordId, people.doctor.pin))).toBe('NOT_SIGNED_IN')
    await signIn(clinic, 'nurse')
    expect(await codeOf(() => clinic?.signing.sign(recordId, people.nurse.pin))).toBe('FORBIDDEN')
    await signIn(clinic, 'admin')
    expect(await codeOf(() => clinic?.signing.sign(recordId, people.admin.pin))).toBe('FORBIDDEN')
    await signIn(clinic, 'doctor')
    clinic.clock.advance(5 * 60_000)
    expect(await codeOf(() => clinic?.signing.sign(recordId, people.doctor.pin))).toBe('SESSION_LOCKED')
    stampedNothing(clinic, recordId)
    expect(clinic.accounts.list().every((c) => c.status === 'active')).toBe(true)
    const failures = clinic.store.connection.prepare('SELECT sum(failed_attempts) AS n FROM clinicians').get() as { n: number }
    expect(failures.n).toBe(0)
    // The director is a doctor as well as an admin: signs.
    await signIn(clinic, 'director')
    expect((await clinic.signing.sign(recordId, people.director.pin)).signature).toMatchObject({ staffId: 'D0001', roles: ['doctor', 'admin'] })
  })

  it('an amendment is a signature too: PIN, reason, and its own signature record', async () => {
    clinic = await openClinic('amend')
    const recordId = draftRecord(clinic.store)
    await signIn(clinic, 'doctor')
    await clinic.signing.sign(recordId, people.doctor.pin)
    await signIn(clinic, 'director')
    expect(await codeOf(() => clinic?.signing.amend(recordId, { chiefComplaint: '头痛3天', diagnosis: '紧张型头痛' }, '复诊修正诊断', '975310'))).toBe('PIN_WRONG')
    const amended = await clinic.signing.amend(recordId, { chiefComplaint: '头痛3天', diagnosis: '紧张型头痛' }, '复诊修正诊断', people.director.pin)
    expect(amended.version).toMatchObject({ status: 'amended', version: 2, signedBy: 'D0001', amendmentReason: '复诊修正诊断' })
    expect(clinic.signing.signaturesOf(recordId).map((s) => [s.version, s.staffId, s.name])).toEqual([
      [1, 'D1024', '张医生'],
      [2, 'D0001', '陈主任'],
    ])
  })

  it('a hospital that configures a CA-certified signature has its description stored instead', async () => {
    clinic = await openClinic('certified', { certifiedSignature: { provider: '某省CA', description: '医院 CA 签名服务（UKey）' } })
    const recordId = draftRecord(clinic.store)
    await signIn(clinic, 'doctor')
    const { signature } = await clinic.signing.sign(recordId, people.doctor.pin)
    expect(signature).toMatchObject({ certified: true, statement: '某省CA: 医院 CA 签名服务（UKey）' })
  })

  it('the record’s completeness checks always run: an incomplete draft or amendment is refused and nothing is stamped', async () => {
    clinic = await openClinic('incomplete')
    const patient = clinic.store.patients.register({ name: '测试病人', sex: 'female', ageYears: 42 }, people.doctor.staffId)
    const consultation = clinic.store.consultations.create({ patientId: patient.id, department: '内科' }, people.doctor.staffId)
    const draft = clinic.store.records.saveDraft(consultation.id, { chiefComplaint: '头痛3天', diagnosis: '未提及' }, people.doctor.staffId)
    await signIn(clinic, 'doctor')
    const refused = await clinic.signing.sign(draft.recordId, people.doctor.pin).catch((error: unknown) => error)
    expect(refused).toMatchObject({ code: 'RECORD_INCOMPLETE', detail: 'missing: diagnosis' })
    stampedNothing(clinic, draft.recordId)
    // A PinConfirmedSigning built by hand signs the same way: there are no steps to swap out.
    const byHand = new PinConfirmedSigning({ store: clinic.store, sessions: clinic.sessions })
    expect(await codeOf(() => byHand.sign(draft.recordId, people.doctor.pin))).toBe('RECORD_INCOMPLETE')
    stampedNothing(clinic, draft.recordId)

    const recordId = draftRecord(clinic.store)
    await clinic.signing.sign(recordId, people.doctor.pin)
    expect(await codeOf(() => clinic?.signing.amend(recordId, { chiefComplaint: '', diagnosis: '偏头痛' }, '更正', people.doctor.pin))).toBe('RECORD_INCOMPLETE')
    expect(await codeOf(() => clinic?.signing.amend(recordId, { chiefComplaint: '头痛3天', diagnosis: '偏头痛', diagnosisCode: 'headache' }, '更正', people.doctor.pin))).toBe('USAGE')
    expect(clinic.store.records.versions(recordId).map((v) => v.status)).toEqual(['signed'])
    expect(clinic.signing.signaturesOf(recordId)).toHaveLength(1)
  })
})
