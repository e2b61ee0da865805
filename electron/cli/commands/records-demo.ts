import { WorkstationError } from '../../core/errors.ts'
import { bundledDemoSources, demoConsultations, loadDemoSources } from '../../core/records/demo-corpus.ts'
import { storeDemoConsultations } from '../../core/records/demo-records.ts'
import { reportFailure, type CliIO } from '../output.ts'
import { openStoreForCli, parseRecordsArgs, positiveInteger, requireDb, storeOptions } from './records-cli.ts'


const usage = `usage: huatuo records demo --db FILE --consultations N [--seed N] [--data DIR] [--json]

Adds N realistic consultations (about 10 messages each, notes, red flags, signed records) built
from the HuatuoGPT authors' evaluation cases, varied in patients, departments, dates and wording.
The same seed gives the same consultations. For demos and benchmarks, never a clinic's database.
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
    // Demo consultations are dated in the past: the store's clock follows them while they are stored.
    let clock: number | null = null
    const store = await openStoreForCli(db, { now: () => clock ?? Date.now(), ...(io.shell ? { shell: io.shell } : {}) })
    const started = performance.now()
    let totals
    try {
      totals = storeDemoConsultations(store, demoConsultations(sources, { count, seed }), {
        setClock: (ms) => (clock = ms),
        onBatch: (so) => {
          if (io.isTTY && !json) io.err(`\r${so.consultations} / ${count}`)
        },
      })
      // A bulk load leaves the search index in many segments: merge them while the user waits anyway.
      store.search.optimizeIndex()
    } finally {
      clock = null
      store.close()
    }
    if (io.isTTY && !json) io.err('\n')
    const seconds = (performance.now() - started) / 1000
    if (json) io.out(`${JSON.stringify({ ...totals, seconds: Math.round(seconds * 10) / 10 })}\n`)
    else
      io.out(
        `stored ${totals.consultations} demo consultations: ${totals.messages} messages, ${totals.notes} notes, ` +
          `${totals.redFlags} red flags, ${totals.signedRecords} signed records (${seconds.toFixed(1)} s)\n`,
      )
    return 0
  } catch (error) {
    return reportFailure(io, error, json)
  }
}
