import { recordSectionKeys, type SectionAuthors } from '../../../contract/outpatient-record.ts'
import type { OutpatientRecordSections } from '../../../contract/record-versions.ts'

/**
 * Who wrote each section as it stands: the model when the text is still exactly what it drafted,
 * the doctor otherwise (typed, edited, or cleared). Sections with no text are left out.
 */
export function sectionAuthorsOf(sections: OutpatientRecordSections, drafted: OutpatientRecordSections | null): SectionAuthors {
  const authors: SectionAuthors = {}
  for (const key of recordSectionKeys) {
    const text = sections[key]
    if (text === undefined || text.trim() === '') continue
    authors[key] = drafted !== null && drafted[key] === text ? 'model' : 'doctor'
  }
  return authors
}
