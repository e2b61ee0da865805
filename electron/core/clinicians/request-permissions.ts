import type { Permission } from '../../contract/clinicians.ts'

/**
 * What a request needs: a permission of the signed-in, unlocked clinician, or `anyone` (served
 * signed out or locked too: it shows nothing about patients, or it is signing in). Each request's
 * rule stands beside its handler in electron/core/requests/.
 */
export type RequestAccess = Permission | 'anyone'
