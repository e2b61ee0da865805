import { stat } from 'node:fs/promises'
import type { Clinician } from '../../contract/clinicians.ts'
import { ClinicianAccounts } from '../../core/clinicians/clinician-accounts.ts'
import { checkedRoles } from '../../core/clinicians/clinician-roles.ts'
import { WorkstationError } from '../../core/errors.ts'
import { cliHospitalConfig, openKeyedStoreForCli } from '../audit-key.ts'
import { openCliWorkstation, type CliWorkstation } from '../cli-workstation.ts'
import { reportFailure, type CliIO } from '../output.ts'
import { SecretInput } from '../secret-input.ts'
import { parseRecordsArgs, requireDb, storeOptions } from './records-cli.ts'

const usage = `usage: huatuo users <command> --db FILE [options]

Clinician accounts of the workstation, for hospital IT. Accounts are never deleted: records and
the audit log keep naming them. Every command asks for an administrator's PIN on standard input —
a prompt without echo on a terminal, one line per PIN from a pipe — never on the command line,
where it would stay in shell history and process listings.

commands:
  add        --staff-id ID --name NAME --role ROLE [--department TEXT] --admin ADMIN_ID
             then the new account's PIN (typed twice on a terminal). ROLE is doctor, nurse or
             admin, or doctor,admin / nurse,admin for both. The clinician chooses their own PIN at
             first sign-in. On a new workstation the first account is the administrator's: it
             needs no --admin, and its role must include admin.
  list       --admin ADMIN_ID                     every account, disabled ones included
  disable    --staff-id ID --admin ADMIN_ID       the account can no longer sign in
  enable     --staff-id ID --admin ADMIN_ID
  unlock     --staff-id ID --admin ADMIN_ID       after too many wrong PINs
  reset-pin  --staff-id ID --admin ADMIN_ID       then the new PIN; changed again at next sign-in
  reset-pin  --staff-id ID --recovery             only when no other administrator can: a new PIN
             for an administrator's account, then the new PIN. Needs write access to the data
             folder and its audit key; audited as "recovery".

options:
  --audit-key FILE   the audit chain's key (default: hospital config auditKeyFile, else
                     keys/audit-chain.key beside the database; made on first use, mode 0600)
  --json             JSON lines on stdout
`

const options = {
  ...storeOptions,
  'staff-id': { type: 'string' },
  name: { type: 'string' },
  role: { type: 'string' },
  department: { type: 'string' },
  admin: { type: 'string' },
  recovery: { type: 'boolean' },
  'audit-key': { type: 'string' },
} as const

const verbs = ['add', 'list', 'disable', 'enable', 'unlock', 'reset-pin'] as const
type Verb = (typeof verbs)[number]

function describe(clinician: Clinician): string {
  const department = clinician.department === '' ? '' : `, ${clinician.department}`
  return `${clinician.staffId} (${clinician.name}, ${clinician.roles.join('+')}${department})`
}

function table(clinicians: Clinician[]): string {
  const rows = [['STAFF ID', 'NAME', 'ROLES', 'DEPARTMENT', 'STATUS', 'LAST SIGN-IN']]
  for (const c of clinicians) {
    const status = c.status === 'active' && c.pinChangeRequired ? 'active (new PIN due)' : c.status
    rows.push([c.staffId, c.name, c.roles.join('+'), c.department || '-', status, c.lastSignInAt?.slice(0, 16).replace('T', ' ') ?? '-'])
  }
  // Chinese characters take two columns in a terminal.
  const width = (text: string) => [...text].reduce((n, ch) => n + (/[\u1100-\uffdc]/u.test(ch) ? 2 : 1), 0)
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((row) => width(row[i] ?? '')))) ?? []
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell + ' '.repeat((widths[i] ?? 0) - width(cell) + 2))).join('')).join('\n') + '\n'
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    (info) => info.size > 0,
    () => false,
  )
}

function required(value: string | undefined, option: string, io: CliIO): string {
  if (value === undefined || value === '') {
    io.err(usage)
    throw new WorkstationError('USAGE', `--${option} is required`)
  }
  return value
}

export async function run(args: string[], io: CliIO): Promise<number> {
  let json = args.includes('--json')
  const [verb, ...rest] = args
  if (verb === undefined || verb === '--help' || verb === '-h') {
    io.out(usage)
    return verb === undefined ? 2 : 0
  }
  const secrets = new SecretInput(io)
  try {
    if (!(verbs as readonly string[]).includes(verb)) {
      io.err(usage)
      throw new WorkstationError('USAGE', `unknown users command: ${verb}`)
    }
    if (rest.some((arg) => arg === '--pin' || arg.startsWith('--pin=') || arg === '--new-pin' || arg.startsWith('--new-pin='))) {
      throw new WorkstationError('USAGE', 'PINs are read from standard input, never from the command line')
    }
    const { values } = parseRecordsArgs(rest, options, usage, io)
    json = values.json === true
    if (values.help) {
      io.out(usage)
      return 0
    }
    const db = requireDb(values.db, usage, io)
    // Only the first administrator's `add` may start a database; a mistyped --db must not.
    if ((verb !== 'add' || values.admin !== undefined) && !(await exists(db))) throw new WorkstationError('DB_UNAVAILABLE', `${db}: no database at this path`)
    if (verb === 'reset-pin' && values.recovery) return await recover(db, values, secrets, io, json)
    if (values.recovery) throw new WorkstationError('USAGE', '--recovery goes with reset-pin only')
    // The window's own account requests, through the same workstation: the administrator signs in
    // with their PIN (rate-limited, locked like any sign-in), and each request checks accounts.manage.
    const workstation = await openCliWorkstation(db, io, values['audit-key'] ? { auditKey: values['audit-key'] } : {})
    try {
      const { created, location } = workstation.workstation.auditKey
      if (created) io.err(`made the audit key ${location}: back it up apart from the database; without it the audit log cannot be verified\n`)
      const result = await perform(verb as Verb, values, workstation, secrets, io)
      if (json) for (const clinician of result.clinicians) io.out(`${JSON.stringify(clinician)}\n`)
      else io.out(result.text)
      return 0
    } finally {
      await workstation.close()
    }
  } catch (error) {
    return reportFailure(io, error, json)
  } finally {
    secrets.close()
  }
}

