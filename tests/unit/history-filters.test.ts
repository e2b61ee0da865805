import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ConsultationSummary, ConsultationSummaryRequest } from '../../electron/contract/consultations.ts'
import type { RecordSearchFilters } from '../../electron/contract/search.ts'
import type { RecordStore } from '../../electron/core/records/record-store.ts'
import { codeOf, openTestStore, temporaryFolder, testClock } from './records-support.ts'

// The history screen's filters, on the consultation list and on search alike: department, the
// clinician who started the consultation, red flags, the record's status (none included) and the
// trash; each page a keyset page, walked to the end without repeats or gaps.

let folder: Awaited<ReturnType<typeof temporaryFolder>>
let store: RecordStore
const clock = testClock(Date.UTC(2026, 2, 2, 8, 0, 0))

/** What each consultation is, by the letter its id ends with. */
interface Made {
  id: string
  department: string
  by: string
  redFlag: boolean
  record: 'draft' | 'signed' | 'amended' | 'none'
  trashed: boolean
}
const made: Made[] = []

beforeAll(async () => {
  folder = await temporaryFolder('history-filters')
  store = await openTestStore(`${folder.path}/records.db`, { now: clock.now })
  const departments = ['神经内科', '儿科', '急诊科']
  const clinicians = ['D001', 'D002', 'N001']
  const records = ['none', 'draft', 'signed', 'amended'] as const
  for (let n = 0; n < 36; n++) {
    const patient = store.patients.register({ name: `病人${n}`, clinicNumber: `MZ${String(n).padStart(4, '0')}`, sex: 'female' }, 'N001')
    const item: Made = {
      id: `c-${String(n).padStart(2, '0')}`,
      department: departments[n % 3]!,
      by: clinicians[Math.floor(n / 3) % 3]!,
      redFlag: n % 4 === 1,
      record: records[Math.floor(n / 9) % 4]!,
      trashed: n % 7 === 6,
    }
    clock.set(Date.UTC(2026, 2, 2, 8, n))
    store.consultations.create({ id: item.id, patientId: patient.id, department: item.department }, item.by)
    const message = store.messages.appendPatientMessage(item.id, `第${n}位病人：反复偏头痛，伴恶心。`)
    if (item.redFlag) store.redFlags.raise(message.id, { category: 'headache', level: 'urgent', matchedWords: ['头痛'], ruleVersion: 'test' })
    if (item.record !== 'none') {
      const draft = store.records.saveDraft(item.id, { chiefComplaint: '头痛三天' }, 'D001')
      if (item.record !== 'draft') store.records.sign(draft.recordId, 'D001')
      if (item.record === 'amended') store.records.amend(draft.recordId, { chiefComplaint: '头痛四天' }, '日期更正', 'D001')
    }
    if (item.trashed) store.consultations.trash(item.id, 'D001')
    made.push(item)
  }
  clock.advance(60_000)
})

afterAll(async () => {
  store?.close()
  await folder?.remove()
})

/** Every page of the list, walked with the cursor, a few rows at a time. */
function allSummaries(request: ConsultationSummaryRequest): ConsultationSummary[] {
  const items: ConsultationSummary[] = []
  let cursor: string | undefined
  for (let pages = 0; pages < 100; pages++) {
    const page = store.consultationSummaries.list({ ...request, limit: 4, ...(cursor ? { cursor } : {}) })
    items.push(...page.items)
    if (page.nextCursor === null) return items
    cursor = page.nextCursor
  }
  throw new Error('the list never ended')
}

/** The consultation ids of every search hit, walked with the cursor. */
function searchedConsultations(filters: RecordSearchFilters): string[] {
  const ids = new Set<string>()
  let cursor: string | undefined
  for (let pages = 0; pages < 100; pages++) {
    const page = store.search.search({ query: '头痛', filters, limit: 5, ...(cursor ? { cursor } : {}) })
    for (const hit of page.hits) ids.add(hit.consultationId)
    if (page.nextCursor === null) return [...ids].sort()
    cursor = page.nextCursor
  }
  throw new Error('the search never ended')
}

