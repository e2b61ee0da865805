// A clinician's notes on a consultation, each edit kept as a version.
import { z } from 'zod'

export interface ClinicianNote {
  id: number
  consultationId: string
  author: string
  text: string
  /** 1 for the note as first written; each edit adds a version and keeps the earlier ones. */
  version: number
  createdAt: string
  editedAt: string
  editedBy: string
}

export interface ClinicianNoteVersion {
  noteId: number
  version: number
  text: string
  editedBy: string
  editedAt: string
}

export const noteTextSchema = z.string().min(1).max(20_000)
