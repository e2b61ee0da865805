import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { createInterface } from 'node:readline'
import { WorkstationError } from '../../core/errors.ts'
import { ClinicianAccounts } from '../../core/clinicians/clinician-accounts.ts'
import { mayDo } from '../../core/clinicians/permissions.ts'
import { checkedActor } from '../../core/records/actor.ts'
import { importConsultation, parseImportLine } from '../../core/records/consultation-import.ts'
import { cliHospitalConfig } from '../audit-key.ts'
import { reportFailure, type CliIO } from '../output.ts'
import { SecretInput } from '../secret-input.ts'
import { openStoreForCli, parseRecordsArgs, requireDb, storeOptions } from './records-cli.ts'

const usage = `usage: huatuo records import --db FILE --file consultations.jsonl --actor STAFF_ID [--json]

Loads consultations, one JSON object a line:
  {"id": "…", "patient": {"id": "门诊号", "name": "…", "sex": "male|female|男|女", "age": 52},
   "department": "…", "createdAt": "2024-03-01T09:30:00+08:00",
   "messages": [{"role": "user"|"assistant", "text": "…", "createdAt": "…"}], "notes": ["…"]}
Each line is stored in one transaction: a bad line is reported with its number and skipped, and
nothing from it is kept. Consultations keep their ids; an id already present is skipped, so an
import can be run again. Exit status 1 when any line was bad.
  --actor ID   the clinician who imports (a doctor or nurse: it writes patients' records); their
               PIN is read from standard input, and the audit log names them
  --json       one JSON object per problem line, then a summary object
`

export async function run(args: string[], io: CliIO): Promise<number> {
  let json = args.includes('--json')
  try {
    const { values } = parseRecordsArgs(args, { ...storeOptions, file: { type: 'string' }, actor: { type: 'string' } }, usage, io)
    json = values.json === true
    if (values.help) {
      io.out(usage)
      return 0
    }
    const db = requireDb(values.db, usage, io)
    if (values.file === undefined) {
      io.err(usage)
      throw new WorkstationError('USAGE', '--file is required')
    }
    if (values.actor === undefined) throw new WorkstationError('USAGE', '--actor STAFF_ID is required: an import writes patients\' records under a clinician\'s name (their PIN on standard input)')
    const actor = checkedActor(values.actor)
    try {
      if (!(await stat(values.file)).isFile()) throw new Error('not a file')
    } catch (error) {
      throw new WorkstationError('INPUT_UNREADABLE', (error as NodeJS.ErrnoException).code ?? 'not a file', { cause: error })
    }
    const store = await openStoreForCli(db, io.shell ? { shell: io.shell } : {})
    try {
      // The clinician's PIN and permission, as signing in to the window would check them.
      const secrets = new SecretInput(io)
      const pin = await secrets.read(`PIN (${actor}): `).finally(() => secrets.close())
      const config = await cliHospitalConfig()
      const clinician = await new ClinicianAccounts(store, { pinAttemptsBeforeLock: config.pinAttemptsBeforeLock }).verifyPin(actor, pin, 'sign-in')
      if (!mayDo(clinician.roles, 'consultation.write')) throw new WorkstationError('FORBIDDEN', 'consultation.write', { data: { permission: 'consultation.write' } })
    } catch (error) {
      store.close()
      throw error
    }
    const totals = { imported: 0, messages: 0, notes: 0, alreadyPresent: 0, badLines: 0 }
    try {
      const lines = createInterface({ input: createReadStream(values.file, 'utf8'), crlfDelay: Infinity })
      let number = 0
      for await (const line of lines) {
        number++
        if (line.trim() === '') continue
        try {
          const stored = importConsultation(store, parseImportLine(line), actor)
          totals.imported++
          totals.messages += stored.messages
          totals.notes += stored.notes
        } catch (error) {
          if (!(error instanceof WorkstationError)) throw error
          if (error.code === 'CONSULTATION_EXISTS') {
            totals.alreadyPresent++
            continue
          }
          // A full disk or a locked database will fail every following line too: stop here.
          if (error.code !== 'IMPORT_LINE_INVALID' && error.code !== 'USAGE') {
            throw new WorkstationError(error.code, `line ${number}: ${error.detail ?? ''}; lines before it were imported`, { cause: error })
          }
          totals.badLines++
          const detail = error.detail ?? ''
          if (json) io.out(`${JSON.stringify({ line: number, code: 'IMPORT_LINE_INVALID', detail })}\n`)
          else io.err(`line ${number}: ${detail}\n`)
        }
      }
      // A bulk load leaves the search index in many segments: merge them while the user waits anyway.
      // Not merging only makes searches a little slower, so a failure here is a warning.
      if (totals.imported > 0) {
        try {
          store.search.optimizeIndex()
        } catch (error) {
          io.err(`warning: search index not merged (${error instanceof WorkstationError ? error.code : 'INTERNAL'})\n`)
        }
      }
    } finally {
      store.close()
    }
    if (json) io.out(`${JSON.stringify(totals)}\n`)
    else {
      io.out(
        `imported ${totals.imported} consultation${totals.imported === 1 ? '' : 's'} (${totals.messages} messages, ${totals.notes} notes); ` +
          `${totals.alreadyPresent} already present; ${totals.badLines} bad line${totals.badLines === 1 ? '' : 's'} skipped\n`,
      )
    }
    return totals.badLines > 0 ? 1 : 0
  } catch (error) {
    return reportFailure(io, error, json)
  }
}
