import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { permissionNames, type Permission } from '../../electron/contract/clinicians.ts'
import { requestNames, type RequestName } from '../../electron/contract/request-names.ts'
import { mayDo, permissionsOf, rolePermissions } from '../../electron/core/clinicians/permissions.ts'
import { authorizeRequest, requestAccess } from '../../electron/core/requests/request-table.ts'
import { codeOf, errorOf, openClinic, people, signIn, type Clinic, type Person } from './clinicians-support.ts'

// Who may do what, checked for every permission and every request of the contract: a nurse
// triages, holds consultations and takes notes but does not draft, sign, amend or export records;
// an admin manages accounts and models and sees no patient data; a director who is doctor and
// admin has both.

/** The decision table, written out: Y allowed, - refused. Columns: doctor, nurse, admin, doctor+admin. */
const expected: Record<Permission, string> = {
  'consultation.read': 'YY-Y',
  'consultation.write': 'YY-Y',
  'consultation.trash': 'Y--Y',
  'triage.acknowledge': 'YY-Y',
  'note.write': 'YY-Y',
  'record.draft': 'Y--Y',
  'record.edit': 'Y--Y',
  'record.sign': 'Y--Y',
  'record.amend': 'Y--Y',
  'record.export': 'Y--Y',
  'model.use': 'YYYY',
  'model.manage': '--YY',
  'accounts.manage': '--YY',
  'audit.verify': '--YY',
  'database.backup': '--YY',
  'settings.read': 'YYYY',
  'settings.manage': '--YY',
  'evaluation.review': 'YY-Y',
  'evaluation.manage': '--YY',
  'evaluation.read': 'YYYY',
}

const columns: Person[] = ['doctor', 'nurse', 'admin', 'director']

let clinic: Clinic & { remove(): Promise<void> }

beforeAll(async () => {
  clinic = await openClinic('permissions')
})

afterAll(async () => {
  await clinic?.remove()
})

describe('the role table', () => {
  it('covers every permission, and only known ones', () => {
    expect(Object.keys(expected).sort()).toEqual([...permissionNames].sort())
    for (const granted of Object.values(rolePermissions)) for (const permission of granted) expect(permissionNames).toContain(permission)
  })

  it.each(permissionNames)('%s', (permission) => {
    const decisions = columns.map((person) => (mayDo([...people[person].roles], permission) ? 'Y' : '-')).join('')
    expect(decisions).toBe(expected[permission])
  })

  it('a session enforces every permission for every role, and tells the window what it may show', async () => {
    for (const [column, person] of columns.entries()) {
      await signIn(clinic, person)
      const session = clinic.sessions.current()
      const allowed = permissionNames.filter((p) => expected[p][column] === 'Y')
      expect(session.state === 'active' && session.permissions).toEqual(allowed)
      expect(permissionsOf([...people[person].roles])).toEqual(allowed)
      for (const permission of permissionNames) {
        if (allowed.includes(permission)) expect(clinic.sessions.require(permission).staffId).toBe(people[person].staffId)
        else {
          const refusal = await errorOf(() => clinic.sessions.require(permission))
          expect([refusal.code, refusal.data]).toEqual(['FORBIDDEN', { permission }])
        }
      }
    }
  })
})

describe('every request of the contract', () => {
  const clinical = requestNames.filter((name) => requestAccess[name] !== 'anyone')

  it('has a declared access rule; only requests that show no patient data are open to anyone', () => {
    expect(Object.keys(requestAccess).sort()).toEqual([...requestNames].sort())
    // The session requests check the PIN or the signed-in clinician themselves and return no patient data.
    expect(requestNames.filter((name) => requestAccess[name] === 'anyone')).toEqual([
      'app.about',
      'session.current',
      'session.firstAdmin',
      'session.signIn',
      'session.switchUser',
      'session.lock',
      'session.unlock',
      'session.signOut',
      'session.activity',
      'session.changePin',
    ])
  })

  it('refuses every request but the open ones when nobody is signed in, or the session is locked', async () => {
    clinic.sessions.signOut()
    for (const name of clinical) expect([name, await codeOf(() => authorizeRequest(clinic.sessions, name))]).toEqual([name, 'NOT_SIGNED_IN'])
    expect(authorizeRequest(clinic.sessions, 'app.about')).toBeNull()
    await signIn(clinic, 'doctor')
    clinic.sessions.lock()
    for (const name of clinical) expect([name, await codeOf(() => authorizeRequest(clinic.sessions, name))]).toEqual([name, 'SESSION_LOCKED'])
    expect(authorizeRequest(clinic.sessions, 'app.about')).toBeNull()
  })

  it.each(columns)('as the %s: allowed exactly where the role table says', async (person) => {
    await signIn(clinic, person)
    const column = columns.indexOf(person)
    for (const name of clinical) {
      const permission = requestAccess[name] as Permission
      const outcome = expected[permission][column] === 'Y' ? people[person].staffId : 'FORBIDDEN'
      let got: string
      try {
        got = authorizeRequest(clinic.sessions, name)?.staffId ?? 'null'
      } catch (error) {
        got = (error as { code: string }).code
      }
      expect([name, got]).toEqual([name, outcome])
    }
  })

  it('a nurse registers patients, holds consultations, acknowledges red flags and writes notes; an admin none of these', async () => {
    const nurseMay: RequestName[] = ['patient.register', 'consultation.open', 'consultation.send', 'consultation.stop', 'redflag.acknowledge', 'note.add', 'records.search']
    await signIn(clinic, 'nurse')
    for (const name of nurseMay) expect(authorizeRequest(clinic.sessions, name)?.staffId).toBe('N0007')
    expect(await codeOf(() => authorizeRequest(clinic.sessions, 'consultation.trash'))).toBe('FORBIDDEN')
    expect(await codeOf(() => authorizeRequest(clinic.sessions, 'model.import'))).toBe('FORBIDDEN')
    await signIn(clinic, 'admin')
    for (const name of nurseMay) expect(await codeOf(() => authorizeRequest(clinic.sessions, name))).toBe('FORBIDDEN')
    expect(authorizeRequest(clinic.sessions, 'model.import')?.staffId).toBe('A001')
  })

  it('a request name nobody declared is refused', async () => {
    expect(await codeOf(() => authorizeRequest(clinic.sessions, 'records.delete' as RequestName))).toBe('FORBIDDEN')
  })
})
