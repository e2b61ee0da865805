// @vitest-environment jsdom
import type { VueWrapper } from '@vue/test-utils'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import type { Pinia } from 'pinia'
import { nextTick } from 'vue'
import type { RecordHistory, RecordWorkspace } from '../../electron/contract/record-evidence.ts'
import RecordEditor from '../../renderer/src/components/records/RecordEditor.vue'
import RecordList from '../../renderer/src/components/records/RecordList.vue'
import { i18n } from '../../renderer/src/i18n/index.ts'
import { router } from '../../renderer/src/router/index.ts'
import { useConsultationStore } from '../../renderer/src/stores/consultation.ts'
import { useModelStore } from '../../renderer/src/stores/model.ts'
import { AUTOSAVE_DELAY_MS, useRecordEditorStore } from '../../renderer/src/stores/record-editor.ts'
import { useSessionStore } from '../../renderer/src/stores/session.ts'
import { openInProcessWorkstation, type OpenedWorkstation } from '../support/in-process-workstation.ts'
import type { EngineScript } from '../support/scripted-engine.ts'
import { connectTo, freshWindow, mountInWindow, settled } from './window-harness.ts'

// The outpatient record's editor against the real workstation core in this process, the model being
// the scripted engine (chosen answers, a chosen draft citing the numbered turns): the draft with its
// progress, who wrote each section, the sources and what they share with the conversation, saving
// as the doctor types, the completeness check, signing with the PIN (a wrong one refused), the
// amendment, the versions and their comparison, the export (as the browser host hands it back) and
// the print preview. One consultation goes through all of it, test after test.

// The editor stays mounted from one test to the next (the consultation's story goes on); the list
// test unmounts it first.
const DOCTOR = { staffId: 'D0001', name: '李医生', pin: '482915' }
const PATIENT_1 = '我头痛三天了，还有点低热，最高37.8度。'
const PATIENT_2 = '以前有高血压，一直在吃氨氯地平。'
const NOTE = '查体：咽部充血，扁桃体无肿大。'

const script: EngineScript = {
  modelName: 'HuatuoGPT2-7B (scripted)',
  answers: [{ chunks: ['请问', '还有其他不适吗？'], pauseMs: 5 }],
  drafts: [
    {
      value: {
        // Turns as the model is shown them: [1] and [2] the patient's messages, [3] the note.
        chiefComplaint: { text: '头痛三天，伴低热', sources: [1] },
        presentIllness: { text: '患者三天前出现头痛，伴低热，最高37.8度。', sources: [1] },
        pastHistory: { text: '高血压病史，服用氨氯地平。', sources: [2] },
        allergies: { text: '未提及', sources: [] },
        // Cites the note, with which it shares no wording: a weak link.
        diagnosis: { text: '上呼吸道感染', sources: [3] },
        diagnosisCode: 'J06.9',
        // Cites nothing: flagged.
        plan: { text: '多饮水，注意休息，必要时复诊。', sources: [] },
      },
      chunks: 5,
      pauseMs: 60,
    },
    {
      // The second draft cites one turn twice: the core refuses it whole (DRAFT_INCOMPLETE).
      value: {
        chiefComplaint: { text: '咳嗽', sources: [1, 1] },
        presentIllness: { text: '咳嗽两天', sources: [] },
        pastHistory: { text: '未提及', sources: [] },
        allergies: { text: '未提及', sources: [] },
        diagnosis: { text: '急性支气管炎', sources: [] },
        diagnosisCode: 'J20.9',
        plan: { text: '对症处理', sources: [] },
      },
      chunks: 2,
      pauseMs: 20,
    },
  ],
}

let opened: OpenedWorkstation
let stopEvents: (() => void) | undefined
let pinia: Pinia
let consultationId: string
/** The first consultation, once its record is signed and amended. */
let signedConsultationId: string
let editor: VueWrapper

async function newWindow() {
  stopEvents?.()
  pinia = freshWindow()
  stopEvents = connectTo(opened.workstation)
  await useSessionStore().refresh()
  await useModelStore().refresh()
}

/** The editor as the records screen shows it for the consultation. */
async function mountEditor(): Promise<VueWrapper> {
  await router.replace({ name: 'records', params: { consultationId } })
  editor = mountInWindow(RecordEditor, pinia, { props: { consultationId }, plugins: [router] })
  await vi.waitFor(() => expect(useRecordEditorStore().loading).toBe(false))
  await settled()
  return editor
}

