import { clinicianRoles, type ClinicianRole } from '../../contract/clinicians.ts'
import { WorkstationError } from '../errors.ts'

/**
 * An account has one clinical role or none (doctor or nurse), and may be an admin as well: a
 * clinic director who also manages the workstation is `doctor+admin`. Stored as that one word, so
 * the schema's CHECK lists every allowed combination.
 */
export type StoredRoles = 'doctor' | 'nurse' | 'admin' | 'doctor+admin' | 'nurse+admin'

export function checkedRoles(roles: readonly string[]): ClinicianRole[] {
  const unique = [...new Set(roles)]
  if (unique.length === 0 || unique.length !== roles.length) throw new WorkstationError('USAGE', 'roles: one of doctor, nurse, admin; doctor or nurse may add admin')
  for (const role of unique) {
    if (!(clinicianRoles as readonly string[]).includes(role)) throw new WorkstationError('USAGE', `unknown role: ${role.slice(0, 20)}`)
  }
  if (unique.includes('doctor') && unique.includes('nurse')) throw new WorkstationError('USAGE', 'an account is a doctor or a nurse, not both')
  // Clinical role first, then admin: the order the schema stores.
  return clinicianRoles.filter((role) => unique.includes(role))
}

export function storedRoles(roles: readonly ClinicianRole[]): StoredRoles {
  return checkedRoles(roles).join('+') as StoredRoles
}

export function rolesFromStored(stored: string): ClinicianRole[] {
  return checkedRoles(stored.split('+'))
}
