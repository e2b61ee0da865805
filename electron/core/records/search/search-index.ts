import type { OutpatientRecordSections } from '../../../contract/record-versions.ts'
import type { SearchSource } from '../../../contract/search.ts'
import { outpatientSectionKeys } from '../../../contract/record-versions.ts'
import type { RecordDatabase } from '../record-database.ts'
import { documentGrams } from './grams.ts'
import { normalizeForSearch } from './normalize.ts'

/*
 * Every searchable text (a finished message, the current version of a note, the latest version of an
 * outpatient record) is one search document. A document's id is ordered by time:
 * (whole seconds since the epoch) × 2^20 + n, so the FTS5 index, whose rowid it is, yields newest
 * first by walking its own order; no sort over the match set, however large. 2^33 seconds × 2^20
 * stays below 2^53 (exact in a JavaScript number) until the year 2242.
 */
export const documentsPerSecond = 2 ** 20
const maxSeconds = 2 ** 33 - 1

export function documentIdFloor(ms: number): number {
  return Math.min(maxSeconds, Math.max(0, Math.floor(ms / 1000))) * documentsPerSecond
}

/** The text of an outpatient record version as search sees it: its sections, in order. */
export function recordSearchText(sections: OutpatientRecordSections): string {
  return outpatientSectionKeys
    .map((key) => sections[key])
    .filter((value): value is string => typeof value === 'string' && value !== '')
    .join('\n')
}

export class SearchIndex {
  private readonly store: RecordDatabase

  constructor(store: RecordDatabase) {
    this.store = store
  }

  /** Indexes a text; call inside the transaction that stores it. */
  add(source: SearchSource, sourceId: number, consultationId: string, atMs: number, text: string): number {
    const id = this.freeId(atMs)
    this.store
      .statement('INSERT INTO search_documents (id, consultation_id, source, source_id, at) VALUES (?, ?, ?, ?, ?)')
      .run(id, consultationId, source, sourceId, atMs)
    this.store.statement('INSERT INTO search_index (rowid, grams) VALUES (?, ?)').run(id, documentGrams(normalizeForSearch(text)))
    return id
  }

  /** For texts that change (an edited note, a redrafted record): the old document goes, the new one is added. */
  replace(source: SearchSource, sourceId: number, consultationId: string, atMs: number, text: string): number {
    this.remove(source, sourceId)
    return this.add(source, sourceId, consultationId, atMs, text)
  }

  remove(source: SearchSource, sourceId: number): void {
    const row = this.store.statement('SELECT id FROM search_documents WHERE source = ? AND source_id = ?').get(source, sourceId) as
      | { id: number }
      | undefined
    if (row === undefined) return
    this.store.statement('DELETE FROM search_index WHERE rowid = ?').run(row.id)
    this.store.statement('DELETE FROM search_documents WHERE id = ?').run(row.id)
  }

  private freeId(atMs: number): number {
    for (let base = documentIdFloor(atMs); ; base += documentsPerSecond) {
      const row = this.store.statement('SELECT max(id) AS top FROM search_documents WHERE id >= ? AND id < ?').get(base, base + documentsPerSecond) as {
        top: number | null
      }
      if (row.top === null) return base
      // A second with 2^20 documents already (never in practice) spills into the next one.
      if (row.top + 1 < base + documentsPerSecond) return row.top + 1
    }
  }
}
