import { stat } from 'node:fs/promises'
import { PassThrough } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Clinician } from '../../electron/contract/clinicians.ts'
import { keyFileVault } from '../../electron/core/clinicians/audit-key-vault.ts'
import { ClinicianAccounts } from '../../electron/core/clinicians/clinician-accounts.ts'
import { openKeyedRecordStore } from '../../electron/core/clinicians/keyed-record-store.ts'
import type { CliIO } from '../../electron/cli/output.ts'
import { SecretInput } from '../../electron/cli/secret-input.ts'
import { runHuatuo, type CliResult } from '../support/cli.ts'
import { codeOf, temporaryFolder } from './clinicians-support.ts'

// `huatuo users` as hospital IT runs it: every command needs an administrator's PIN, read from
// standard input (never an argument); the first account on a new workstation is the administrator.
// These run at production scrypt cost, as IT's own runs do.

let folder: Awaited<ReturnType<typeof temporaryFolder>>
let db: string
const transcript: CliResult[] = []
const pins = ['246813', '135792', '864209', '975310', '753102']

async function users(args: string[], input = ''): Promise<CliResult> {
  const result = await runHuatuo(['users', ...args, '--db', db], { input })
  transcript.push(result)
  return result
}

/**
 * The state five wrong PINs leave (the lock-out itself is tested in clinicians-accounts; checking
 * five PINs at production cost here would only make this file slower).
 */
async function lockOut(staffId: string, enabledBy?: string): Promise<void> {
  const { store } = await openKeyedRecordStore({ path: db, keyVault: keyFileVault(`${folder.path}/keys/audit-chain.key`), scheduledBackups: false })
  if (enabledBy !== undefined) new ClinicianAccounts(store).enable(staffId, enabledBy)
  store.connection.prepare('UPDATE clinicians SET failed_attempts = 5, last_failed_at = ?, locked_at = ? WHERE staff_id = ?').run(Date.now(), Date.now(), staffId)
  store.close()
}

beforeAll(async () => {
  folder = await temporaryFolder('clinicians-cli')
  db = `${folder.path}/records.db`
})

afterAll(async () => {
  await folder?.remove()
})

describe('huatuo users', () => {
  it('a new workstation: the first account is the administrator, and the audit key is made beside the database', async () => {
    const none = await users(['list', '--admin', 'A001'])
    expect([none.status, none.stderr]).toEqual([1, expect.stringMatching(/^DB_UNAVAILABLE: .*no database at this path\)\n$/)])
    const notAdmin = await users(['add', '--staff-id', 'D1024', '--name', '张医生', '--role', 'doctor'], '135792\n')
    expect(notAdmin.stderr).toMatch(/\nUSAGE: .*\(the first account must be an admin\)\n$/)
    const first = await users(['add', '--staff-id', 'A001', '--name', '王工', '--role', 'admin', '--department', '信息科'], '246813\n')
    expect(first.stdout).toBe('created the first administrator A001 (王工, admin, 信息科)\n')
    expect(first.stderr).toBe('')
    expect(first.status).toBe(0)
    // The key was made by the first open that could write (the refused add above), which said so.
    expect(notAdmin.stderr).toContain(`made the audit key ${folder.path}/keys/audit-chain.key: back it up apart from the database`)
    expect((await stat(`${folder.path}/keys/audit-chain.key`)).mode & 0o777).toBe(0o600)
  })

  it('adding an account needs an administrator and their PIN, from standard input only', async () => {
    const account = ['add', '--staff-id', 'D1024', '--name', '张医生', '--role', 'doctor', '--department', '内科']
    const onCommandLine = await users([...account, '--admin', 'A001', '--pin', '246813'])
    expect([onCommandLine.status, onCommandLine.stderr]).toEqual([2, 'USAGE: The command was used incorrectly. (PINs are read from standard input, never from the command line)\n'])
    const wrong = await users([...account, '--admin', 'A001'], '975310\n135792\n')
    expect([wrong.status, wrong.stderr]).toEqual([1, 'PIN_WRONG: The staff id or PIN is wrong.\n'])
    const short = await users([...account, '--admin', 'A001'], '246813\n')
    expect([short.status, short.stderr]).toEqual([2, 'USAGE: The command was used incorrectly. (standard input ended before: PIN for D1024)\n'])
    const added = await users([...account, '--admin', 'A001'], '246813\n135792\n')
    expect(added.stdout).toBe('added D1024 (张医生, doctor, 内科); the PIN must be changed at first sign-in\n')
    expect(added.status).toBe(0)
  })

  it('list, disable, reset-pin: an admin only', async () => {
    const list = await users(['list', '--admin', 'A001', '--json'], '246813\n')
    const accounts = list.stdout.trim().split('\n').map((line) => JSON.parse(line) as Clinician)
    expect(accounts.map((c) => [c.staffId, c.roles, c.status, c.pinChangeRequired])).toEqual([
      ['A001', ['admin'], 'active', false],
      ['D1024', ['doctor'], 'active', true],
    ])
    // A doctor is refused, as in the window: first the PIN of their own is due, and they never manage accounts.
    const doctor = await users(['disable', '--staff-id', 'D1024', '--admin', 'D1024'], '135792\n')
    expect(doctor.stderr).toMatch(/^PIN_CHANGE_REQUIRED: /)
    expect((await users(['disable', '--staff-id', 'D1024', '--admin', 'A001'], '246813\n')).stdout).toBe('disabled D1024 (张医生, doctor, 内科)\n')
    const table = await users(['list', '--admin', 'A001'], '246813\n')
    expect(table.stdout.split('\n')[0]).toMatch(/^STAFF ID\s+NAME\s+ROLES\s+DEPARTMENT\s+STATUS\s+LAST SIGN-IN$/)
    // D1024 signed in above (their PIN was right; the request was what they may not do).
    expect(table.stdout).toMatch(/\nD1024\s+张医生\s+doctor\s+内科\s+disabled\s+\d{4}-\d\d-\d\d \d\d:\d\d\n/)
    const reset = await users(['reset-pin', '--staff-id', 'D1024', '--admin', 'A001'], '246813\n864209\n')
    expect(reset.stderr).toMatch(/^ACCOUNT_DISABLED: .*enable the account before resetting its PIN/)
  })

  it('unlock after too many wrong PINs; break-glass recovery when the only administrator is locked out', async () => {
    await lockOut('A001')
    expect((await users(['list', '--admin', 'A001'], '246813\n')).stderr).toMatch(/^ACCOUNT_LOCKED: /)
    const recovered = await users(['reset-pin', '--staff-id', 'A001', '--recovery'], '753102\n')
    expect(recovered.stdout).toBe('recovered A001 (王工, admin, 信息科): new PIN set, account unlocked (audited as recovery)\n')
    await lockOut('D1024', 'A001')
    expect((await users(['unlock', '--staff-id', 'D1024', '--admin', 'A001'], '753102\n')).stdout).toBe('unlocked D1024 (张医生, doctor, 内科)\n')
  })

  it('the audit log names every step, verifies with the key, and no PIN was ever printed', async () => {
    const verify = await runHuatuo(['audit', 'verify', '--db', db])
    expect(verify.status).toBe(0)
    expect(verify.stdout).toMatch(/^audit log intact: (\d+) entries \(keyed with hmac-sha256:[0-9a-f]{16}\)\nchain head anchored at entry \1\n/)
    const { store } = await openKeyedRecordStore({ path: db, readOnly: true, keyVault: keyFileVault(`${folder.path}/keys/audit-chain.key`) })
    const actions = store.audit.list({ limit: 200 }).items.filter((e) => e.entityType === 'clinician').map((e) => `${e.actor} ${e.action} ${e.entityId}`)
    store.close()
    expect(actions.reverse().filter((a) => !a.includes('pin-wrong'))).toEqual([
      'A001 clinician.add A001',
      'A001 clinician.add D1024',
      'A001 clinician.disable D1024',
      'recovery clinician.recover A001',
      'A001 clinician.enable D1024',
      'A001 clinician.unlock D1024',
    ])
    for (const result of transcript) for (const pin of pins) expect(result.stdout + result.stderr).not.toContain(pin)
  })
})

