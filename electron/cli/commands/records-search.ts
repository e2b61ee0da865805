import type { ConsultationStatus } from '../../contract/consultations.ts'
import type { Patient } from '../../contract/patients.ts'
import type { RecordSearchFilters, SearchHit } from '../../contract/search.ts'
import { consultationStatuses } from '../../contract/consultations.ts'
import { WorkstationError } from '../../core/errors.ts'
import { markedSnippet } from '../../core/records/search/snippet.ts'
import { reportFailure, type CliIO } from '../output.ts'
import { dateBoundary, parseRecordsArgs, positiveInteger, requireDb, storeOptions } from './records-cli.ts'
import { openCliWorkstation } from '../cli-workstation.ts'

const usage = `usage: huatuo records search --db FILE [options] QUERY…

Finds text in messages, clinician notes and outpatient records. Whitespace separates terms, all
required; "quoted text" is one term. Each term matches as a substring, ignoring case and full- or
half-width forms: 头痛 finds 偏头痛, ct finds ＣＴ. Newest first; a small set of matches is ordered by relevance.
  --limit N           results per page, 1-200 (default 20)
  --cursor C          the next page (printed after a full page)
  --patient ID        one patient: clinic number (门诊号) or patient id
  --department NAME   one department
  --from DATE         written on or after DATE (YYYY-MM-DD, local time, or an ISO time)
  --to DATE           written on or before DATE (a date includes that whole day)
  --red-flag          only consultations with a red flag
  --status S          consultation status: ${consultationStatuses.join(', ')}
  --json              one JSON object a line: {"consultationId", "source", "messageId", "snippet", "rank",
                      "patientName", "clinicNumber"};
                      matches in the snippet are marked «like this»
`

/** Whom a hit concerns, as the clinician knows them. */
type PatientLabel = Pick<Patient, 'name' | 'clinicNumber'>

function textLine(hit: SearchHit, patient: PatientLabel, tty: boolean): string {
  const where = hit.source === 'message' ? `message ${hit.messageId}` : hit.source === 'note' ? `note ${hit.noteId}` : `record ${hit.recordId}`
  const snippet = tty ? markedSnippet(hit, '\u001b[7m', '\u001b[27m') : markedSnippet(hit)
  const who = `${patient.name} ${patient.clinicNumber ?? '-'}`
  return `${hit.at.slice(0, 16).replace('T', ' ')}  ${hit.consultationId}  ${where}  ${who}  ${hit.department}\n    ${snippet}\n`
}

export async function run(args: string[], io: CliIO): Promise<number> {
  let json = args.includes('--json')
  try {
    const { values, positionals } = parseRecordsArgs(
      args,
      {
        ...storeOptions,
        limit: { type: 'string' },
        cursor: { type: 'string' },
        patient: { type: 'string' },
        department: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        'red-flag': { type: 'boolean' },
        status: { type: 'string' },
      },
      usage,
      io,
      true,
    )
    json = values.json === true
    if (values.help) {
      io.out(usage)
      return 0
    }
    const db = requireDb(values.db, usage, io)
    const query = positionals.join(' ')
    if (query.trim() === '') {
      io.err(usage)
      throw new WorkstationError('SEARCH_QUERY_EMPTY')
    }
    const limit = positiveInteger(values.limit, '--limit', 200) ?? 20
    if (values.status !== undefined && !(consultationStatuses as readonly string[]).includes(values.status)) {
      throw new WorkstationError('USAGE', `--status must be one of ${consultationStatuses.join(', ')}`)
    }
    // The window's request, read as the operating-system user (kept in the access log: ids and counts, never the words).
    const workstation = await openCliWorkstation(db, io)
    try {
      const filters: RecordSearchFilters = {}
      if (values.patient !== undefined) filters.clinicNumber = values.patient
      if (values.department !== undefined) filters.department = values.department
      const from = dateBoundary(values.from, '--from', false)
      const to = dateBoundary(values.to, '--to', true)
      if (from !== undefined) filters.from = from
      if (to !== undefined) filters.to = to
      if (values['red-flag']) filters.redFlag = true
      if (values.status !== undefined) filters.status = values.status as ConsultationStatus
      const page = await workstation.read('records.search', { query, filters, limit, ...(values.cursor === undefined ? {} : { cursor: values.cursor }) })
      for (const hit of page.hits) {
        const patient: PatientLabel = { name: hit.patientName, clinicNumber: hit.clinicNumber }
        io.out(
          json
            ? `${JSON.stringify({
                consultationId: hit.consultationId,
                source: hit.source,
                messageId: hit.messageId,
                snippet: markedSnippet(hit),
                rank: hit.rank,
                patientName: patient.name,
                clinicNumber: patient.clinicNumber,
              })}\n`
            : textLine(hit, patient, io.isTTY),
        )
      }
      if (!json && page.hits.length === 0) io.out('no matches\n')
      if (page.nextCursor !== null) io.err(`more results: add --cursor ${page.nextCursor}\n`)
    } finally {
      await workstation.close()
    }
    return 0
  } catch (error) {
    return reportFailure(io, error, json)
  }
}
