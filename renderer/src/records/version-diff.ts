// Two versions of a record side by side, section by section, with what changed marked: removed text
// on the earlier version's side, added text on the later one's. Chinese is compared character by
// character (it has no spaces to cut words at); text without Chinese, word by word.
import { diffChars, diffWordsWithSpace } from 'diff'
import { outpatientSectionKeys, type OutpatientRecordSections, type OutpatientSectionKey } from '../../../electron/contract/record-versions.ts'

/** A piece of one side's text: unchanged, or changed (removed from the earlier side, added on the later). */
export interface DiffPiece {
  text: string
  changed: boolean
}

export interface SectionDiff {
  key: OutpatientSectionKey
  before: DiffPiece[]
  after: DiffPiece[]
  same: boolean
}

const han = /\p{Script=Han}/u

/** One section's two texts, each cut into unchanged and changed pieces. */
export function diffTexts(before: string, after: string): Pick<SectionDiff, 'before' | 'after' | 'same'> {
  if (before === after) return { before: before === '' ? [] : [{ text: before, changed: false }], after: after === '' ? [] : [{ text: after, changed: false }], same: true }
  const changes = han.test(before) || han.test(after) ? diffChars(before, after) : diffWordsWithSpace(before, after)
  const left: DiffPiece[] = []
  const right: DiffPiece[] = []
  for (const change of changes) {
    if (change.added) right.push({ text: change.value, changed: true })
    else if (change.removed) left.push({ text: change.value, changed: true })
    else {
      left.push({ text: change.value, changed: false })
      right.push({ text: change.value, changed: false })
    }
  }
  return { before: left, after: right, same: false }
}

/** Every stored section of two versions compared, in the record's order. */
export function diffVersions(before: OutpatientRecordSections, after: OutpatientRecordSections): SectionDiff[] {
  return outpatientSectionKeys.map((key) => ({ key, ...diffTexts(before[key] ?? '', after[key] ?? '') }))
}
