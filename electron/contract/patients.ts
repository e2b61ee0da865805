// Patients as the records store keeps them and as a clinician registers them.
import { z } from 'zod'

/** The name a consultation's patient has until the clinician fills the header (shown as "not registered"). */
export const UNREGISTERED_PATIENT_NAME = '未登记病人'

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

/**
 * The patient header of a consultation as the clinician corrects it: only the fields given change
 * (null clears an optional one). A clinic number already registered to another patient links the
 * consultation to that patient when this consultation's patient was entered for it alone.
 */
export const patientHeaderUpdateSchema = z
  .object({
    consultationId: z.string().min(1).max(200),
    clinicNumber: z.string().trim().min(1).max(100).nullable().optional(),
    name: z.string().trim().min(1).max(200).optional(),
    sex: z.enum(patientSexes).optional(),
    birthDate: z.iso.date().nullable().optional(),
    ageYears: z.number().int().min(0).max(150).nullable().optional(),
    department: z.string().trim().max(100).optional(),
  })
  .strict()
export type PatientHeaderUpdate = z.infer<typeof patientHeaderUpdateSchema>

/** The changes a patient's own row takes (the header's fields without the consultation's). */
export type PatientChanges = Omit<PatientHeaderUpdate, 'consultationId' | 'department'>
