import { WorkstationError } from '../errors.ts'

/** Actors that are not people: the workstation itself, the importer and the demo. */
export const systemActor = 'system'
export const importActor = 'import'
/** `huatuo records demo`: it makes the demo's data and its (disabled) demo clinician accounts. */
export const demoActor = 'demo'

/**
 * Every change names who made it: a clinician id for now (issue 6 brings accounts), or one of the
 * actors above. Ids are short identifiers, never free text.
 */
export function checkedActor(actor: string): string {
  if (typeof actor !== 'string' || !/^[\p{L}\p{N}._@:-]{1,128}$/u.test(actor)) {
    throw new WorkstationError('ACTOR_REQUIRED', 'actor must be 1-128 letters, digits or . _ @ : -')
  }
  return actor
}
