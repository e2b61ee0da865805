// Patients as the records store keeps them and as a clinician registers them.
import { z } from 'zod'

export const patientSexes = ['male', 'female', 'other', 'unknown'] as const
export type PatientSex = (typeof patientSexes)[number]

export interface Patient {
  id: string
  /** 门诊号: the clinic's own patient number, when known. */
  clinicNumber: string | null
  name: string
  sex: PatientSex
  /** YYYY-MM-DD, when known; otherwise ageYears. */
  birthDate: string | null
  ageYears: number | null
  createdAt: string
}

export const newPatientSchema = z
  .object({
    clinicNumber: z.string().min(1).max(100).optional(),
    name: z.string().min(1).max(200),
    sex: z.enum(patientSexes).optional(),
    birthDate: z.iso.date().optional(),
    ageYears: z.number().int().min(0).max(150).optional(),
  })
  .strict()
export type NewPatient = z.infer<typeof newPatientSchema>
