import { WorkstationError } from '../../core/errors.ts'
import { reportFailure, type CliIO } from '../output.ts'

const usage = `usage: huatuo records <command> [options]

The consultation record database (SQLite, one file; backups beside it in backups/).
  list      consultations with patient, red flags and record ids (for export --record-id)
  import    load consultations from a JSON-lines file
  search    find text in messages, notes and records
  demo      fill a database with realistic demo consultations
  backup    make an online backup (or --list the backups)
  restore   replace the database with a backup, after checking it

Run "huatuo records <command> --help" for its options.
`

const subcommands: Record<string, () => Promise<{ run(args: string[], io: CliIO): Promise<number> }>> = {
  list: () => import('./records-list.ts'),
  import: () => import('./records-import.ts'),
  search: () => import('./records-search.ts'),
  demo: () => import('./records-demo.ts'),
  backup: () => import('./records-backup.ts'),
  restore: () => import('./records-restore.ts'),
}

export async function run(args: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = args
  if (name === undefined || name === '--help' || name === '-h') {
    io.out(usage)
    return name === undefined ? 2 : 0
  }
  const load = subcommands[name]
  if (load === undefined) {
    io.err(usage)
    return reportFailure(io, new WorkstationError('USAGE', `unknown records command: ${name}`), args.includes('--json'))
  }
  return (await load()).run(rest, io)
}
