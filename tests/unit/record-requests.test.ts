import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RequestOutput } from '../../electron/contract/channels.ts'
import type { Bundle, Provenance } from '@medplum/fhirtypes'
import { openInProcessWorkstation, type OpenedWorkstation } from '../support/in-process-workstation.ts'
import type { EngineScript } from '../support/scripted-engine.ts'

// The outpatient record through the workstation's requests, as the window makes them: a draft from
// the (scripted) engine with its links, a link removed, the completeness check, signing with the
// PIN (a wrong one refused), the print preview, an export as a download, an amendment and the
// history. Who may make which request is tested for every request in clinicians-permissions.test.ts.

const doctor = { staffId: 'D0101', name: '李医生', roles: ['doctor', 'admin'], department: '全科', pin: '483920' }

const script: EngineScript = {
  modelName: 'HuatuoGPT2-7B (scripted)',
  answers: [{ chunks: ['请问', '还有别的不舒服吗？'], pauseMs: 5 }],
  drafts: [
    {
      value: {
        chiefComplaint: { text: '头痛3天，发热1天', sources: [1, 2] },
        presentIllness: { text: '3天前出现头痛，1天前发热38.5℃。', sources: [1, 2] },
        pastHistory: { text: '未提及', sources: [] },
        allergies: { text: '无', sources: [] },
        diagnosis: { text: '急性上呼吸道感染', sources: [2, 3] },
        diagnosisCode: 'J06.9',
        plan: { text: '对症处理，多饮水', sources: [] },
      },
      chunks: 3,
      pauseMs: 5,
    },
  ],
}

let opened: OpenedWorkstation
let consultationId: string
let recordId: number
let patientMessages: number[]
let noteId: number

beforeAll(async () => {
  opened = await openInProcessWorkstation({ script })
  await opened.call('session.firstAdmin', doctor)
  consultationId = (await opened.call<{ consultationId: string }>('consultation.open', {})).consultationId
  for (const [i, text] of ['医生，我头痛三天了', '昨天开始发烧，38度5'].entries()) {
    await opened.call('consultation.send', { consultationId, answerId: `a-${i}`, text })
  }
  noteId = (await opened.call<{ id: number }>('note.add', { consultationId, text: '咽部充血' })).id
  const view = await opened.call<RequestOutput<'consultation.open'>>('consultation.open', { consultationId })
  patientMessages = view.messages.items.filter((m) => m.role === 'patient').map((m) => m.id)
}, 60_000)

afterAll(async () => {
  await opened?.close()
})