const section = (key: string) => editor.get(`[data-testid=record-section][data-section=${key}]`)
const textOf = (key: string) => (section(key).get('textarea').element as HTMLTextAreaElement).value
const chips = (key: string) => section(key).findAll('[data-testid=evidence-chip]')
const stored = () => opened.call<RecordWorkspace>('record.get', { consultationId })
const history = async () => opened.call<RecordHistory>('record.history', { recordId: (await stored()).version!.recordId })

/** Types into a section as a doctor does, then waits out the autosave and the read-back. */
async function typeInto(key: string, text: string) {
  await section(key).get('textarea').setValue(text)
  await new Promise((resolve) => setTimeout(resolve, AUTOSAVE_DELAY_MS + 50))
  await vi.waitFor(() => expect(useRecordEditorStore().saving).toBe(false))
  await settled()
}

beforeAll(async () => {
  opened = await openInProcessWorkstation({ script })
  await opened.call('session.firstAdmin', { staffId: DOCTOR.staffId, name: DOCTOR.name, roles: ['doctor', 'admin'], pin: DOCTOR.pin })
  await newWindow()
  // The consultation: two patient messages answered by the scripted model, and the doctor's note.
  const consultation = useConsultationStore()
  await consultation.open()
  consultationId = consultation.consultationId!
  await consultation.updatePatient({ name: '王芳', sex: 'female', ageYears: 34, clinicNumber: 'MZ2026001', department: '神经内科' })
  for (const text of [PATIENT_1, PATIENT_2]) {
    await consultation.send(text)
    expect(consultation.failure, text).toBeNull()
  }
  await opened.call('note.add', { consultationId, text: NOTE })
  await settled()
})

afterEach(() => {
  i18n.global.locale.value = 'zh-CN'
})

afterAll(async () => {
  editor?.unmount()
  stopEvents?.()
  await opened?.close()
})

