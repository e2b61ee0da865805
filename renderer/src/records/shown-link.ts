/** A section's source as its chip shows it. */
export interface ShownLink {
  id: number
  /** "病人 #3", "备注 #7". */
  label: string
  excerpt: string
  /** The cited message shares no wording with the section. */
  weak: boolean
}
