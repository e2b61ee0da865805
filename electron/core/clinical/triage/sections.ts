// Forms that patients fill in (online consultation platforms, the Med-dialog layout) label their
// parts: "既往病史：【慢性疾病】：糖尿病", "过敏史：青霉素", "家族史：父亲脑梗". Everything in such a
// section is the patient's background, not today's complaint.
import type { Span } from './clauses.ts'

const historyHeader =
  /(?:既往病史|既往史|过去病史|过去史|个人史|家族史|手术史|外伤史|输血史|药物过敏史|过敏史|past medical history|medical history|family history|allergies|allergy history|pmh)\s*:/g

// Any field label ends the section before it.
const anyHeader =
  /(?:疾病|病情描述|希望获得的帮助|患病多久|用药情况|已就诊医院及科室|怀孕情况|主诉|现病史|既往病史|既往史|过去病史|过去史|个人史|家族史|手术史|外伤史|输血史|药物过敏史|过敏史|体格检查|辅助检查|初步诊断|history of present illness|presenting complaint|past medical history|medical history|family history|allergies|medications?)\s*:|\n/g

let last: { text: string; sections: Span[] } | null = null

function historySections(text: string): Span[] {
  if (last?.text !== text) {
    const sections: Span[] = []
    for (const header of text.matchAll(historyHeader)) {
      const start = header.index + header[0].length
      anyHeader.lastIndex = start
      const next = anyHeader.exec(text)
      sections.push({ start, end: next === null ? text.length : next.index })
    }
    last = { text, sections }
  }
  return last.sections
}

/** Is text[index] inside a history, allergy or family-history section? */
export function inHistorySection(text: string, index: number): boolean {
  return historySections(text).some((section) => index >= section.start && index < section.end)
}
