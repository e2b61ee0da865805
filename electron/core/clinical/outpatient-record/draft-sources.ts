import type { ModelDraftedSectionKey } from '../../../contract/outpatient-record.ts'
import { maxSourcesPerSection, type EvidenceSource } from '../../../contract/record-evidence.ts'
import { WorkstationError } from '../../errors.ts'

/** What each drafted section cites, as messages and notes (never numbers: those meant something only to one prompt). */
export type DraftedSources = Record<ModelDraftedSectionKey, EvidenceSource[]>

function refused(section: ModelDraftedSectionKey, why: string, data: Record<string, unknown>): WorkstationError {
  return new WorkstationError('DRAFT_INCOMPLETE', `${section}: ${why}`, { data: { section, ...data } })
}

/**
 * A section's `sources` as the model wrote them, mapped from the transcript's numbers to the
 * messages and notes they stood for. The local grammar allows only the numbers shown, but not a
 * repeat, and a remote engine may honour no grammar at all: a missing list, a number the model was
 * not shown, a repeat or too many refuse the whole draft (DRAFT_INCOMPLETE), so a link always names
 * a turn the model really read.
 */
export function citedSources(section: ModelDraftedSectionKey, sources: unknown, citable: ReadonlyMap<number, EvidenceSource>): EvidenceSource[] {
  if (!Array.isArray(sources)) throw refused(section, 'the section names no sources', { reason: 'omitted' })
  if (sources.length > maxSourcesPerSection) throw refused(section, `more than ${maxSourcesPerSection} sources`, { reason: 'too-many' })
  const seen = new Set<number>()
  return sources.map((number: unknown) => {
    const source = typeof number === 'number' && Number.isInteger(number) ? citable.get(number) : undefined
    if (source === undefined) throw refused(section, `cites ${JSON.stringify(number)}, which is not a turn it was shown`, { reason: 'out-of-range' })
    if (seen.has(number as number)) throw refused(section, `cites turn ${String(number)} twice`, { reason: 'duplicate' })
    seen.add(number as number)
    return source
  })
}
