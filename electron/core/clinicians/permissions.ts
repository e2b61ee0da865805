import { permissionNames, type ClinicianRole, type Permission } from '../../contract/clinicians.ts'

/*
 * Who may do what. The roles follow a Chinese outpatient clinic:
 *
 * - doctor (医生): everything clinical — reads and holds consultations, acknowledges red flags,
 *   writes notes, drafts, edits, signs, amends and exports outpatient records, moves consultations
 *   to the trash and back, and loads an approved model.
 * - nurse (护士): triage and the consultation itself — reads and holds consultations (registering
 *   the patient, sending, stopping, regenerating), acknowledges red flags and writes notes. A nurse
 *   does not draft, edit, sign, amend or export the doctor's record (病历由医生书写并签名), and does
 *   not move consultations to the trash.
 * - admin (管理员, hospital IT): accounts, the model library (import, download, remove), audit
 *   verification, backups and the workstation-wide settings (sampling, context, threads, GPU
 *   layers, clinic, departments, idle lock). An admin alone sees no patient data and signs nothing; a doctor or
 *   nurse who is also an admin has both sets.
 *
 * Every role reads the settings (a turn samples with them) and chooses its own language and PIN.
 * Doctors and nurses judge blind pairs of model answers (evaluation.review: a clinician's reading,
 * not IT's); administrators prepare those reviews and read their results (evaluation.manage); every
 * role lists them (evaluation.read).
 * Loading an approved model (model.use) is open to every role: it changes no record, and a nurse
 * starting the morning's consultations must be able to do it.
 */
export const rolePermissions: { readonly [R in ClinicianRole]: readonly Permission[] } = {
  doctor: [
    'consultation.read',
    'consultation.write',
    'consultation.trash',
    'triage.acknowledge',
    'note.write',
    'record.draft',
    'record.edit',
    'record.sign',
    'record.amend',
    'record.export',
    'model.use',
    'settings.read',
    'evaluation.review',
    'evaluation.read',
  ],
  nurse: ['consultation.read', 'consultation.write', 'triage.acknowledge', 'note.write', 'model.use', 'settings.read', 'evaluation.review', 'evaluation.read'],
  admin: ['model.use', 'model.manage', 'accounts.manage', 'audit.verify', 'database.backup', 'settings.read', 'settings.manage', 'evaluation.manage', 'evaluation.read'],
}

/** Every permission the roles give, in the contract's order. */
export function permissionsOf(roles: readonly ClinicianRole[]): Permission[] {
  const granted = new Set(roles.flatMap((role) => rolePermissions[role]))
  return permissionNames.filter((permission) => granted.has(permission))
}

export function mayDo(roles: readonly ClinicianRole[], permission: Permission): boolean {
  return roles.some((role) => rolePermissions[role].includes(permission))
}
