import { createHash } from 'node:crypto'
import { resolve } from 'node:path'
import { exportFormats, paperSizes, type ExportFormat, type PaperSize } from '../../contract/outpatient-record.ts'
import { readRecordFile } from '../../core/clinical/outpatient-record/record-file.ts'
import { locateHospitalConfig, readHospitalConfig } from '../../core/config/hospital-config.ts'
import { WorkstationError } from '../../core/errors.ts'
import { writeNewFile } from '../../core/export/export-file.ts'
import { exportFileName } from '../../core/export/export-file-name.ts'
import { defaultPdfRenderer, type PdfRenderer } from '../../core/export/pdf-renderer.ts'
import { renderRecord } from '../../core/export/record-rendering.ts'
import { checkedActor } from '../../core/records/actor.ts'
import { parseCommandArgs } from '../args.ts'
import { openCliWorkstation } from '../cli-workstation.ts'
import { reportFailure, type CliIO } from '../output.ts'
import { positiveInteger } from './records-cli.ts'

const usage = `usage: huatuo export --record FILE.json --format FORMAT [--out PATH] [--paper a4|a5]
       huatuo export --db FILE --record-id ID --actor STAFF_ID [--version N] --format FORMAT [--out PATH] [--paper a4|a5]

Exports a signed (or amended) outpatient record (门诊病历); drafts are refused.
  --format F      fhir (FHIR R4 document bundle, JSON), pdf (printable record), md (Markdown),
                  txt (plain text for pasting into a hospital information system)
  --record FILE   a record JSON file (converted; not logged, as no record database is involved)
  --db FILE       the record database; with --record-id, the record's latest version (or --version N).
                  The export is logged in the database's exports table and audit log.
  --out PATH      the file to write (default: named after the clinic number and visit date, in the
                  current folder); an existing file is never overwritten. "-" writes fhir, md or txt to stdout.
  --paper P       a4 (default) or a5, for pdf
  --actor ID      with --db: the clinician who exports (as in the window, the export acts as them and
                  the logs name them); their PIN is read from standard input (a prompt without echo
                  on a terminal, one line from a pipe), and they must be allowed to export records
  --json          print the result (or the error) as JSON
The clinic's name and identifier systems come from the hospital configuration.
`

const options = {
  record: { type: 'string' },
  db: { type: 'string' },
  'record-id': { type: 'string' },
  version: { type: 'string' },
  format: { type: 'string' },
  out: { type: 'string' },
  paper: { type: 'string' },
  actor: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], option: string): T | undefined {
  if (value === undefined) return undefined
  if (!(allowed as readonly string[]).includes(value)) throw new WorkstationError('USAGE', `${option} must be one of ${allowed.join(', ')}`)
  return value as T
}

interface Outcome {
  path: string
  format: ExportFormat
  bytes: number
  sha256: string
  exportId?: number
  auditChainHead?: string
}

export async function run(args: string[], io: CliIO): Promise<number> {
  let json = args.includes('--json')
  let pdfRenderer: PdfRenderer | undefined
  try {
    let values
    try {
      values = parseCommandArgs(args, options).values
    } catch (error) {
      io.err(usage)
      throw error
    }
    json = values.json === true
    if (values.help) {
      io.out(usage)
      return 0
    }
    const format = oneOf(values.format, exportFormats, '--format')
    const paper: PaperSize = oneOf(values.paper, paperSizes, '--paper') ?? 'a4'
    if (format === undefined) throw new WorkstationError('USAGE', '--format is required')
    if ((values.record === undefined) === (values.db === undefined)) throw new WorkstationError('USAGE', 'give either --record FILE or --db FILE with --record-id')
    if (args.some((arg) => arg === '--pin' || arg.startsWith('--pin='))) throw new WorkstationError('USAGE', 'PINs are read from standard input, never from the command line')
    if (values.out === '-' && format === 'pdf') throw new WorkstationError('USAGE', 'a PDF cannot go to stdout; give --out FILE.pdf')
    let outcome: Outcome
    if (values.record !== undefined) {
      // A record file from elsewhere (another workstation, a test): rendered here, no store involved.
      const config = await readHospitalConfig(await locateHospitalConfig(null))
      if (format === 'pdf') pdfRenderer = io.shell?.pdfRenderer ? io.shell.pdfRenderer() : await defaultPdfRenderer()
      const render = { identifierSystems: config.identifierSystems, paper, ...(pdfRenderer ? { pdfRenderer } : {}) }
      const record = await readRecordFile(values.record)
      const rendered = await renderRecord(record, format, render)
      const sha256 = createHash('sha256').update(rendered.bytes).digest('hex')
      if (values.out === '-') {
        io.out(new TextDecoder().decode(rendered.bytes))
        return 0
      }
      const path = resolve(values.out ?? exportFileName(record, format))
      await writeNewFile(path, rendered.bytes)
      outcome = { path, format, bytes: rendered.bytes.byteLength, sha256 }
    } else {
      const recordId = positiveInteger(values['record-id'], '--record-id')
      if (recordId === undefined) throw new WorkstationError('USAGE', '--record-id is required with --db')
      if (values.actor === undefined) throw new WorkstationError('USAGE', '--actor STAFF_ID is required with --db: an export acts as the clinician who takes it (their PIN on standard input)')
      const versionNumber = positiveInteger(values.version, '--version')
      const actor = checkedActor(values.actor)
      const toStdout = values.out === '-'
      // The same request as the window's export, with --out as the save dialog's answer.
      const workstation = await openCliWorkstation(values.db!, io, {
        shell: toStdout ? { exportBytesTo: 'stdout' } : { chooseExportFile: async ({ fileName }) => resolve(values.out ?? fileName) },
      })
      try {
        // Acting under a clinician's name takes that clinician's PIN and permissions (PIN_WRONG, lockout, FORBIDDEN).
        await workstation.signIn(actor)
        const exported = await workstation.request('export.run', { recordId, ...(versionNumber === undefined ? {} : { version: versionNumber }), format, paper })
        if (exported.outcome === 'download') {
          io.out(Buffer.from(exported.base64, 'base64').toString('utf8'))
          return 0
        }
        if (exported.outcome === 'cancelled') return 0
        outcome = { path: exported.path, format, bytes: exported.bytes, sha256: exported.contentHash, exportId: exported.export.id, auditChainHead: exported.auditChainHead }
      } finally {
        await workstation.close()
      }
    }
    if (json) io.out(`${JSON.stringify(outcome)}\n`)
    else {
      io.out(`wrote ${outcome.path} (${outcome.format}, ${outcome.bytes} bytes, sha256 ${outcome.sha256})\n`)
      if (outcome.exportId !== undefined) io.out(`logged as export ${outcome.exportId}; audit chain head ${outcome.auditChainHead}\n`)
    }
    return 0
  } catch (error) {
    return reportFailure(io, error, json)
  } finally {
    await pdfRenderer?.close()
  }
}
