import type { ConsultationSummary, ConsultationSummaryRequest } from '../../contract/consultations.ts'
import type { UiLocale } from '../../contract/errors.ts'
import { recordStatuses, type OutpatientRecordStatus } from '../../contract/record-versions.ts'
import { redFlagLevelLabels } from '../../contract/triage.ts'
import { WorkstationError } from '../../core/errors.ts'
import { reportFailure, type CliIO } from '../output.ts'
import { dateBoundary, parseRecordsArgs, positiveInteger, requireDb, storeOptions } from './records-cli.ts'
import { openCliWorkstation } from '../cli-workstation.ts'

const usage = `usage: huatuo records list --db FILE [options]

Lists consultations, newest first, one a line: when it began, the consultation id, the patient's
name and clinic number (门诊号), the department, who started it, its red flags (how many, the
highest level) and its outpatient record's id, latest version and status — the --record-id (and
--version) that "huatuo export" takes. Kept in the access log under the operating-system user.
  --patient TEXT      patients whose name or clinic number contains TEXT
  --from DATE         begun on or after DATE (YYYY-MM-DD, local time, or an ISO time)
  --to DATE           begun on or before DATE (a date includes that whole day)
  --status S          record status: ${recordStatuses.join(', ')} (consultations without a record are left out)
  --limit N           consultations per page, 1-200 (default 20)
  --cursor C          the next page (printed after a full page)
  --json              one JSON object a line: {"consultationId", "patientId", "patientName", "clinicNumber",
                      "department", "status", "createdAt", "startedBy", "startedByName",
                      "redFlags": {"count", "highest"}, "record": {"recordId", "version", "status"} | null}
`

interface ListText {
  noFlags: string
  flags: (count: number, level: string) => string
  noRecord: string
  record: (id: number, version: number, status: string) => string
  status: Record<OutpatientRecordStatus, string>
  empty: string
  more: (cursor: string) => string
}

const text: Record<UiLocale, ListText> = {
  'zh-CN': {
    noFlags: '无危急征象',
    flags: (count, level) => `危急征象 ${count} 项（最高：${level}）`,
    noRecord: '无病历',
    record: (id, version, status) => `病历 ${id} 第${version}版 ${status}`,
    status: { draft: '草稿', signed: '已签名', amended: '已修订' },
    empty: '没有符合条件的问诊',
    more: (cursor) => `还有更多：加上 --cursor ${cursor}`,
  },
  en: {
    noFlags: 'no red flags',
    flags: (count, level) => `${count} red flag${count === 1 ? '' : 's'} (highest: ${level})`,
    noRecord: 'no record',
    record: (id, version, status) => `record ${id} v${version} ${status}`,
    status: { draft: 'draft', signed: 'signed', amended: 'amended' },
    empty: 'no consultations',
    more: (cursor) => `more results: add --cursor ${cursor}`,
  },
}

/** Terminal columns a text takes: CJK and full-width characters take two. */
function displayWidth(value: string): number {
  let width = 0
  for (const character of value) width += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(character) ? 2 : 1
  return width
}

function localTime(iso: string): string {
  const at = new Date(iso)
  const two = (n: number) => String(n).padStart(2, '0')
  return `${at.getFullYear()}-${two(at.getMonth() + 1)}-${two(at.getDate())} ${two(at.getHours())}:${two(at.getMinutes())}`
}

function cells(item: ConsultationSummary, locale: UiLocale): string[] {
  const t = text[locale]
  const startedBy = item.startedBy === null ? '-' : item.startedByName === null ? item.startedBy : `${item.startedByName} (${item.startedBy})`
  const flags = item.redFlags.highest === null ? t.noFlags : t.flags(item.redFlags.count, redFlagLevelLabels[item.redFlags.highest][locale])
  const record = item.record === null ? t.noRecord : t.record(item.record.recordId, item.record.version, t.status[item.record.status])
  return [localTime(item.createdAt), item.consultationId, item.patientName, item.clinicNumber ?? '-', item.department || '-', startedBy, flags, record]
}

/** One line per consultation, the columns of the page aligned (CJK characters count double). */
export function formatSummaries(items: readonly ConsultationSummary[], locale: UiLocale): string {
  const rows = items.map((item) => cells(item, locale))
  const widths = rows.reduce<number[]>((most, row) => row.map((cell, i) => Math.max(most[i] ?? 0, displayWidth(cell))), [])
  return rows
    .map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell + ' '.repeat((widths[i] ?? 0) - displayWidth(cell)))).join('  '))
    .map((line) => `${line}\n`)
    .join('')
}

export async function run(args: string[], io: CliIO): Promise<number> {
  let json = args.includes('--json')
  try {
    const { values } = parseRecordsArgs(
      args,
      {
        ...storeOptions,
        patient: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        status: { type: 'string' },
        limit: { type: 'string' },
        cursor: { type: 'string' },
      },
      usage,
      io,
    )
    json = values.json === true
    if (values.help) {
      io.out(usage)
      return 0
    }
    const db = requireDb(values.db, usage, io)
    const limit = positiveInteger(values.limit, '--limit', 200) ?? 20
    if (values.status !== undefined && !(recordStatuses as readonly string[]).includes(values.status)) {
      throw new WorkstationError('USAGE', `--status must be one of ${recordStatuses.join(', ')}`)
    }
    if (values.patient !== undefined && values.patient.trim() === '') throw new WorkstationError('USAGE', '--patient needs a name or clinic number')
    const request: ConsultationSummaryRequest = { limit }
    if (values.patient !== undefined) request.patient = values.patient.trim()
    const from = dateBoundary(values.from, '--from', false)
    const to = dateBoundary(values.to, '--to', true)
    if (from !== undefined) request.from = from
    if (to !== undefined) request.to = to
    if (values.status !== undefined) request.recordStatus = values.status as OutpatientRecordStatus
    if (values.cursor !== undefined) request.cursor = values.cursor
    // The window's request, read as the operating-system user (kept in the access log: ids and counts, never names).
    const workstation = await openCliWorkstation(db, io)
    try {
      const page = await workstation.read('consultation.summaries', request)
      if (json) for (const item of page.items) io.out(`${JSON.stringify(item)}\n`)
      else io.out(page.items.length === 0 ? `${text[io.locale].empty}\n` : formatSummaries(page.items, io.locale))
      if (page.nextCursor !== null) io.err(`${text[io.locale].more(page.nextCursor)}\n`)
    } finally {
      await workstation.close()
    }
    return 0
  } catch (error) {
    return reportFailure(io, error, json)
  }
}
