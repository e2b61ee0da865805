// The vocabulary of the rule tables: a Sign is something a patient can say (a symptom, a reading,
// a condition they have, a medicine they take); a TriageRule raises a red flag when all the signs
// it needs are present, for the patients it applies to.
import type { RedFlagAction, RedFlagCategory, RedFlagLevel } from '../../../contract/triage.ts'

export interface Sign {
  /** What a nurse calls it ("chest pain", "blood pressure ≥180/120"): for tests and explanations. */
  name: string
  /** Matched against the normalized text (lower case, simplified, ASCII punctuation). */
  patterns: RegExp[]
  /** A condition or medicine the patient has (diabetes, warfarin): history and chronicity do not cancel it. */
  standing?: boolean
  /** Matters only when new: "for two months", "有时候" cancel it unless the sentence says it changed. */
  acuteOnly?: boolean
  /** Fear of it is itself the flag (suicide): worry and hypotheticals do not cancel it. */
  fearCounts?: boolean
  /** "…then it stopped" cancels it (a bleed), where a passing pain or weakness would still count. */
  cancelledWhenStopped?: boolean
  /** A reading must pass a threshold (temperature ≥ 38 °C …); gets the match with its groups. */
  accept?: (groups: ReadonlyArray<string | undefined>) => boolean
}

/** How the text speaks of a sign it mentions. Only `present` raises flags. */
export type SignStatus = 'present' | 'denied' | 'supposed' | 'past' | 'long-standing' | 'stopped'

export interface Finding {
  sign: Sign
  /** Span in the normalized text. */
  start: number
  end: number
  /** The patient's own words. */
  words: string
  status: SignStatus
  /** The match and its groups (for readings: the numbers). */
  groups: ReadonlyArray<string | undefined>
}

export interface AgeMention {
  years: number
  /** The patient's words, or null when the age came from the patient header. */
  words: string | null
}

/** What the text and the patient header say about who the patient is. */
export interface PatientFacts {
  ages: AgeMention[]
  /** Words that say the patient is pregnant; [] when only the header says so; null when not known pregnant. */
  pregnancy: string[] | null
  childWords: string[]
  elderlyWords: string[]
  /** The highest thermometer reading in the text, °C. */
  highestTemperature: number | null
}

/** Which patients a rule applies to; returns the words that showed it (null: not this patient). */
export interface PatientCondition {
  name: string
  evidence(facts: PatientFacts): string[] | null
}

export interface TriageRule {
  /** Stable: stored with every flag. Rename only with a new rule-set version. */
  id: string
  category: RedFlagCategory
  level: RedFlagLevel
  /** Every entry must be present: a sign, or any one of a list of signs. */
  needs: Array<Sign | readonly Sign[]>
  patient?: PatientCondition
  /** Present signs that explain the finding away (iron tablets blacken stool; running raises the pulse). */
  unless?: readonly Sign[]
  action: RedFlagAction
}
