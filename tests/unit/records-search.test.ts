import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { OutpatientRecordSections } from '../../electron/contract/record-versions.ts'
import type { RecordSearchFilters, SearchHit, SearchPage, SearchSource } from '../../electron/contract/search.ts'
import { SeededRandom } from '../../electron/core/models/seeded-random.ts'
import type { RecordStore } from '../../electron/core/records/record-store.ts'
import { documentGrams, matchExpression, termGrams } from '../../electron/core/records/search/grams.ts'
import { alignNormalized, normalizeForSearch } from '../../electron/core/records/search/normalize.ts'
import { parseSearchQuery } from '../../electron/core/records/search/query.ts'
import { rankableCandidates } from '../../electron/core/records/search/record-search.ts'
import { recordSearchText } from '../../electron/core/records/search/search-index.ts'
import { buildSnippet, markedSnippet } from '../../electron/core/records/search/snippet.ts'
import { codeOf, fillWithDemo, openTestStore, temporaryFolder, testClock } from './records-support.ts'

// Search must find exactly what a plain substring scan over the normalized texts finds: every
// message, note and record containing every term, none that does not, trashed consultations never.

/** Texts that trip up tokenizers and normalization, each in its own consultation. */
const trickyTexts = [
  '医生您好，我偏头痛三天了，伴有恶心。',
  '既往高血压病史六年，血压１４０／９０ｍｍＨｇ。',
  'Ｈｅａｄａｃｈｅ since Monday; the ＣＴ was normal.',
  'I have had a HEADACHE and a sore throat.',
  'ﬁnal report: ﬂu-like symptoms, 体重７０㎏。',
  'Café au lait spots; Cafe\u0301 noir.',
  '头痛😣很严重，吃了布洛芬也不管用🙁',
  'ΟΔΟΣ test: Σίσυφος.',
  'line one\nline   two\twith tabs　and ideographic space',
  '① 第一次就诊 ② 复诊',
  'İstanbul trip, then fever 39.2℃.',
  '孩子发烧发热交替，体温38.5°C，B超和b超都做了。',
  'Patient says "chest pain" after exercise.',
]

interface Document {
  source: SearchSource
  id: number
  consultationId: string
  patientId: string
  department: string
  status: string
  at: number
  normalized: string
  redFlag: boolean
}

let folder: Awaited<ReturnType<typeof temporaryFolder>>
let store: RecordStore
let documents: Document[]
let trashedConsultation: string

/** The baseline: every searchable text of the store, read back with plain SQL. */
function allDocuments(): Document[] {
  const db = store.connection
  const flagged = new Set(db.prepare('SELECT DISTINCT consultation_id AS id FROM red_flags').all().map((row) => row['id'] as string))
  const rows = db
    .prepare(
      `SELECT 'message' AS source, m.id, m.consultation_id, m.created_at AS at, m.text AS body FROM messages m WHERE m.status <> 'streaming' AND m.text <> ''
       UNION ALL SELECT 'note', n.id, n.consultation_id, v.edited_at, v.text FROM clinician_notes n
         JOIN clinician_note_versions v ON v.note_id = n.id AND v.version = n.current_version
       UNION ALL SELECT 'record', r.id, r.consultation_id, v.updated_at, v.sections FROM outpatient_records r
         JOIN outpatient_record_versions v ON v.record_id = r.id AND v.version = (SELECT max(version) FROM outpatient_record_versions WHERE record_id = r.id)`,
    )
    .all()
  const consultations = new Map(
    db.prepare('SELECT id, patient_id, department, status, trashed_at FROM consultations').all().map((row) => [row['id'] as string, row]),
  )
  return rows.flatMap((row) => {
    const consultation = consultations.get(row['consultation_id'] as string)
    if (!consultation || consultation['trashed_at'] !== null) return []
    const source = row['source'] as SearchSource
    const text = source === 'record' ? recordSearchText(JSON.parse(row['body'] as string) as OutpatientRecordSections) : (row['body'] as string)
    return [
      {
        source,
        id: row['id'] as number,
        consultationId: row['consultation_id'] as string,
        patientId: consultation['patient_id'] as string,
        department: consultation['department'] as string,
        status: consultation['status'] as string,
        at: row['at'] as number,
        normalized: normalizeForSearch(text),
        redFlag: flagged.has(row['consultation_id'] as string),
      },
    ]
  })
}

