import { WorkstationError } from '../../core/errors.ts'
import { reportFailure, type CliIO } from '../output.ts'
import { openStoreForCli, parseRecordsArgs, requireDb, storeOptions } from './records-cli.ts'

const usage = `usage: huatuo audit verify --db FILE [--json]

Walks the record database's audit log from its first entry and checks that each entry's hash
covers the one before it. Reports the first entry that does not (edited, removed or reordered
entries break the chain there). Opens the database read-only. Exit status 1 when the chain is broken.
`

export async function run(args: string[], io: CliIO): Promise<number> {
  let json = args.includes('--json')
  try {
    const [verb, ...rest] = args
    if (verb === '--help' || verb === '-h') {
      io.out(usage)
      return 0
    }
    if (verb !== 'verify') {
      io.err(usage)
      throw new WorkstationError('USAGE', verb === undefined ? 'audit needs a command: verify' : `unknown audit command: ${verb}`)
    }
    const { values } = parseRecordsArgs(rest, storeOptions, usage, io)
    json = values.json === true
    if (values.help) {
      io.out(usage)
      return 0
    }
    const store = await openStoreForCli(requireDb(values.db, usage, io), { readOnly: true })
    let result
    try {
      result = store.audit.verify()
    } finally {
      store.close()
    }
    if (json) io.out(`${JSON.stringify(result)}\n`)
    if (result.firstBroken === null) {
      if (!json) io.out(`audit log intact: ${result.entriesChecked} entries\n`)
      return 0
    }
    const broken = result.firstBroken
    return reportFailure(
      io,
      new WorkstationError('AUDIT_CHAIN_BROKEN', `entry ${broken.seq}: ${broken.reason}; ${result.entriesChecked} entries before it are intact`, {
        data: { seq: broken.seq, reason: broken.reason },
      }),
      false,
    )
  } catch (error) {
    return reportFailure(io, error, json)
  }
}
