import { createHash } from 'node:crypto'
import type { ConsultationStatus, RecordStatusFilter } from '../../../contract/consultations.ts'
import type { OutpatientRecordSections } from '../../../contract/record-versions.ts'
import type { RecordSearchFilters, RecordSearchRequest, SearchHit, SearchPage, SearchSource } from '../../../contract/search.ts'
import { consultationStatuses, recordStatusFilters } from '../../../contract/consultations.ts'
import { WorkstationError } from '../../errors.ts'
import { decodeCursor, encodeCursor, pageLimit } from '../keyset-cursor.ts'
import type { AuditLog } from '../audit-log.ts'
import type { RecordDatabase } from '../record-database.ts'
import { isoTime, parseIsoTime } from '../record-time.ts'
import { matchExpression } from './grams.ts'
import { normalizeForSearch } from './normalize.ts'
import { containsAllTerms, parseSearchQuery } from './query.ts'
import { relevanceScore } from './relevance.ts'
import { documentIdFloor, documentsPerSecond, recordSearchText } from './search-index.ts'
import { buildSnippet } from './snippet.ts'

/** Candidate sets up to this size are ranked by relevance; larger ones are shown newest first. */
export const rankableCandidates = 100
/**
 * Newest-first pages stop after examining this many candidates (a filter may reject most of them):
 * the page then comes back short, with a cursor to carry on, so no call takes unbounded time.
 */
export const candidateBudget = 20_000

interface CandidateRow {
  id: number
  source: SearchSource
  source_id: number
  at: number
  consultation_id: string
  patient_id: string
  department: string
  status: ConsultationStatus
  trashed_at: number | null
  started_by: string | null
  /** The latest version's status of the consultation's record; null without one. */
  record_status: string | null
  body: string | null
}

interface ResolvedFilters {
  patientId: string | undefined
  department: string | undefined
  status: ConsultationStatus | undefined
  clinician: string | undefined
  recordStatus: RecordStatusFilter | undefined
  redFlag: boolean
  fromMs: number | undefined
  toMs: number | undefined
}

interface Confirmed {
  row: CandidateRow
  text: string
  normalized: string
  score: number
}

// The columns every candidate needs: where it is, whom it concerns, and its current text.
const candidateColumns = `d.id, d.source, d.source_id, d.at, d.consultation_id, c.patient_id, c.department, c.status, c.trashed_at, c.started_by,
  (SELECT v.status FROM outpatient_records r JOIN outpatient_record_versions v ON v.record_id = r.id
     WHERE r.consultation_id = d.consultation_id ORDER BY v.version DESC LIMIT 1) AS record_status,
  CASE d.source
    WHEN 'message' THEN (SELECT m.text FROM messages m WHERE m.id = d.source_id)
    WHEN 'note' THEN (SELECT v.text FROM clinician_notes n JOIN clinician_note_versions v ON v.note_id = n.id AND v.version = n.current_version WHERE n.id = d.source_id)
    ELSE (SELECT r.sections FROM outpatient_record_versions r WHERE r.record_id = d.source_id ORDER BY r.version DESC LIMIT 1)
  END AS body`

// Candidate ids, newest first, walked lazily: FTS5 yields its rowids (document ids) in its own
// order, so no sort over the match set, however large; rows are then fetched a chunk at a time.
const idsByIndexSql = `SELECT rowid AS id FROM search_index
  WHERE search_index MATCH :match AND rowid >= :low AND rowid <= :high ORDER BY rowid DESC`
// With a patient filter the patient's own documents are fewer than any common term's matches.
const idsByPatientSql = `SELECT d.id FROM consultations c JOIN search_documents d ON d.consultation_id = c.id
  WHERE c.patient_id = :patient AND d.id >= :low AND d.id <= :high ORDER BY d.id DESC`
const rowsByIdsSql = `SELECT ${candidateColumns}
  FROM search_documents d JOIN consultations c ON c.id = d.consultation_id
  WHERE d.id IN (SELECT value FROM json_each(:ids))`