function scan(terms: string[], filters: RecordSearchFilters = {}): string[] {
  const from = filters.from === undefined ? -Infinity : Date.parse(filters.from)
  const to = filters.to === undefined ? Infinity : Date.parse(filters.to)
  return documents
    .filter(
      (d) =>
        terms.every((term) => d.normalized.includes(term)) &&
        (filters.patientId === undefined || d.patientId === filters.patientId) &&
        (filters.department === undefined || d.department === filters.department) &&
        (filters.status === undefined || d.status === filters.status) &&
        (!filters.redFlag || d.redFlag) &&
        d.at >= from &&
        d.at < to,
    )
    .map((d) => `${d.source}:${d.id}`)
    .sort()
}

function hitKey(hit: SearchHit): string {
  return `${hit.source}:${hit.messageId ?? hit.noteId ?? hit.recordId}`
}

/** Every page of a search, checking each page's order on the way. */
function searchAll(query: string, filters: RecordSearchFilters = {}, limit = 37): { keys: string[]; pages: SearchPage[] } {
  const pages: SearchPage[] = []
  let cursor: string | undefined
  do {
    const page = store.search.search({ query, filters, limit, ...(cursor === undefined ? {} : { cursor }) })
    expect(page.hits.length).toBeLessThanOrEqual(limit)
    pages.push(page)
    cursor = page.nextCursor ?? undefined
  } while (cursor !== undefined && pages.length < 500)
  const hits = pages.flatMap((page) => page.hits)
  for (let i = 1; i < hits.length; i++) {
    const [previous, current] = [hits[i - 1] as SearchHit, hits[i] as SearchHit]
    if (pages[0]?.order === 'newest') expect(previous.at >= current.at).toBe(true)
    else expect(previous.rank).toBeGreaterThanOrEqual(current.rank)
  }
  const keys = hits.map(hitKey)
  expect(new Set(keys).size).toBe(keys.length)
  return { keys: keys.sort(), pages }
}

beforeAll(async () => {
  folder = await temporaryFolder('search')
  const clock = testClock()
  store = await openTestStore(`${folder.path}/records.db`, { now: clock.now })
  await fillWithDemo(store, 300, 7, clock.set)
  clock.advance(0)
  const patient = store.patients.register({ name: '测试病人', clinicNumber: 'MZ-TRICKY' }, 'dr.test')
  trickyTexts.forEach((text, i) => {
    const consultation = store.consultations.create({ patientId: patient.id, department: i % 2 ? '神经内科' : '全科' }, 'dr.test')
    const message = store.messages.appendPatientMessage(consultation.id, text)
    if (i === 0) store.redFlags.raise(message.id, { category: 'test', level: 'urgent', matchedWords: ['x'], ruleVersion: 't-1' })
    if (i === 1) store.notes.add(consultation.id, '复诊：血压控制可，继续当前方案。', 'dr.test')
    if (i === 2) store.records.saveDraft(consultation.id, { chiefComplaint: '头痛三天', diagnosis: '偏头痛？高血压？' }, 'dr.test')
  })
  // A trashed consultation full of common words: search must never show it.
  const hidden = store.consultations.create({ patientId: patient.id, department: '全科' }, 'dr.test')
  store.messages.appendPatientMessage(hidden.id, '偏头痛 高血压 headache CT 医生 头痛 血压 的')
  trashedConsultation = store.consultations.trash(hidden.id, 'dr.test').id
  documents = allDocuments()
}, 60_000)

afterAll(async () => {
  store?.close()
  await folder?.remove()
})

