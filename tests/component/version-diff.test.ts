import { describe, expect, it } from 'vitest'
import { diffTexts, diffVersions } from '../../renderer/src/records/version-diff.ts'

// Two versions of a record side by side: Chinese compared character by character, other text word
// by word; every character of each side kept, the changed ones marked.

const joined = (pieces: { text: string }[]) => pieces.map((piece) => piece.text).join('')
const changed = (pieces: { text: string; changed: boolean }[]) => pieces.filter((piece) => piece.changed).map((piece) => piece.text)

describe('diffTexts', () => {
  it('marks the Chinese characters removed on the left and added on the right, each side whole', () => {
    const diff = diffTexts('头痛三天，伴低热', '头痛五天，伴高热')
    expect(diff.same).toBe(false)
    expect(joined(diff.before)).toBe('头痛三天，伴低热')
    expect(joined(diff.after)).toBe('头痛五天，伴高热')
    expect(changed(diff.before)).toEqual(['三', '低'])
    expect(changed(diff.after)).toEqual(['五', '高'])
  })

  it('compares text without Chinese word by word', () => {
    const diff = diffTexts('Rest and fluids.', 'Rest, fluids and paracetamol.')
    expect(joined(diff.after)).toBe('Rest, fluids and paracetamol.')
    expect(changed(diff.after).join('')).toContain('paracetamol')
    expect(changed(diff.after).some((piece) => piece.length === 1 && /[a-z]/.test(piece))).toBe(false)
  })

  it('says a section is the same when it is, and shows an empty side as nothing', () => {
    expect(diffTexts('未提及', '未提及')).toEqual({ before: [{ text: '未提及', changed: false }], after: [{ text: '未提及', changed: false }], same: true })
    expect(diffTexts('', '对症处理')).toEqual({ before: [], after: [{ text: '对症处理', changed: true }], same: false })
  })
})

describe('diffVersions', () => {
  it('compares every stored section in the record’s order, the diagnosis code included', () => {
    const rows = diffVersions({ chiefComplaint: '咳嗽', diagnosis: '急性支气管炎', diagnosisCode: 'J20.9' }, { chiefComplaint: '咳嗽', diagnosis: '急性支气管炎', diagnosisCode: 'J20.8' })
    expect(rows.map((row) => row.key)).toEqual(['chiefComplaint', 'presentIllness', 'pastHistory', 'allergies', 'physicalExam', 'investigations', 'diagnosis', 'diagnosisCode', 'plan', 'orders'])
    expect(rows.filter((row) => !row.same).map((row) => row.key)).toEqual(['diagnosisCode'])
  })
})