describe('the record editor, drafted by the model', () => {
  it('opens a consultation with no record: its conversation numbered as the model reads it, nine empty sections, nothing to sign yet', async () => {
    await newWindow()
    await mountEditor()
    expect(editor.get('[data-testid=record-patient]').text()).toBe('王芳')
    expect(editor.get('[data-testid=record-clinic-number]').text()).toBe('MZ2026001')
    expect(editor.get('[data-testid=record-department]').text()).toBe('神经内科')
    expect(editor.get('[data-testid=record-status]').attributes('data-status')).toBe('none')
    const turns = editor.findAll('[data-testid=record-turn]')
    expect(turns.map((turn) => [turn.attributes('data-kind'), turn.find('.number').exists() ? turn.get('.number').text() : null])).toEqual([
      ['patient', '#1'],
      ['model', null],
      ['patient', '#2'],
      ['model', null],
      ['note', '#3'],
    ])
    expect(editor.findAll('[data-testid=record-section]').map((field) => field.attributes('data-section'))).toEqual([
      'chiefComplaint',
      'presentIllness',
      'pastHistory',
      'allergies',
      'physicalExam',
      'investigations',
      'diagnosis',
      'plan',
      'orders',
    ])
    expect(editor.get('[data-testid=record-sign]').attributes('disabled')).toBeDefined()
    expect(editor.get('[data-testid=record-draft]').text()).toBe('起草病历')
  })

  it('drafts with the model’s progress shown, then marks each section drafted or the doctor’s, with its sources', async () => {
    const store = useRecordEditorStore()
    const seen: number[] = []
    const stop = store.$subscribe(() => {
      if (store.progress) seen.push(store.progress.generatedTokens)
    })
    await editor.get('[data-testid=record-draft]').trigger('click')
    await vi.waitFor(() => expect(editor.find('[data-testid=draft-progress]').exists()).toBe(true))
    await vi.waitFor(() => expect(editor.get('[data-testid=draft-progress]').text()).toMatch(/^模型正在起草… \d+ \/ \d+ 词元/), { timeout: 5_000 })
    await vi.waitFor(() => expect(store.drafting).toBe(false), { timeout: 10_000 })
    await settled()
    stop()
    expect(seen.length).toBeGreaterThan(0)
    expect(store.draftFailure).toBeNull()

    expect(textOf('chiefComplaint')).toBe('头痛三天，伴低热')
    expect(section('diagnosis').get('input[data-testid=section-code]').element).toHaveProperty('value', 'J06.9')
    const authors = Object.fromEntries(editor.findAll('[data-testid=record-section]').map((field) => [field.attributes('data-section'), field.attributes('data-author')]))
    expect(authors).toMatchObject({ chiefComplaint: 'model', presentIllness: 'model', diagnosis: 'model', plan: 'model', physicalExam: 'none', investigations: 'none', orders: 'none' })
    expect(section('chiefComplaint').get('[data-testid=section-author]').text()).toBe('AI 起草')
    // The sections the model never drafts start empty, for the doctor.
    for (const key of ['physicalExam', 'investigations', 'orders']) {
      expect(textOf(key)).toBe('')
      expect(section(key).get('[data-testid=section-doctor-only]').text()).toBe('医生填写')
      expect(section(key).get('textarea').attributes('placeholder')).toBe('由医生填写：模型不起草此项。')
    }
    expect(editor.get('[data-testid=record-status]').attributes('data-status')).toBe('draft')
    expect(editor.get('[data-testid=record-draft]').text()).toBe('重新起草')
  })

  it('names each source by its turn with what it shares; a source sharing no wording is weak; a drafted section citing nothing is flagged', async () => {
    const complaint = chips('chiefComplaint')
    expect(complaint).toHaveLength(1)
    expect(complaint[0]!.attributes('data-weak')).toBe('false')
    expect(complaint[0]!.text()).toContain('病人 #1')
    expect(chips('pastHistory')[0]!.text()).toContain('病人 #2')
    expect(chips('pastHistory')[0]!.text()).toContain('氨氯地平')

    const weak = chips('diagnosis')
    expect(weak).toHaveLength(1)
    expect(weak[0]!.attributes('data-weak')).toBe('true')
    expect(weak[0]!.text()).toContain('备注 #3')
    expect(weak[0]!.text()).toContain('弱关联')
    expect(weak[0]!.get('[data-testid=evidence-show]').attributes('aria-label')).toContain('所引用的这句话与本节没有相同的措辞')

    expect(section('plan').find('[data-testid=section-no-source]').exists()).toBe(true)
    expect(section('plan').get('[data-testid=section-no-source]').text()).toBe('无出处')
    // "未提及" is not a claim: it needs no source.
    expect(section('allergies').find('[data-testid=section-no-source]').exists()).toBe(false)
    expect(chips('allergies')).toHaveLength(0)
  })

  it('highlights in the conversation, on pointing at a source, the runs the section shares with that message', async () => {
    const turn = (key: string) => editor.get(`[data-turn="${key}"]`)
    const messageId = (await stored()).evidence.find((link) => link.section === 'presentIllness')!.source
    expect(messageId.kind).toBe('patient-message')
    const key = `patient:${(messageId as { messageId: number }).messageId}`
    expect(turn(key).findAll('mark')).toHaveLength(0)

    await chips('presentIllness')[0]!.get('[data-testid=evidence-show]').trigger('mouseenter')
    expect(turn(key).classes()).toContain('highlighted')
    expect(turn(key).findAll('[data-testid=shared-run]').map((mark) => mark.text())).toEqual(['头痛三天', '低热，最高37.8度'])
    await chips('presentIllness')[0]!.get('[data-testid=evidence-show]').trigger('mouseleave')
    expect(turn(key).findAll('mark')).toHaveLength(0)

    // A weak link shows its message, with nothing marked in it.
    await chips('diagnosis')[0]!.get('[data-testid=evidence-show]').trigger('click')
    const note = editor.get('[data-testid=record-turn][data-kind=note]')
    expect(note.classes()).toContain('highlighted')
    expect(note.findAll('mark')).toHaveLength(0)
    // Clicked, it stays shown until clicked again.
    await chips('diagnosis')[0]!.get('[data-testid=evidence-show]').trigger('click')
    expect(note.classes()).not.toContain('highlighted')
  })

  it('saves what the doctor types shortly after, marks the section the doctor’s, and keeps its links “from the draft”', async () => {
    await typeInto('presentIllness', '患者三天前出现头痛，伴低热，最高37.8度，无呕吐。')
    const record = await stored()
    expect(record.version!.sections.presentIllness).toBe('患者三天前出现头痛，伴低热，最高37.8度，无呕吐。')
    expect(record.sectionAuthors.presentIllness).toBe('doctor')
    expect(section('presentIllness').attributes('data-author')).toBe('doctor')
    expect(section('presentIllness').get('[data-testid=section-author]').text()).toBe('医生')
    expect(section('presentIllness').get('[data-testid=from-draft]').text()).toBe('来自草稿')
    expect(chips('presentIllness')).toHaveLength(1)
    expect(editor.get('[data-testid=record-save-state]').text()).toBe('已保存')
  })

  it('never loses typing: text typed while a save is on its way stays on screen and is saved next', async () => {
    const store = useRecordEditorStore()
    const field = section('physicalExam').get('textarea')
    await field.setValue('T 37.6℃')
    await field.trigger('blur')
    expect(store.saving).toBe(true)
    // Typed on while the first save is in flight.
    await field.setValue('T 37.6℃，咽部充血')
    await settled()
    expect(textOf('physicalExam')).toBe('T 37.6℃，咽部充血')
    await field.trigger('blur')
    await vi.waitFor(async () => expect((await stored()).version!.sections.physicalExam).toBe('T 37.6℃，咽部充血'))
    await vi.waitFor(() => expect(store.dirty).toBe(false))
    expect(textOf('physicalExam')).toBe('T 37.6℃，咽部充血')
  })

  it('removes a source the doctor rejects', async () => {
    const linkId = Number(chips('pastHistory')[0]!.attributes('data-link-id'))
    await chips('pastHistory')[0]!.get('[data-testid=evidence-remove]').trigger('click')
    await settled()
    expect(chips('pastHistory')).toHaveLength(0)
    expect((await stored()).evidence.map((link) => link.id)).not.toContain(linkId)
  })

  it('lists the completeness check, and a finding takes the doctor to its section', async () => {
    const findings = () => editor.findAll('[data-testid=check-finding]').map((finding) => [finding.attributes('data-item'), finding.attributes('data-level'), finding.attributes('data-section')])
    // Drafted, removed source and all: the past history is still the model's text, now citing nothing.
    expect(findings()).toEqual(
      expect.arrayContaining([
        ['unsupported', 'warn', 'plan'],
        ['unsupported', 'warn', 'pastHistory'],
      ]),
    )
    expect(findings().some(([, level]) => level === 'block')).toBe(false)
    expect(editor.get('[data-testid=check-finding][data-section=plan]').text()).toBe('建议“处理意见”由模型起草，但没有引用对话中的内容。')

    await typeInto('chiefComplaint', '')
    expect(findings()[0]).toEqual(['chiefComplaint', 'block', 'chiefComplaint'])
    expect(editor.get('[data-testid=check-finding][data-item=chiefComplaint]').text()).toBe('必填主诉未填写。')
    await editor.get('[data-testid=check-finding][data-item=chiefComplaint]').trigger('click')
    await nextTick()
    expect(document.activeElement).toBe(section('chiefComplaint').get('textarea').element)
  })

  it('will not sign without a chief complaint, saying why', async () => {
    await editor.get('[data-testid=record-sign]').trigger('click')
    await vi.waitFor(() => expect(document.querySelector('[data-testid=sign-blocks]')).not.toBeNull())
    expect(document.querySelector('[data-testid=sign-block]')?.textContent).toBe('主诉未填写。')
    expect(document.querySelector<HTMLButtonElement>('[data-testid=sign-submit]')!.disabled).toBe(true)
    document.querySelector<HTMLButtonElement>('[data-testid=sign-cancel]')!.click()
    await settled()
    await typeInto('chiefComplaint', '头痛三天，伴低热')
    expect((await stored()).check!.signable).toBe(true)
  })

  it('refuses a wrong PIN and keeps the dialog; the right PIN signs, and the record is read-only with its signer', async () => {
    await editor.get('[data-testid=record-sign]').trigger('click')
    await vi.waitFor(() => expect(document.querySelector('[data-testid=sign-warnings]')).not.toBeNull())
    expect([...document.querySelectorAll('[data-testid=sign-warning]')].map((item) => item.getAttribute('data-item'))).toEqual(expect.arrayContaining(['unsupported']))
    const pin = () => document.querySelector<HTMLInputElement>('input[data-testid=sign-pin]')!
    expect(pin().type).toBe('password')
    expect(pin().autocomplete).toBe('off')

    pin().value = '000000'
    pin().dispatchEvent(new Event('input'))
    await nextTick()
    document.querySelector<HTMLFormElement>('[data-testid=sign-form]')!.dispatchEvent(new Event('submit'))
    await vi.waitFor(() => expect(document.querySelector('[data-testid=sign-form] [data-testid=failure]')).not.toBeNull(), { timeout: 10_000 })
    expect(document.querySelector('[data-testid=sign-form] [data-testid=failure]')!.getAttribute('data-code')).toBe('PIN_WRONG')
    expect(document.querySelector('[data-testid=sign-form] [data-testid=failure] p')!.textContent).toBe('工号或 PIN 不正确。')
    expect((await stored()).version!.status).toBe('draft')

    pin().value = DOCTOR.pin
    pin().dispatchEvent(new Event('input'))
    await nextTick()
    document.querySelector<HTMLFormElement>('[data-testid=sign-form]')!.dispatchEvent(new Event('submit'))
    await vi.waitFor(() => expect(editor.get('[data-testid=record-status]').attributes('data-status')).toBe('signed'), { timeout: 10_000 })
    await settled()
    expect(editor.get('[data-testid=record-status]').text()).toBe('已签名')
    expect(editor.get('[data-testid=record-signed-by]').text()).toMatch(/^李医生 签名于 /)
    expect(editor.find('[data-testid=read-only-banner]').exists()).toBe(true)
    expect(section('chiefComplaint').get('textarea').attributes('readonly')).toBeDefined()
    expect(editor.find('[data-testid=evidence-remove]').exists()).toBe(false)
    expect(editor.find('[data-testid=record-draft]').exists()).toBe(false)
    expect((await stored()).version!.status).toBe('signed')
  })

  it('amends the signed record with a reason and the PIN: a new version, amended', async () => {
    await editor.get('[data-testid=record-amend]').trigger('click')
    expect(editor.find('[data-testid=amending-banner]').exists()).toBe(true)
    expect(section('plan').get('textarea').attributes('readonly')).toBeUndefined()
    await section('plan').get('textarea').setValue('多饮水，注意休息；对乙酰氨基酚0.5g必要时口服；三天不缓解复诊。')
    await editor.get('[data-testid=record-amend-sign]').trigger('click')
    await vi.waitFor(() => expect(document.querySelector('[data-testid=amend-reason]')).not.toBeNull())
    const submit = () => document.querySelector<HTMLButtonElement>('[data-testid=sign-submit]')!
    const pin = document.querySelector<HTMLInputElement>('input[data-testid=sign-pin]')!
    pin.value = DOCTOR.pin
    pin.dispatchEvent(new Event('input'))
    await nextTick()
    // The reason is required.
    expect(submit().disabled).toBe(true)
    const reason = document.querySelector<HTMLTextAreaElement>('textarea[data-testid=amend-reason]')!
    reason.value = '补充退热药物'
    reason.dispatchEvent(new Event('input'))
    await nextTick()
    expect(submit().disabled).toBe(false)
    document.querySelector<HTMLFormElement>('[data-testid=sign-form]')!.dispatchEvent(new Event('submit'))
    await vi.waitFor(() => expect(editor.get('[data-testid=record-status]').attributes('data-status')).toBe('amended'), { timeout: 10_000 })
    await settled()
    expect(editor.get('[data-testid=record-version]').text()).toBe('第 2 版')
    expect(editor.find('[data-testid=amending-banner]').exists()).toBe(false)
    expect(textOf('plan')).toBe('多饮水，注意休息；对乙酰氨基酚0.5g必要时口服；三天不缓解复诊。')
    const latest = (await stored()).version!
    expect(latest).toMatchObject({ version: 2, status: 'amended', amendmentReason: '补充退热药物' })
  })

  it('lists every version with its signer, time and reason, and compares two side by side', async () => {
    await editor.get('#tab-versions').trigger('click')
    await settled()
    const rows = editor.findAll('[data-testid=version-row]')
    expect(rows.map((row) => [row.attributes('data-version'), row.attributes('data-status'), row.get('[data-testid=version-signer]').text(), row.get('[data-testid=version-reason]').text()])).toEqual([
      ['1', 'signed', '李医生', ''],
      ['2', 'amended', '李医生', '补充退热药物'],
    ])
    expect(editor.get('[data-testid=compare-versions]').attributes('disabled')).toBeDefined()
    for (const row of rows) await row.get('[data-testid=version-choose] input').setValue(true)
    expect(editor.get('[data-testid=compare-versions]').attributes('disabled')).toBeUndefined()
    await editor.get('[data-testid=compare-versions]').trigger('click')
    await vi.waitFor(() => expect(document.querySelector('[data-testid=version-compare]')).not.toBeNull())
    const changed = [...document.querySelectorAll('[data-testid=compare-after][data-changed=true]')].map((side) => side.getAttribute('data-section'))
    expect(changed).toEqual(['plan'])
    // Character by character: what the amendment added is marked on the right, what it removed on the left.
    const added = [...document.querySelectorAll('[data-testid=compare-after][data-section=plan] [data-testid=diff-added]')].map((piece) => piece.textContent)
    expect(added).toEqual(['；对乙酰氨基酚0.5g', '口服；三天不缓解'])
    const removed = [...document.querySelectorAll('[data-testid=compare-before][data-section=plan] [data-testid=diff-removed]')].map((piece) => piece.textContent)
    expect(removed).toEqual(['，'])
    expect(document.querySelector('[data-testid=compare-after][data-section=plan]')!.textContent).toBe('多饮水，注意休息；对乙酰氨基酚0.5g必要时口服；三天不缓解复诊。')
  })

  it('exports the signed version: in the browser host the file downloads, and the export is in the history', async () => {
    const created: Blob[] = []
    const createObjectURL = vi.fn((blob: Blob) => {
      created.push(blob)
      return 'blob:record'
    })
    const revokeObjectURL = vi.fn()
    // jsdom has no object URLs: the page's calls are recorded instead.
    const objectUrls = { createObjectURL: URL.createObjectURL, revokeObjectURL: URL.revokeObjectURL }
    Object.assign(URL, { createObjectURL, revokeObjectURL })
    const clicked: Array<{ href: string; download: string }> = []
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push({ href: this.href, download: this.download })
    })
    try {
      await editor.get('[data-testid=export-format] [data-format=md] input').setValue(true)
      await editor.get('[data-testid=export-run]').trigger('click')
      await vi.waitFor(() => expect(editor.find('[data-testid=export-notice]').exists()).toBe(true), { timeout: 10_000 })
      const notice = editor.get('[data-testid=export-notice]')
      expect(notice.attributes('data-outcome')).toBe('download')
      expect(clicked).toHaveLength(1)
      expect(clicked[0]!.href).toBe('blob:record')
      expect(clicked[0]!.download).toMatch(/\.md$/)
      expect(notice.text()).toBe(`已下载 ${clicked[0]!.download}，在浏览器的下载文件夹中。`)
      expect(created[0]!.type).toMatch(/^text\/markdown/)
      const text = await created[0]!.text()
      expect(text).toContain('对乙酰氨基酚0.5g必要时口服')
      await new Promise((resolve) => setTimeout(resolve, 1_100))
      expect(revokeObjectURL).toHaveBeenCalledWith('blob:record')
      await settled()
      expect(editor.findAll('[data-testid=export-row]').map((row) => row.attributes('data-format'))).toEqual(['md'])
      expect((await history()).exports).toHaveLength(1)
    } finally {
      click.mockRestore()
      Object.assign(URL, objectUrls)
    }
  })

  it('previews the signed version as it prints, in a frame that runs no script', async () => {
    await editor.get('[data-testid=print-preview]').trigger('click')
    await vi.waitFor(() => expect(document.querySelector('[data-testid=print-frame]')).not.toBeNull())
    const frame = document.querySelector<HTMLIFrameElement>('[data-testid=print-frame]')!
    expect(frame.getAttribute('sandbox')).toBe('allow-same-origin allow-modals')
    expect(frame.getAttribute('srcdoc')).toContain('对乙酰氨基酚0.5g必要时口服')
    expect(frame.getAttribute('srcdoc')).not.toMatch(/<script/i)
  })

  it('reads in English', async () => {
    signedConsultationId = consultationId
    i18n.global.locale.value = 'en'
    await editor.get('#tab-record').trigger('click')
    await nextTick()
    expect(editor.get('[data-testid=record-status]').text()).toBe('Amended')
    expect(section('chiefComplaint').get('h4').text()).toBe('Chief complaint')
    expect(editor.get('[data-testid=record-version]').text()).toBe('Version 2')
  })
})