describe('normalization and query parsing', () => {
  it('folds case and full-/half-width forms and collapses whitespace', () => {
    expect(normalizeForSearch('ＣＴ　Headache\n\n１４０／９０')).toBe('ct headache 140/90')
    expect(normalizeForSearch('ﬁ㎏①')).toBe('fikg1')
  })

  it('splits on unquoted whitespace, keeps quoted phrases, drops empty and repeated terms', () => {
    expect(parseSearchQuery('  头痛  恶心 头痛 ')).toEqual(['头痛', '恶心'])
    expect(parseSearchQuery('"chest  pain" ＣＴ “高 血压”')).toEqual(['chest pain', 'ct', '高 血压'])
    expect(parseSearchQuery('"unclosed phrase')).toEqual(['unclosed phrase'])
    expect(parseSearchQuery(' "" ')).toEqual([])
  })

  it('encodes grams as base-36 tokens that a tokenizer cannot split, one- and two-character', () => {
    const code = (ch: string) => (ch.codePointAt(0) as number).toString(36).padStart(4, '0')
    expect(code('头')).toBe('0hmc')
    expect(documentGrams('头痛a')).toBe([code('头'), code('头') + code('痛'), code('痛'), code('痛') + code('a'), code('a')].join(' '))
    for (const gram of documentGrams('偏头痛 ct😣').split(' ')) expect(gram).toMatch(/^([0-9a-z]{4}|[0-9a-z]{8})$/)
    expect(termGrams('痛')).toHaveLength(1)
    expect(termGrams('头痛')).toHaveLength(1)
    expect(termGrams('偏头痛')).toHaveLength(2)
    expect(termGrams('这是一个很长很长很长的短语用来测试上限是否生效')).toHaveLength(12)
    expect(matchExpression(['头痛', '头痛'])).toBe(`"${termGrams('头痛')[0]}"`)
  })

  it('aligns normalized text with the original, so highlights land on what the user wrote', () => {
    const aligned = alignNormalized('Ｈｅａｄ  ache')
    expect(aligned?.normalized).toBe('head ache')
    const snippet = buildSnippet('患者诉ＣＴ正常，Headache 两天', ['ct', 'ache'])
    expect(markedSnippet(snippet)).toBe('患者诉«ＣＴ»正常，Head«ache» 两天')
    // Text that changes length under normalization: combining accents, ㎏, runs of spaces and lines.
    expect(markedSnippet(buildSnippet('Cafe\u0301  noir,\n\n体重７０㎏', ['café noir', '70kg']))).toBe('«Cafe\u0301  noir»,  体重«７０㎏»')
  })
})

describe('search finds exactly what a substring scan finds', () => {
  it('the examples clinicians expect', () => {
    const find = (query: string) => searchAll(query).keys
    expect(find('头痛')).toEqual(scan(['头痛']))
    expect(find('头痛').length).toBeGreaterThan(find('偏头痛').length)
    expect(find('偏头痛').every((key) => find('头痛').includes(key))).toBe(true)
    expect(find('血压')).toEqual(scan(['血压']))
    expect(scan(['血压']).length).toBeGreaterThan(scan(['高血压']).length)
    expect(find('ache')).toEqual(scan(['ache']))
    expect(find('ache').length).toBeGreaterThanOrEqual(3)
    expect(find('ct')).toEqual(find('ＣＴ'))
    expect(find('"chest pain"')).toEqual(scan(['chest pain']))
    expect(find('140/90mmhg')).toEqual(scan(['140/90mmhg']))
    expect(find('😣')).toEqual(scan(['😣']))
    expect(find('kg')).toEqual(scan(['kg']))
  })

  it('hundreds of random substrings, single characters, term pairs and phrases of the corpus', () => {
    const random = new SeededRandom(42)
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random.next() * items.length)] as T
    const sample = (length: number): string => {
      const text = [...pick(documents).normalized]
      const start = Math.floor(random.next() * Math.max(1, text.length - length))
      return text.slice(start, start + length).join('').trim()
    }
    const queries: string[] = []
    for (let i = 0; i < 120; i++) queries.push(sample(1 + (i % 5)))
    for (let i = 0; i < 40; i++) queries.push(`${sample(2)} ${sample(1 + (i % 3))}`)
    for (let i = 0; i < 20; i++) queries.push(`"${sample(6)}"`)
    let compared = 0
    let newest = 0
    let ranked = 0
    for (const query of queries) {
      const terms = parseSearchQuery(query)
      if (terms.length === 0) continue
      const { keys, pages } = searchAll(query)
      expect(keys, query).toEqual(scan(terms))
      compared++
      if (pages[0]?.order === 'newest') newest++
      else ranked++
    }
    expect(compared).toBeGreaterThan(150)
    // Both ways of ordering were exercised.
    expect(newest).toBeGreaterThan(8)
    expect(ranked).toBeGreaterThan(10)
  })

  it('with filters: patient, department, dates, red flag, status', () => {
    const someone = documents.find((d) => d.source === 'record') as Document
    const atDates = documents.map((d) => d.at).sort((a, b) => a - b)
    const from = new Date(atDates[Math.floor(atDates.length / 3)] as number).toISOString()
    const to = new Date(atDates[Math.floor((2 * atDates.length) / 3)] as number).toISOString()
    const cases: Array<[string, RecordSearchFilters]> = [
      ['的', { patientId: someone.patientId }],
      ['医', { department: '儿科' }],
      ['建议', { from, to }],
      ['痛', { from }],
      ['头痛', { redFlag: true }],
      ['的', { redFlag: true }],
      ['医生', { status: 'signed' }],
      ['检查', { department: '神经内科', status: 'closed' }],
    ]
    for (const [query, filters] of cases) {
      const expected = scan(parseSearchQuery(query), filters)
      expect(searchAll(query, filters, 50).keys, `${query} ${JSON.stringify(filters)}`).toEqual(expected)
    }
  })

  it('never shows a trashed consultation, and shows it again once restored', () => {
    const inTrash = (query: string) => searchAll(query, {}, 200).pages.flatMap((p) => p.hits).some((hit) => hit.consultationId === trashedConsultation)
    expect(inTrash('偏头痛 headache')).toBe(false)
    store.consultations.restore(trashedConsultation, 'dr.test')
    expect(inTrash('偏头痛 headache')).toBe(true)
    store.consultations.trash(trashedConsultation, 'dr.test')
    expect(inTrash('偏头痛 headache')).toBe(false)
  })
})