const expected = (keep: (item: Made) => boolean) =>
  made
    .filter(keep)
    .map((item) => item.id)
    .reverse()

describe('consultation.summaries filters', () => {
  it('pages the active list newest first without repeats, and the trash apart', () => {
    expect(allSummaries({}).map((item) => item.consultationId)).toEqual(expected((item) => !item.trashed))
    const trash = allSummaries({ trashed: true })
    expect(trash.map((item) => item.consultationId)).toEqual(expected((item) => item.trashed))
    expect(trash[0]).toMatchObject({ trashedBy: 'D001' })
    expect(trash[0]?.trashedAt).toMatch(/^2026-/)
  })

  it.each([
    ['department', { department: '儿科' }, (item: Made) => item.department === '儿科'],
    ['clinician', { clinician: 'N001' }, (item: Made) => item.by === 'N001'],
    ['red flag', { redFlag: true }, (item: Made) => item.redFlag],
    ['no red flag', { redFlag: false }, (item: Made) => !item.redFlag],
    ['no record', { recordStatus: 'none' }, (item: Made) => item.record === 'none'],
    ['draft', { recordStatus: 'draft' }, (item: Made) => item.record === 'draft'],
    ['signed', { recordStatus: 'signed' }, (item: Made) => item.record === 'signed'],
    ['amended', { recordStatus: 'amended' }, (item: Made) => item.record === 'amended'],
    ['all together', { department: '神经内科', clinician: 'D002', recordStatus: 'draft' }, (item: Made) => item.department === '神经内科' && item.by === 'D002' && item.record === 'draft'],
  ] as const)('%s', (_name, filter, keep) => {
    const items = allSummaries(filter)
    expect(items.map((item) => item.consultationId)).toEqual(expected((item) => !item.trashed && keep(item)))
    expect(items.length).toBeGreaterThan(0)
  })

  it('says who started each consultation from its own column', () => {
    const first = allSummaries({ clinician: 'D002' })[0]
    expect(first).toMatchObject({ startedBy: 'D002' })
  })

  it('offers the departments and clinicians consultations were started in and by', () => {
    expect(store.consultationSummaries.filterOptions()).toEqual({
      departments: ['儿科', '急诊科', '神经内科'],
      clinicians: [
        { staffId: 'D001', name: null },
        { staffId: 'D002', name: null },
        { staffId: 'N001', name: null },
      ],
    })
  })

  it('refuses a cursor of another list', async () => {
    const page = store.search.search({ query: '头痛', limit: 1 })
    expect(await codeOf(() => store.consultationSummaries.list({ cursor: page.nextCursor! }))).toBe('CURSOR_INVALID')
  })
})

describe('records.search filters', () => {
  it.each([
    ['clinician', { clinician: 'D002' }, (item: Made) => item.by === 'D002'],
    ['no record', { recordStatus: 'none' }, (item: Made) => item.record === 'none'],
    ['signed record', { recordStatus: 'signed' }, (item: Made) => item.record === 'signed'],
    ['amended record', { recordStatus: 'amended' }, (item: Made) => item.record === 'amended'],
    ['department and red flag', { department: '神经内科', redFlag: true }, (item: Made) => item.department === '神经内科' && item.redFlag],
  ] as const)('%s: the consultations it finds', (_name, filters, keep) => {
    expect(searchedConsultations(filters)).toEqual(expected((item) => !item.trashed && keep(item)).sort())
  })

  it('finds 偏头痛 for 头痛 in messages and records, and each hit says where it is', () => {
    const page = store.search.search({ query: '头痛', filters: { clinician: 'D001', recordStatus: 'draft' } })
    const sources = new Set(page.hits.map((hit) => hit.source))
    expect(sources).toEqual(new Set(['message', 'record']))
    for (const hit of page.hits) {
      if (hit.source === 'message') expect(hit.messageId).toBeTypeOf('number')
      expect(hit.snippet.slice(hit.highlights[0]![0], hit.highlights[0]![1])).toBe('头痛')
    }
  })
})