describe('reading a PIN', () => {
  function terminal(): { io: CliIO; input: PassThrough & { isTTY: boolean; setRawMode(mode: boolean): void }; shown: string[]; raw: boolean[] } {
    const shown: string[] = []
    const raw: boolean[] = []
    const input = Object.assign(new PassThrough(), { isTTY: true, setRawMode: (mode: boolean) => void raw.push(mode) })
    return { io: { out: () => undefined, err: (text) => void shown.push(text), stdin: input, isTTY: true, locale: 'en' }, input, shown, raw }
  }

  it('on a terminal: a prompt, no echo, backspace works, raw mode is restored', async () => {
    const { io, input, shown, raw } = terminal()
    const secrets = new SecretInput(io)
    const typed = secrets.read('Administrator PIN (A001): ')
    input.write('24681')
    input.write('x\u007f3\r')
    expect(await typed).toBe('246813')
    expect(shown).toEqual(['Administrator PIN (A001): ', '\n'])
    expect(raw).toEqual([true, false])
  })

  it('on a terminal: a new PIN is typed twice, and Ctrl-C cancels', async () => {
    const { io, input } = terminal()
    const secrets = new SecretInput(io)
    const mismatch = secrets.readNew('PIN for D1024: ')
    input.write('135792\r')
    await new Promise((resolve) => setImmediate(resolve))
    input.write('135793\r')
    expect(await codeOf(() => mismatch)).toBe('PIN_MISMATCH')
    const cancelled = secrets.read('PIN: ')
    input.write('13\u0003')
    expect(await codeOf(() => cancelled)).toBe('REQUEST_CANCELLED')
  })

  it('from a pipe: one PIN per line, in order', async () => {
    const input = new PassThrough()
    const secrets = new SecretInput({ out: () => undefined, err: () => undefined, stdin: input, isTTY: false, locale: 'en' })
    input.end('246813\r\n 135792 \n')
    expect(await secrets.read('Administrator PIN: ')).toBe('246813')
    expect(await secrets.readNew('PIN for D1024: ')).toBe('135792')
    expect(await codeOf(() => secrets.read('New PIN: '))).toBe('USAGE')
    secrets.close()
  })
})