function resolveFilters(filters: RecordSearchFilters = {}): ResolvedFilters {
  const time = (value: string | undefined, name: string): number | undefined => {
    if (value === undefined) return undefined
    const ms = parseIsoTime(value)
    if (ms === null) throw new WorkstationError('USAGE', `${name} must be an ISO 8601 date or time`)
    return ms
  }
  if (filters.status !== undefined && !consultationStatuses.includes(filters.status)) {
    throw new WorkstationError('USAGE', `status must be one of ${consultationStatuses.join(', ')}`)
  }
  if (filters.recordStatus !== undefined && !recordStatusFilters.includes(filters.recordStatus)) {
    throw new WorkstationError('USAGE', `record status must be one of ${recordStatusFilters.join(', ')}`)
  }
  return {
    patientId: filters.patientId,
    department: filters.department,
    status: filters.status,
    clinician: filters.clinician?.trim(),
    recordStatus: filters.recordStatus,
    redFlag: filters.redFlag === true,
    fromMs: time(filters.from, 'from'),
    toMs: time(filters.to, 'to'),
  }
}

/** Up to `count` more values of an iterator. */
function take(values: Iterator<number>, count: number): number[] {
  const taken: number[] = []
  while (taken.length < count) {
    const next = values.next()
    if (next.done) break
    taken.push(next.value)
  }
  return taken
}

/** Ties a cursor to its query and filters, so a cursor from another search is refused, not misapplied. */
function fingerprint(terms: readonly string[], filters: ResolvedFilters): string {
  return createHash('sha256').update(JSON.stringify([terms, filters])).digest('base64url').slice(0, 12)
}

type SearchCursor = { order: 'newest'; below: number } | { order: 'relevance'; top: number; score: number; id: number }

function decodeSearchCursor(cursor: string, print: string): SearchCursor {
  const fields = (() => {
    try {
      return decodeCursor('search', cursor, ['string', 'string', 'number', 'number', 'number'])
    } catch {
      return decodeCursor('search', cursor, ['string', 'string', 'number'])
    }
  })()
  if (fields[0] !== print) throw new WorkstationError('CURSOR_INVALID', 'cursor of another search')
  if (fields[1] === 'n' && fields.length === 3) return { order: 'newest', below: fields[2] as number }
  if (fields[1] === 'r' && fields.length === 5) return { order: 'relevance', top: fields[2] as number, score: fields[3] as number, id: fields[4] as number }
  throw new WorkstationError('CURSOR_INVALID', 'malformed search cursor')
}

/**
 * Search across messages, notes and records. FTS5 over character grams finds candidates fast;
 * each candidate is then confirmed by a substring test on its normalized text, so the results are
 * exactly the documents that contain every term, as a plain scan would find them.
 */
export class RecordSearch {
  private readonly store: RecordDatabase
  private readonly accessLog: Pick<AuditLog, 'noteRead'> | null

  constructor(store: RecordDatabase, accessLog: Pick<AuditLog, 'noteRead'> | null = null) {
    this.store = store
    this.accessLog = accessLog
  }

  /**
   * One page of hits. With `reader`, the search goes into the access log: that it happened, by whom,
   * how many hits, which filters — never the query, which is clinical text. The entry is buffered
   * (written within a second), so a search never waits for a commit.
   */
  search(request: RecordSearchRequest, reader?: string): SearchPage {
    const page = this.findPage(request)
    if (reader !== undefined && this.accessLog !== null) {
      const filters = request.filters ?? {}
      this.accessLog.noteRead({
        actor: reader,
        action: 'access.search',
        entityType: filters.patientId === undefined ? 'search' : 'patient',
        entityId: filters.patientId ?? 'records',
        details: {
          hits: page.hits.length,
          more: page.nextCursor !== null,
          page: request.cursor === undefined ? 'first' : 'next',
          filters: Object.keys(filters).sort().join(',') || null,
        },
      })
    }
    return page
  }

