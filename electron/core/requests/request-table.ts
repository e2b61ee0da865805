import type { RequestName } from '../../contract/channels.ts'
import type { RequestAccess } from '../clinicians/request-permissions.ts'
import type { ClinicianSessions, SignedInClinician } from '../clinicians/clinician-sessions.ts'
import { WorkstationError } from '../errors.ts'
import { accountCommands, accountQueries } from './accounts.ts'
import { administrationCommands, administrationQueries } from './administration.ts'
import { appCommands, appQueries } from './app.ts'
import { consultationCommands, consultationQueries } from './consultations.ts'
import { evaluationReviewCommands, evaluationReviewQueries } from './evaluation-reviews.ts'
import { evaluationRunCommands, evaluationRunQueries } from './evaluation-runs.ts'
import { exportCommands, exportQueries } from './exports.ts'
import { modelCommands, modelQueries } from './models.ts'
import { recordCommands, recordQueries } from './records.ts'
import type { RequestEntries } from './request-module.ts'
import { sessionCommands, sessionQueries } from './sessions.ts'
import { settingsCommands, settingsQueries } from './settings.ts'

// Every request of the contract, joined from the per-concern modules. `satisfies` makes the table
// exhaustive by type: a request added to the contract does not compile until one module gives it a
// handler and an access rule. A new request touches the contract (channels.ts, request-names.ts) and
// one module here.

export const queries = {
  ...appQueries,
  ...sessionQueries,
  ...accountQueries,
  ...settingsQueries,
  ...administrationQueries,
  ...modelQueries,
  ...consultationQueries,
  ...recordQueries,
  ...exportQueries,
  ...evaluationRunQueries,
  ...evaluationReviewQueries,
}
export const commands = {
  ...appCommands,
  ...sessionCommands,
  ...accountCommands,
  ...settingsCommands,
  ...administrationCommands,
  ...modelCommands,
  ...consultationCommands,
  ...recordCommands,
  ...exportCommands,
  ...evaluationRunCommands,
  ...evaluationReviewCommands,
}

export const requestTable = { ...queries, ...commands } satisfies RequestEntries

/** Who may make each request (`anyone`: served signed out or locked too). */
export const requestAccess = Object.fromEntries(Object.entries(requestTable).map(([name, entry]) => [name, entry.access])) as { readonly [N in RequestName]: RequestAccess }

/** Whether the request only reads. */
export function isQuery(name: RequestName): boolean {
  return Object.hasOwn(queries, name)
}

/**
 * The per-request gate: returns the clinician who acts, or null for an `anyone` request; throws
 * NOT_SIGNED_IN, SESSION_LOCKED, PIN_CHANGE_REQUIRED, ACCOUNT_LOCKED/ACCOUNT_DISABLED or FORBIDDEN.
 * It does not count as activity: the window reports input with `session.activity`, so a window that
 * polls cannot keep a workstation unlocked.
 */
export function authorizeRequest(sessions: Pick<ClinicianSessions, 'require'>, name: RequestName): SignedInClinician | null {
  const access: RequestAccess | undefined = Object.hasOwn(requestAccess, name) ? requestAccess[name] : undefined
  // Fails closed for a name the table does not know (a caller that bypassed the contract's types).
  if (access === undefined) throw new WorkstationError('FORBIDDEN', `no access rule for ${typeof name === 'string' ? name.slice(0, 80) : typeof name}`)
  return access === 'anyone' ? null : sessions.require(access)
}
