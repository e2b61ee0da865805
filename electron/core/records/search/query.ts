import { normalizeForSearch } from './normalize.ts'

// A bare run of non-space characters, or a phrase in ASCII quotes (full-width ＂ becomes ASCII under
// NFKC) or Chinese quotes “…”. An unclosed quote runs to the end of the query.
const termPattern = /"([^"]*)"?|“([^”]*)”?|(\S+)/gu

/**
 * Splits a query into terms, all required: whitespace separates them unless quoted. Each term is
 * normalized as the index is; empty and repeated terms are dropped.
 */
export function parseSearchQuery(query: string): string[] {
  const terms: string[] = []
  for (const match of query.normalize('NFKC').matchAll(termPattern)) {
    const term = normalizeForSearch(match[1] ?? match[2] ?? match[3] ?? '').trim()
    if (term !== '' && !terms.includes(term)) terms.push(term)
  }
  return terms
}

/** True when the normalized text contains every term: the exact test every candidate must pass. */
export function containsAllTerms(normalized: string, terms: readonly string[]): boolean {
  for (const term of terms) if (!normalized.includes(term)) return false
  return true
}