  private findPage(request: RecordSearchRequest): SearchPage {
    const terms = parseSearchQuery(request.query)
    if (terms.length === 0) throw new WorkstationError('SEARCH_QUERY_EMPTY')
    const limit = pageLimit(request.limit, 20)
    const filters = resolveFilters(request.filters)
    const print = fingerprint(terms, filters)
    const cursor = request.cursor === undefined ? null : decodeSearchCursor(request.cursor, print)
    const low = filters.fromMs === undefined ? 0 : documentIdFloor(filters.fromMs)
    const high = filters.toMs === undefined ? Number.MAX_SAFE_INTEGER : documentIdFloor(filters.toMs) + documentsPerSecond - 1
    const plan = { terms, filters, match: matchExpression(terms), low }
    return this.store.read('records.search', () => {
      // A relevance cursor keeps the set its first page ranked: the ids up to its newest one.
      const top = cursor === null ? high : cursor.order === 'relevance' ? cursor.top : Math.min(high, cursor.below - 1)
      const ids = this.candidateIds(plan, top)
      try {
        if (cursor?.order === 'newest') return this.newestPage(plan, [], ids, limit, print)
        const first = take(ids, rankableCandidates + 1)
        if (first.length <= rankableCandidates || cursor?.order === 'relevance') {
          return this.rankedPage(plan, first, first[0] ?? plan.low, limit, print, cursor?.order === 'relevance' ? cursor : null)
        }
        return this.newestPage(plan, first, ids, limit, print)
      } finally {
        ids.return?.()
      }
    })
  }

  /**
   * Merges the index's segments into one. FTS5 adds a segment per batch of writes and merges them
   * gradually; after a bulk load (an import) or once a day, one segment per gram makes every search
   * read one b-tree instead of several. Takes seconds for a million documents.
   */
  optimizeIndex(): void {
    this.store.transaction('search.optimize', () => this.store.db.exec("INSERT INTO search_index (search_index) VALUES ('optimize')"))
  }

  private candidateIds(plan: { filters: ResolvedFilters; match: string; low: number }, high: number): Iterator<number> {
    const parameters: Record<string, string | number> = { low: plan.low, high }
    if (plan.filters.patientId !== undefined) parameters['patient'] = plan.filters.patientId
    else parameters['match'] = plan.match
    const rows = this.store.statement(plan.filters.patientId !== undefined ? idsByPatientSql : idsByIndexSql).iterate(parameters)
    return {
      next: () => {
        const row = rows.next()
        return row.done ? { done: true, value: undefined } : { done: false, value: row.value['id'] as number }
      },
      return: (value?: unknown) => {
        rows.return?.()
        return { done: true, value }
      },
    }
  }

  /** The rows of these documents, in the order of `ids`. */
  private rows(ids: readonly number[]): CandidateRow[] {
    if (ids.length === 0) return []
    const rows = this.store.statement(rowsByIdsSql).all({ ids: JSON.stringify(ids) }) as unknown as CandidateRow[]
    const byId = new Map(rows.map((row) => [row.id, row]))
    return ids.flatMap((id) => byId.get(id) ?? [])
  }

  private confirm(row: CandidateRow, terms: readonly string[], filters: ResolvedFilters, redFlags: Map<string, boolean>): Confirmed | null {
    if (row.trashed_at !== null || row.body === null) return null
    if (filters.department !== undefined && row.department !== filters.department) return null
    if (filters.status !== undefined && row.status !== filters.status) return null
    if (filters.clinician !== undefined && row.started_by !== filters.clinician) return null
    if (filters.recordStatus !== undefined && (row.record_status ?? 'none') !== filters.recordStatus) return null
    if (filters.fromMs !== undefined && row.at < filters.fromMs) return null
    if (filters.toMs !== undefined && row.at >= filters.toMs) return null
    const text = row.source === 'record' ? recordSearchText(JSON.parse(row.body) as OutpatientRecordSections) : row.body
    const normalized = normalizeForSearch(text)
    if (!containsAllTerms(normalized, terms)) return null
    if (filters.redFlag && !this.hasRedFlag(row.consultation_id, redFlags)) return null
    return { row, text, normalized, score: 0 }
  }

