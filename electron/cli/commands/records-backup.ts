import { systemActor, checkedActor } from '../../core/records/actor.ts'
import { formatBytes } from '../format.ts'
import { reportFailure, type CliIO } from '../output.ts'
import { openStoreForCli, parseRecordsArgs, requireDb, storeOptions } from './records-cli.ts'

const usage = `usage: huatuo records backup --db FILE [--list] [--actor ID] [--json]

Makes an online backup of the record database into backups/ beside it: a consistent snapshot taken
while the database stays in use, checked before it is kept. With --list, lists the backups instead.
  --actor ID   who the audit log names (default "system")
`

export async function run(args: string[], io: CliIO): Promise<number> {
  let json = args.includes('--json')
  try {
    const { values } = parseRecordsArgs(args, { ...storeOptions, list: { type: 'boolean' }, actor: { type: 'string' } }, usage, io)
    json = values.json === true
    if (values.help) {
      io.out(usage)
      return 0
    }
    const db = requireDb(values.db, usage, io)
    const actor = checkedActor(values.actor ?? systemActor)
    const store = await openStoreForCli(db, io.shell ? { shell: io.shell } : {})
    try {
      if (values.list) {
        const backups = await store.backups.list()
        if (json) for (const backup of backups) io.out(`${JSON.stringify(backup)}\n`)
        else if (backups.length === 0) io.out('no backups\n')
        else for (const b of backups) io.out(`${b.createdAt}  ${b.kind.padEnd(13)}  ${formatBytes(b.bytes).padStart(10)}  ${b.path}\n`)
        return 0
      }
      const made = await store.backups.create(actor, 'manual')
      io.out(json ? `${JSON.stringify(made)}\n` : `backup written: ${made.path} (${formatBytes(made.bytes)})\n`)
      return 0
    } finally {
      store.close()
    }
  } catch (error) {
    return reportFailure(io, error, json)
  }
}
