import { ClinicianAccounts } from '../../core/clinicians/clinician-accounts.ts'
import { WorkstationError } from '../../core/errors.ts'
import { bundledDemoSources, demoClinicName, demoConsultations, demoPeriod, loadDemoSources } from '../../core/records/demo-corpus.ts'
import { markDemoDatabase } from '../../core/records/demo-database.ts'
import { addDemoClinicians, disableDemoClinicians, storeDemoConsultations, type DemoTotals } from '../../core/records/demo-records.ts'
import { cliHospitalConfig } from '../audit-key.ts'
import { reportFailure, type CliIO } from '../output.ts'
import { openStoreForCli, parseRecordsArgs, positiveInteger, requireDb, storeOptions } from './records-cli.ts'

const usage = `usage: huatuo records demo --db FILE --consultations N [--seed N] [--data DIR] [--json]

Adds N realistic consultations (about 10 messages each, some with notes and signed records)
built from the HuatuoGPT authors' evaluation cases, varied in patients, departments, dates and
wording; each patient's age and sex fit their case. Triage runs on every patient message and
raises its red flags, as in a consultation. Records are signed by demo doctors: accounts named
"（演示）", never administrators, disabled, with a random PIN nobody knows. The database is marked
as a demo's: its records name the demo clinic. The same seed gives the same consultations.
For demos and benchmarks, never a clinic's database.
  --seed N     default 1
  --data DIR   folder with Med-dialog_100.json and KUAKE-QIC_100.json (default: the cases shipped in resources/demo-cases)
`

export async function run(args: string[], io: CliIO): Promise<number> {
  let json = args.includes('--json')
  try {
    const { values } = parseRecordsArgs(args, { ...storeOptions, consultations: { type: 'string' }, seed: { type: 'string' }, data: { type: 'string' } }, usage, io)
    json = values.json === true
    if (values.help) {
      io.out(usage)
      return 0
    }
    const db = requireDb(values.db, usage, io)
    const count = positiveInteger(values.consultations, '--consultations', 10_000_000)
    if (count === undefined) {
      io.err(usage)
      throw new WorkstationError('USAGE', '--consultations is required')
    }
    const seed = positiveInteger(values.seed, '--seed', 0xffffffff) ?? 1
    const sources = values.data === undefined ? await bundledDemoSources() : await loadDemoSources(values.data)
    const config = await cliHospitalConfig().catch(() => null)
    // Demo consultations are dated in the past: the store's clock follows them while they are stored.
    let clock: number | null = null
    const now = () => clock ?? Date.now()
    const store = await openStoreForCli(db, { now, ...(io.shell ? { shell: io.shell } : {}) })
    const accounts = new ClinicianAccounts(store, { now, ...(config ? { pinAttemptsBeforeLock: config.pinAttemptsBeforeLock } : {}) })
    const started = performance.now()
    let totals: DemoTotals
    try {
      markDemoDatabase(store, demoClinicName)
      // The demo's doctors join before the first consultation and are disabled when it is done.
      clock = demoPeriod.start - 86_400_000
      await addDemoClinicians(accounts)
      try {
        totals = storeDemoConsultations(store, demoConsultations(sources, { count, seed }), {
          setClock: (ms) => (clock = ms),
          onBatch: (so) => {
            if (io.isTTY && !json) io.err(`\r${so.consultations} / ${count}`)
          },
        })
      } finally {
        clock = null
        disableDemoClinicians(accounts)
      }
      // A bulk load leaves the search index in many segments: merge them while the user waits anyway.
      store.search.optimizeIndex()
    } finally {
      clock = null
      store.close()
    }
    if (io.isTTY && !json) io.err('\n')
    const seconds = (performance.now() - started) / 1000
    if (json) io.out(`${JSON.stringify({ ...totals, clinic: demoClinicName, seconds: Math.round(seconds * 10) / 10 })}\n`)
    else
      io.out(
        `stored ${totals.consultations} demo consultations: ${totals.messages} messages, ${totals.notes} notes, ` +
          `${totals.redFlags} red flags (raised by triage), ${totals.signedRecords} signed records; ` +
          `${totals.demoClinicians} demo doctor accounts (disabled); clinic "${demoClinicName}" (${seconds.toFixed(1)} s)\n`,
      )
    return 0
  } catch (error) {
    return reportFailure(io, error, json)
  }
}