  private hasRedFlag(consultationId: string, cache: Map<string, boolean>): boolean {
    let flagged = cache.get(consultationId)
    if (flagged === undefined) {
      flagged = this.store.statement('SELECT 1 FROM red_flags WHERE consultation_id = ? LIMIT 1').get(consultationId) !== undefined
      cache.set(consultationId, flagged)
    }
    return flagged
  }

  /** A small set: confirm all of it, order by relevance (newest first among equals). */
  private rankedPage(
    plan: { terms: string[]; filters: ResolvedFilters; match: string; low: number },
    ids: readonly number[],
    top: number,
    limit: number,
    print: string,
    after: { score: number; id: number } | null,
  ): SearchPage {
    const redFlags = new Map<string, boolean>()
    const confirmed: Confirmed[] = []
    for (const row of this.rows(ids)) {
      const hit = this.confirm(row, plan.terms, plan.filters, redFlags)
      if (hit) {
        hit.score = relevanceScore(hit.normalized, plan.terms)
        confirmed.push(hit)
      }
    }
    confirmed.sort((x, y) => y.score - x.score || y.row.id - x.row.id)
    const start = after === null ? 0 : confirmed.findIndex((hit) => hit.score < after.score || (hit.score === after.score && hit.row.id < after.id))
    const page = start === -1 ? [] : confirmed.slice(start, start + limit)
    const last = page.at(-1)
    const more = start !== -1 && start + limit < confirmed.length
    return {
      hits: page.map((hit) => this.toHit(hit, plan.terms)),
      nextCursor: more && last ? encodeCursor('search', [print, 'r', top, last.score, last.row.id]) : null,
      order: 'relevance',
      terms: plan.terms,
    }
  }

  /** A large set: walk it newest first, a chunk at a time, and stop at a full page (or the candidate budget). */
  private newestPage(
    plan: { terms: string[]; filters: ResolvedFilters; match: string; low: number },
    buffered: number[],
    ids: Iterator<number>,
    limit: number,
    print: string,
  ): SearchPage {
    const redFlags = new Map<string, boolean>()
    const page: Confirmed[] = []
    let examined = 0
    let lastExamined: number | null = null
    let more = false
    // A first chunk a little larger than the page: most candidates of a large set are matches.
    let chunkSize = limit + 8
    walk: for (;;) {
      const chunk = buffered.length > 0 ? buffered.splice(0, chunkSize) : take(ids, chunkSize)
      if (chunk.length === 0) break
      chunkSize = Math.min(chunkSize * 2, 512)
      for (const row of this.rows(chunk)) {
        if (examined++ >= candidateBudget) {
          more = true
          break walk
        }
        const hit = this.confirm(row, plan.terms, plan.filters, redFlags)
        lastExamined = row.id
        if (!hit) continue
        if (page.length === limit) {
          more = true
          break walk
        }
        hit.score = relevanceScore(hit.normalized, plan.terms)
        page.push(hit)
      }
    }
    const resumeBelow = page.length === limit ? page.at(-1)?.row.id : lastExamined
    return {
      hits: page.map((hit) => this.toHit(hit, plan.terms)),
      nextCursor: more && resumeBelow !== undefined && resumeBelow !== null ? encodeCursor('search', [print, 'n', resumeBelow]) : null,
      order: 'newest',
      terms: plan.terms,
    }
  }

  private toHit(hit: Confirmed, terms: readonly string[]): SearchHit {
    const { row } = hit
    const snippet = buildSnippet(hit.text, terms, hit.normalized)
    return {
      consultationId: row.consultation_id,
      patientId: row.patient_id,
      department: row.department,
      source: row.source,
      messageId: row.source === 'message' ? row.source_id : null,
      noteId: row.source === 'note' ? row.source_id : null,
      recordId: row.source === 'record' ? row.source_id : null,
      at: isoTime(row.at),
      snippet: snippet.snippet,
      highlights: snippet.highlights,
      rank: hit.score,
    }
  }
}