describe('the record through the requests', () => {
  it('before a draft there is no record; the draft links sections to what the patient said and the note', async () => {
    expect(await opened.call('record.get', { consultationId })).toMatchObject({ version: null, evidence: [], check: null, draft: null })
    const drafted = await opened.call<RequestOutput<'record.draft'>>('record.draft', { consultationId })
    recordId = drafted.version.recordId
    const of = (key: string) => drafted.evidence.filter((l) => l.section === key).map((l) => l.source)
    expect(of('chiefComplaint')).toEqual(patientMessages.map((messageId) => ({ kind: 'patient-message', messageId })))
    expect(of('diagnosis')).toEqual([
      { kind: 'patient-message', messageId: patientMessages[1] },
      { kind: 'clinician-note', noteId },
    ])
    // A draft has no print preview: only a signed version prints.
    await expect(opened.call('record.printable', { recordVersionId: drafted.version.id, paper: 'a4' })).rejects.toMatchObject({ code: 'RECORD_NOT_SIGNED' })
    const workspace = await opened.call<RequestOutput<'record.get'>>('record.get', { consultationId })
    expect(workspace.sectionAuthors).toMatchObject({ chiefComplaint: 'model', diagnosis: 'model' })
    expect(workspace.draft?.model.name).toBe('HuatuoGPT2-7B (scripted)')
    expect(workspace.check?.signable).toBe(true)
    expect(workspace.check?.findings).toContainEqual({ item: 'unsupported', level: 'warn', section: 'plan' })
  })

  it('the doctor removes a link; a wrong PIN does not sign; the right one does, and the links are then final', async () => {
    const workspace = await opened.call<RequestOutput<'record.get'>>('record.get', { consultationId })
    const link = workspace.evidence.find((l) => l.section === 'chiefComplaint')!
    const after = await opened.call<RequestOutput<'record.removeSource'>>('record.removeSource', { linkId: link.id })
    expect(after.evidence.map((l) => l.id)).not.toContain(link.id)

    await expect(opened.call('record.sign', { recordId, pin: '000000' })).rejects.toMatchObject({ code: 'PIN_WRONG' })
    expect((await opened.call<RequestOutput<'record.get'>>('record.get', { consultationId })).version?.status).toBe('draft')
    const signed = await opened.call<RequestOutput<'record.sign'>>('record.sign', { recordId, pin: doctor.pin })
    expect(signed.version.status).toBe('signed')
    await expect(opened.call('record.removeSource', { linkId: after.evidence[0]!.id })).rejects.toMatchObject({ code: 'RECORD_SIGNED' })
    await expect(opened.call('record.save', { consultationId, sections: { chiefComplaint: '改' } })).rejects.toMatchObject({ code: 'RECORD_SIGNED' })
  })

  it('prints for the preview on A5, and exports FHIR as a download with one Provenance per drafted section', async () => {
    const { version } = await opened.call<RequestOutput<'record.get'>>('record.get', { consultationId })
    const printable = await opened.call<RequestOutput<'record.printable'>>('record.printable', { recordVersionId: version!.id, paper: 'a5' })
    expect(printable.html).toContain('门诊病历')
    expect(printable.html).toMatch(/size:\s*A5/i)
    expect(printable.fileName).toMatch(/\.pdf$/)
    const exported = await opened.call<RequestOutput<'export.run'>>('export.run', { recordVersionId: version!.id, format: 'fhir' })
    expect(exported.outcome).toBe('download')
    if (exported.outcome !== 'download') return
    const bundle = JSON.parse(Buffer.from(exported.base64, 'base64').toString('utf8')) as Bundle
    const perSection = bundle.entry!.map((e) => e.resource!).filter((r): r is Provenance => r.resourceType === 'Provenance' && r.target[0]!.extension !== undefined)
    const sections = perSection.map((p) => p.target[0]!.extension![0]!.valueUri)
    // 既往史 "未提及" is drafted text too: the model said the consultation did not cover it.
    expect(sections).toEqual(['chiefComplaint', 'presentIllness', 'pastHistory', 'allergies', 'diagnosis', 'plan'])
    // The removed link is gone from the export; the diagnosis cites the message and the note.
    expect(perSection[0]!.entity).toHaveLength(1)
    expect(perSection[4]!.entity?.map((e) => e.what.identifier?.system)).toEqual(['urn:huatuo-workstation:patient-message', 'urn:huatuo-workstation:clinician-note'])
    // An unknown version is refused by its code.
    await expect(opened.call('record.printable', { recordVersionId: 999_999, paper: 'a4' })).rejects.toMatchObject({ code: 'RECORD_NOT_FOUND' })
  })

  it('an amendment carries the links; the history lists both versions with signer and reason, and the export', async () => {
    const { version, evidence: signedEvidence } = await opened.call<RequestOutput<'record.get'>>('record.get', { consultationId })
    await expect(opened.call('record.amend', { recordId, sections: version!.sections, reason: '补充', pin: '111111' })).rejects.toMatchObject({ code: 'PIN_WRONG' })
    const amended = await opened.call<RequestOutput<'record.amend'>>('record.amend', {
      recordId,
      sections: { ...version!.sections, physicalExam: 'T 38.2℃，咽部充血' },
      reason: '补充体格检查',
      pin: doctor.pin,
    })
    expect(amended.version).toMatchObject({ version: 2, status: 'amended' })
    const workspace = await opened.call<RequestOutput<'record.get'>>('record.get', { consultationId })
    expect(workspace.version?.version).toBe(2)
    expect(signedEvidence.length).toBe(5)
    expect(workspace.evidence.map((l) => [l.section, l.source])).toEqual(signedEvidence.map((l) => [l.section, l.source]))
    expect(workspace.evidence.every((l) => l.recordVersionId === workspace.version!.id)).toBe(true)
    const history = await opened.call<RequestOutput<'record.history'>>('record.history', { recordId })
    expect(history.versions.map((v) => [v.version, v.status, v.signerName, v.amendmentReason])).toEqual([
      [1, 'signed', doctor.name, null],
      [2, 'amended', doctor.name, '补充体格检查'],
    ])
    expect(history.exports.map((e) => [e.version, e.format, e.exportedByName])).toEqual([[1, 'fhir', doctor.name]])
    expect(history.exports[0]!.destination).toMatch(/^download:/)
  })
})
