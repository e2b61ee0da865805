// Red flags as the record keeps them (triage, contract/triage.ts, raises and grades them).
import type { RedFlagAction, RedFlagLevel } from './triage.ts'

/** A red flag as the record keeps it: raised by triage on a patient message, acknowledged by a clinician. */
export interface StoredRedFlag {
  id: number
  consultationId: string
  messageId: number
  /** The triage rule that raised it, when known. */
  ruleId: string | null
  category: string
  level: RedFlagLevel
  /** The patient's own words that raised it. */
  matchedWords: string[]
  ruleVersion: string
  /** What triage recommended doing, in both languages (null for flags raised before it was kept). */
  action: RedFlagAction | null
  raisedAt: string
  acknowledgedBy: string | null
  acknowledgedAt: string | null
}

export interface NewRedFlag {
  ruleId?: string
  category: string
  level: RedFlagLevel
  matchedWords: string[]
  ruleVersion: string
  action?: RedFlagAction
}