describe('when a draft cannot be made', () => {
  it('offers no draft for a consultation where nothing was said, and says why', async () => {
    editor.unmount()
    await newWindow()
    consultationId = (await opened.call<{ consultationId: string }>('consultation.open', {})).consultationId
    await mountEditor()
    expect(editor.get('[data-testid=record-draft]').attributes('disabled')).toBeDefined()
    expect(editor.get('[data-testid=draft-nothing-said]').text()).toBe('此问诊还没有对话内容，无法起草病历；请直接填写。')
    expect(editor.get('[data-testid=record-turn-empty]').text()).toBe('此问诊还没有对话。')
    editor.unmount()
  })

  it('says why a draft failed, and keeps what the doctor had written', async () => {
    await newWindow()
    const consultation = useConsultationStore()
    await consultation.open()
    consultationId = consultation.consultationId!
    await consultation.send('咳嗽两天，有黄痰')
    await settled()
    await mountEditor()
    await typeInto('physicalExam', '双肺呼吸音粗')
    await typeInto('chiefComplaint', '咳嗽咳痰两天')
    await editor.get('[data-testid=record-draft]').trigger('click')
    await vi.waitFor(() => expect(editor.find('[data-testid=draft-failure]').exists()).toBe(true), { timeout: 10_000 })
    expect(editor.get('[data-testid=draft-failure] [data-testid=failure]').attributes('data-code')).toBe('DRAFT_INCOMPLETE')
    expect(editor.get('[data-testid=draft-failure] p').text()).toBe('模型生成的草稿不完整（超出长度上限或被停止），未作修补；请重试或手动填写。')
    expect(textOf('physicalExam')).toBe('双肺呼吸音粗')
    expect(textOf('chiefComplaint')).toBe('咳嗽咳痰两天')
    expect((await stored()).version!.sections).toMatchObject({ physicalExam: '双肺呼吸音粗', chiefComplaint: '咳嗽咳痰两天' })
    expect(editor.get('[data-testid=record-draft]').attributes('disabled')).toBeUndefined()
  })

  it('lets go of the record’s patient data when the workstation locks, and reads it back when the editor reopens', async () => {
    const store = useRecordEditorStore()
    expect(store.patient).not.toBeNull()
    await useSessionStore().lock()
    await settled()
    expect(store.patient).toBeNull()
    expect(store.messages).toEqual([])
    expect(store.texts.physicalExam).toBe('')
    editor.unmount()
    await useSessionStore().unlock(DOCTOR.pin)
    await settled()
    await mountEditor()
    expect(textOf('physicalExam')).toBe('双肺呼吸音粗')
    editor.unmount()
  })
})

