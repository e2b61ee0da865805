// What crosses a process boundary about the people using the workstation: clinician accounts, the
// sign-in session and its idle lock, permissions, and record signatures. Plain data only; times are
// ISO 8601 strings in UTC. PINs cross only as request input, never in a reply, an event or an error.
import { z } from 'zod'

/** doctor: sees patients and signs records; nurse: triage, consultations and notes; admin: accounts, models, audit. */
export type ClinicianRole = 'doctor' | 'nurse' | 'admin'
export const clinicianRoles = ['doctor', 'nurse', 'admin'] as const satisfies readonly ClinicianRole[]

/**
 * One permission per clinical or administrative action; core/clinicians/permissions.ts says which
 * role has which. The window shows or hides its buttons by them; core enforces them on every request.
 */
export const permissionNames = [
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
  'model.manage',
  'accounts.manage',
  'audit.verify',
  'database.backup',
  /** Every clinician reads the workstation's settings (sampling, engine, clinic, idle lock). */
  'settings.read',
  /** Workstation-wide settings are changed by administrators; language and PIN are each clinician's own. */
  'settings.manage',
  /** Doctors and nurses judge blind pairs of model answers (the doctors' review of two evaluation runs). */
  'evaluation.review',
  /** Administrators prepare reviews of two runs, see which run is which and read every result. */
  'evaluation.manage',
  /** Every role lists the reviews (no clinical text; run labels for evaluation.manage only). */
  'evaluation.read',
] as const
export type Permission = (typeof permissionNames)[number]

/** active: may sign in; locked: too many wrong PINs, until an admin unlocks it; disabled: kept, never deleted. */
export type ClinicianStatus = 'active' | 'locked' | 'disabled'

export interface Clinician {
  /** 工号. Also the actor id that records and the audit log name; never reused. */
  staffId: string
  name: string
  /** One clinical or admin role; a doctor or nurse may also be an admin (e.g. a clinic director). */
  roles: ClinicianRole[]
  department: string
  status: ClinicianStatus
  /** Set after an admin reset the PIN: the clinician chooses a new one before working. */
  pinChangeRequired: boolean
  createdAt: string
  createdBy: string
  lastSignInAt: string | null
  lockedAt: string | null
  disabledAt: string | null
}

export interface NewClinician {
  staffId: string
  name: string
  roles: ClinicianRole[]
  department?: string
}

/** Who is working at the workstation. `locked`: signed in, but nothing clinical is served until the PIN is entered again. */
export type ClinicianSession =
  | { state: 'signed-out'; firstAdminNeeded: boolean }
  | {
      state: 'active' | 'locked'
      clinician: Pick<Clinician, 'staffId' | 'name' | 'roles' | 'department'>
      permissions: Permission[]
      signedInAt: string
      /** pin: typed a PIN; os-user: the hospital maps the operating-system user to this account. */
      method: 'pin' | 'os-user'
      pinChangeRequired: boolean
      /** When the session locks without further activity (null while locked). */
      idleLockAt: string | null
      lockedAt: string | null
      lockReason: 'idle' | 'requested' | null
    }

/**
 * The record of a signature on an outpatient record version: who (as they were named then), when,
 * how, and whether it is a CA-certified electronic signature (only when the hospital configures one).
 */
export interface RecordSignature {
  recordVersionId: number
  recordId: number
  version: number
  staffId: string
  name: string
  department: string
  roles: ClinicianRole[]
  signedAt: string
  /** pin: confirmed by the clinician's PIN on this workstation. */
  method: 'pin'
  certified: boolean
  /** What the signature is, as stored with it: the non-certified statement, or the hospital's description. */
  statement: string
  /** SHA-256 of the signed content as records/outpatient-records.ts computes it. */
  contentHash: string
}

// Input schemas: every handler validates with these before anything else. PIN rules (length,
// weakness) are checked in core, so the refusal carries a stable code rather than a schema message.
export const staffIdSchema = z.string().min(1).max(32)
export const pinSchema = z.string().min(1).max(128)
export const clinicianRolesSchema = z
  .array(z.enum(clinicianRoles))
  .min(1)
  .max(2)

export const signInSchema = z.object({ staffId: staffIdSchema, pin: pinSchema }).strict()
export const pinOnlySchema = z.object({ pin: pinSchema }).strict()
export const pinChangeSchema = z.object({ currentPin: pinSchema, newPin: pinSchema }).strict()
export const newClinicianSchema = z
  .object({ staffId: staffIdSchema, name: z.string().min(1).max(50), roles: clinicianRolesSchema, department: z.string().max(100).optional(), pin: pinSchema })
  .strict()
export const clinicianRefSchema = z.object({ staffId: staffIdSchema }).strict()
export const pinResetSchema = z.object({ staffId: staffIdSchema, newPin: pinSchema }).strict()
export const recordSignSchema = z.object({ recordId: z.number().int().positive(), pin: pinSchema }).strict()