type Values = ReturnType<typeof parseRecordsArgs<typeof options>>['values']

/**
 * Break-glass: the only administrator is locked out, so no session can be had. It works on the
 * database file and its key directly (write access to both is the proof), audited as recovery.
 */
async function recover(db: string, values: Values, secrets: SecretInput, io: CliIO, json: boolean): Promise<number> {
  const config = await cliHospitalConfig()
  const { store } = await openKeyedStoreForCli(db, { ...(values['audit-key'] ? { auditKey: values['audit-key'] } : {}), ...(io.shell ? { shell: io.shell } : {}) })
  try {
    const accounts = new ClinicianAccounts(store, { pinAttemptsBeforeLock: config.pinAttemptsBeforeLock })
    if (accounts.needsFirstAdmin()) throw new WorkstationError('FIRST_ADMIN_NEEDED', 'huatuo users add --role admin creates it')
    const staffId = required(values['staff-id'], 'staff-id', io)
    const pin = await secrets.readNew(`New PIN for ${staffId}: `)
    const recovered = await accounts.recoverAdministrator(staffId, pin)
    io.out(json ? `${JSON.stringify(recovered)}\n` : `recovered ${describe(recovered)}: new PIN set, account unlocked (audited as recovery)\n`)
    return 0
  } finally {
    store.close()
  }
}

async function perform(verb: Verb, values: Values, workstation: CliWorkstation, secrets: SecretInput, io: CliIO): Promise<{ clinicians: Clinician[]; text: string }> {
  const one = (clinician: Clinician, text: string) => ({ clinicians: [clinician], text })
  const firstAdminNeeded = async () => {
    const current = await workstation.request('session.current', {})
    return current.state === 'signed-out' && current.firstAdminNeeded
  }
  const signInAdmin = async () => {
    const adminId = required(values.admin, 'admin', io)
    await workstation.signIn(adminId, await secrets.read(`Administrator PIN (${adminId}): `))
  }
  const account = (staffId: string) => async () => (await workstation.request('accounts.list', {})).find((c) => c.staffId === staffId)!
  if (verb === 'add') {
    const clinician = {
      staffId: required(values['staff-id'], 'staff-id', io),
      name: required(values.name, 'name', io),
      roles: checkedRoles(required(values.role, 'role', io).split(',').map((role) => role.trim())),
      ...(values.department ? { department: values.department } : {}),
    }
    if (await firstAdminNeeded()) {
      // The first account of a new workstation is its administrator, and is signed in as it is made.
      if (!clinician.roles.includes('admin')) throw new WorkstationError('USAGE', 'the first account must be an admin')
      const pin = await secrets.readNew(`PIN for ${clinician.staffId}: `)
      await workstation.request('session.firstAdmin', { ...clinician, pin })
      const admin = await account(clinician.staffId)()
      return one(admin, `created the first administrator ${describe(admin)}\n`)
    }
    await signInAdmin()
    const pin = await secrets.readNew(`PIN for ${clinician.staffId}: `)
    const added = await workstation.request('accounts.add', { ...clinician, pin })
    return one(added, `added ${describe(added)}; the PIN must be changed at first sign-in\n`)
  }
  if (await firstAdminNeeded()) throw new WorkstationError('FIRST_ADMIN_NEEDED', 'huatuo users add --role admin creates it')
  await signInAdmin()
  if (verb === 'list') {
    const clinicians = await workstation.request('accounts.list', {})
    return { clinicians, text: table(clinicians) }
  }
  const staffId = required(values['staff-id'], 'staff-id', io)
  switch (verb) {
    case 'disable': {
      const c = await workstation.request('accounts.disable', { staffId })
      return one(c, `disabled ${describe(c)}\n`)
    }
    case 'enable': {
      const c = await workstation.request('accounts.enable', { staffId })
      return one(c, `enabled ${describe(c)}\n`)
    }
    case 'unlock': {
      const c = await workstation.request('accounts.unlock', { staffId })
      return one(c, `unlocked ${describe(c)}\n`)
    }
    case 'reset-pin': {
      const pin = await secrets.readNew(`New PIN for ${staffId}: `)
      const c = await workstation.request('accounts.resetPin', { staffId, newPin: pin })
      const next = c.pinChangeRequired ? '; to be changed at next sign-in' : ''
      return one(c, `new PIN set for ${describe(c)}, account unlocked${next}\n`)
    }
  }
}