describe('the record list', () => {
  it('lists the consultations with their record’s status, filtered by it', async () => {
    await newWindow()
    const list = mountInWindow(RecordList, pinia, { plugins: [router] })
    await vi.waitFor(() => expect(list.findAll('[data-testid=record-list-item]')).toHaveLength(3))
    const statusOf = (id: string) => list.get(`[data-testid=record-list-item][data-consultation-id="${id}"]`).element.closest('tr')!.querySelector('[data-testid=record-list-status]')!
    expect(statusOf(signedConsultationId).getAttribute('data-status')).toBe('amended')
    expect(statusOf(consultationId).getAttribute('data-status')).toBe('draft')
    expect(list.findAll('[data-testid=record-list-status]').map((status) => status.attributes('data-status'))).toEqual(['draft', 'none', 'amended'])

    await list.get('[data-testid=record-status-filter] [data-status=amended] input').setValue(true)
    await vi.waitFor(() => expect(list.findAll('[data-testid=record-list-item]').map((item) => item.attributes('data-consultation-id'))).toEqual([signedConsultationId]))
    await list.get('[data-testid=record-status-filter] [data-status=signed] input').setValue(true)
    await vi.waitFor(() => expect(list.findAll('[data-testid=record-list-item]')).toHaveLength(0))
    // Found by patient: part of a name or a clinic number.
    await list.get('[data-testid=record-status-filter] [data-status=all] input').setValue(true)
    await list.get('input[data-testid=record-patient-search]').setValue('MZ2026')
    await vi.waitFor(() => expect(list.findAll('[data-testid=record-list-item]').map((item) => item.attributes('data-consultation-id'))).toEqual([signedConsultationId]))
    list.unmount()
  })
})