describe('results', () => {
  it('carry the message id and a snippet whose highlights are the matches', () => {
    const page = store.search.search({ query: 'ct 的', limit: 50 })
    expect(page.hits.length).toBeGreaterThan(0)
    for (const hit of page.hits) {
      if (hit.source === 'message') expect(store.messages.get(hit.messageId as number).consultationId).toBe(hit.consultationId)
      expect(hit.highlights.length).toBeGreaterThan(0)
      for (const [from, to] of hit.highlights) {
        const marked = normalizeForSearch(hit.snippet.slice(from, to))
        expect(['ct', '的'].some((term) => marked.includes(term)), marked).toBe(true)
      }
    }
  })

  it('are newest first for a large match set, by relevance for a small one', () => {
    expect(scan(['的']).length).toBeGreaterThan(rankableCandidates)
    expect(store.search.search({ query: '的' }).order).toBe('newest')
    const small = store.search.search({ query: '偏头痛' })
    expect(small.order).toBe('relevance')
    expect(small.hits.map((h) => h.rank)).toEqual([...small.hits.map((h) => h.rank)].sort((a, b) => b - a))
  })

  it('come at most 200 a page, and cursors belong to their own search', async () => {
    expect(store.search.search({ query: '的', limit: 5000 }).hits).toHaveLength(200)
    const first = store.search.search({ query: '的', limit: 3 })
    expect(await codeOf(() => store.search.search({ query: '医', cursor: first.nextCursor as string }))).toBe('CURSOR_INVALID')
    expect(await codeOf(() => store.search.search({ query: '的', cursor: 'garbage' }))).toBe('CURSOR_INVALID')
    expect(await codeOf(() => store.search.search({ query: '  "" ' }))).toBe('SEARCH_QUERY_EMPTY')
    expect(await codeOf(() => store.search.search({ query: '的', filters: { from: 'yesterday' } }))).toBe('USAGE')
  })

  it('find an edited note by its new text only', () => {
    const consultation = documents.find((d) => d.source === 'message')?.consultationId as string
    const note = store.notes.add(consultation, '初诊记录：咽部充血', 'dr.test')
    expect(store.search.search({ query: '咽部充血' }).hits.map((h) => h.noteId)).toEqual([note.id])
    store.notes.edit(note.id, '更正：扁桃体肿大', 'dr.test')
    expect(store.search.search({ query: '咽部充血' }).hits).toEqual([])
    expect(store.search.search({ query: '扁桃体肿大' }).hits.map((h) => h.noteId)).toEqual([note.id])
  })
})
