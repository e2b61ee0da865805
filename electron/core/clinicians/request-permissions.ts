import type { Permission } from '../../contract/clinicians.ts'
import type { RequestName } from '../../contract/request-names.ts'
import { WorkstationError } from '../errors.ts'
import type { ClinicianSessions, SignedInClinician } from './clinician-sessions.ts'

/** `anyone`: served signed out or locked too (it shows nothing about patients, or it is signing in). */
export type RequestAccess = Permission | 'anyone'

/**
 * What every request of the contract needs. Typed over every request name, so a request added to
 * the contract does not compile until someone decides here who may make it. Session requests
 * (sign in, unlock, switch user, …) are `anyone`: ClinicianSessions checks those itself.
 */
export const requestAccess: { readonly [N in RequestName]: RequestAccess } = {
  'app.about': 'anyone',

  // ClinicianSessions checks these itself (a PIN, or the signed-in clinician).
  'session.current': 'anyone',
  'session.firstAdmin': 'anyone',
  'session.signIn': 'anyone',
  'session.switchUser': 'anyone',
  'session.lock': 'anyone',
  'session.unlock': 'anyone',
  'session.signOut': 'anyone',
  'session.activity': 'anyone',
  'session.changePin': 'anyone',
  'accounts.list': 'accounts.manage',
  'accounts.add': 'accounts.manage',
  'accounts.disable': 'accounts.manage',
  'accounts.unlock': 'accounts.manage',
  'accounts.resetPin': 'accounts.manage',

  'model.catalog': 'model.use',
  'model.list': 'model.use',
  'model.inspect': 'model.use',
  'model.status': 'model.use',
  'model.load': 'model.use',
  'model.unload': 'model.use',
  'model.restart': 'model.use',
  'model.importCandidates': 'model.manage',
  'model.import': 'model.manage',
  'model.download': 'model.manage',
  'model.remove': 'model.manage',

  'patient.register': 'consultation.write',
  'consultation.list': 'consultation.read',
  // Reopens a consultation or starts one: starting is writing, and every role that reads also writes.
  'consultation.open': 'consultation.write',
  'consultation.messages': 'consultation.read',
  'records.search': 'consultation.read',
  'consultation.trash': 'consultation.trash',
  'consultation.restore': 'consultation.trash',
  'note.add': 'note.write',
  'note.edit': 'note.write',
  'redflag.acknowledge': 'triage.acknowledge',
  'record.draft': 'record.draft',
  'record.save': 'record.edit',
  // PIN-confirmed inside the signing itself.
  'record.sign': 'record.sign',
  'record.amend': 'record.amend',
  'export.run': 'record.export',
  'consultation.send': 'consultation.write',
  'consultation.stop': 'consultation.write',
  'consultation.regenerate': 'consultation.write',
  'consultation.edit': 'consultation.write',
  'consultation.close': 'consultation.write',
}

/**
 * The per-request gate for the workstation: call it before the handler. Returns the clinician who
 * acts (their staff id is the actor id), or null for an `anyone` request; throws NOT_SIGNED_IN,
 * SESSION_LOCKED, PIN_CHANGE_REQUIRED, ACCOUNT_LOCKED/ACCOUNT_DISABLED or FORBIDDEN otherwise.
 * It does not count as activity: the window reports input with `sessions.activity()`, so a
 * window that polls cannot keep a workstation unlocked.
 */
export function authorizeRequest(sessions: Pick<ClinicianSessions, 'require'>, name: RequestName): SignedInClinician | null {
  const access: RequestAccess | undefined = requestAccess[name]
  // Fails closed for a name the table does not know (a caller that bypassed the contract's types).
  if (access === undefined) throw new WorkstationError('FORBIDDEN', `no access rule for ${typeof name === 'string' ? name.slice(0, 80) : typeof name}`)
  return access === 'anyone' ? null : sessions.require(access)
}
