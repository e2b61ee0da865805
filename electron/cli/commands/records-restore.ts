import { WorkstationError } from '../../core/errors.ts'
import { checkedActor, systemActor } from '../../core/records/actor.ts'
import { restoreKeyedRecordStore } from '../../core/clinicians/keyed-record-store.ts'
import { cliAuditKeyVault } from '../audit-key.ts'
import { reportFailure, type CliIO } from '../output.ts'
import { parseRecordsArgs, requireDb, storeOptions } from './records-cli.ts'

const usage = `usage: huatuo records restore --db FILE --from BACKUP [--actor ID] [--json]

Replaces the record database with a backup. The backup is fully integrity-checked first; the
current database is itself backed up (or, if damaged, renamed aside) before it is replaced, so
nothing is lost. Close the workstation first. The audit chain's anchored head moves to the restored
log, and the audit log names the entries the backup does not have (they are in the safety backup).
  --actor ID   who the audit log names (default "system")
`

export async function run(args: string[], io: CliIO): Promise<number> {
  let json = args.includes('--json')
  try {
    const { values } = parseRecordsArgs(args, { ...storeOptions, from: { type: 'string' }, actor: { type: 'string' } }, usage, io)
    json = values.json === true
    if (values.help) {
      io.out(usage)
      return 0
    }
    const db = requireDb(values.db, usage, io)
    if (values.from === undefined) {
      io.err(usage)
      throw new WorkstationError('USAGE', '--from is required')
    }
    // The restored database's audit entries go on keyed with this data folder's key, and anchored beside it.
    const outcome = await restoreKeyedRecordStore({
      path: db,
      from: values.from,
      actor: checkedActor(values.actor ?? systemActor),
      scheduledBackups: false,
      keyVault: await cliAuditKeyVault(db, undefined, io.shell),
    })
    outcome.store.close()
    const result = { restored: values.from, safetyBackup: outcome.safetyBackup, setAside: outcome.setAside, supersededAuditEntries: outcome.superseded }
    if (json) io.out(`${JSON.stringify(result)}\n`)
    else {
      io.out(`restored ${values.from}\n`)
      if (outcome.safetyBackup) io.out(`the database as it was is kept in ${outcome.safetyBackup}\n`)
      if (outcome.setAside) io.out(`the damaged database was renamed to ${outcome.setAside}\n`)
      if (outcome.superseded) {
        const range = outcome.superseded.from === null ? `up to ${outcome.superseded.to}` : `${outcome.superseded.from}–${outcome.superseded.to}`
        io.out(`audit entries ${range} of the replaced database are not in the backup; the audit log records this and the chain head is anchored again\n`)
      }
    }
    return 0
  } catch (error) {
    return reportFailure(io, error, json)
  }
}
