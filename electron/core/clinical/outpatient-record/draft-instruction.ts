import { notMentioned } from '../../../contract/outpatient-record.ts'
import type { EvidenceSource } from '../../../contract/record-evidence.ts'
import { maxSourcesPerSection } from '../../../contract/record-evidence.ts'
import type { TranscriptTurn } from './transcript.ts'

const speakerLabels: Record<TranscriptTurn['speaker'], string> = {
  patient: '病人',
  model: 'HuatuoGPT',
  'doctor-note': '医生备注',
}

/** A single turn longer than this is cut: one pasted report must not crowd out the conversation. */
const maxTurnCharacters = 1500

/**
 * Characters of transcript that fit a context of `contextSize` tokens beside the instruction and the
 * draft itself (Chinese text takes about 1–1.5 tokens a character in HuatuoGPT's vocabularies).
 */
export function transcriptRoomFor(contextSize: number): number {
  return Math.max(400, Math.floor((contextSize - 1400) / 1.5))
}

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`
}

/** The transcript as the model reads it, and the turns it may cite: number → message or note. */
export interface QuotedTranscript {
  text: string
  /** Only turns the model was actually shown; the numbers are 1..N over the citable turns. */
  citable: Map<number, EvidenceSource>
}

/**
 * The consultation as the instruction quotes it. Patient messages and clinician notes are numbered
 * "[n]" so a section can cite them; the model's answers are quoted unnumbered (a record citing the
 * model's own answers would be circular). When it is too long, the first turns (where the patient
 * says why they came) and the latest ones are kept whole and the middle is left out, marked.
 */
export function quotedTranscript(turns: readonly TranscriptTurn[], maxCharacters: number): QuotedTranscript {
  let counter = 0
  const numbered = turns.map((turn) => {
    const number = turn.source === undefined ? null : ++counter
    const line = `${number === null ? '' : `[${number}] `}${speakerLabels[turn.speaker]}：${cut(turn.text.replace(/\s*\n\s*/g, ' '), maxTurnCharacters)}`
    return { line, number, source: turn.source }
  })
  const citableOf = (shown: typeof numbered) =>
    new Map(shown.flatMap((turn) => (turn.number === null || turn.source === undefined ? [] : [[turn.number, turn.source] as const])))
  const total = numbered.reduce((sum, turn) => sum + turn.line.length + 1, 0)
  if (total <= maxCharacters) return { text: numbered.map((turn) => turn.line).join('\n'), citable: citableOf(numbered) }
  const head: typeof numbered = []
  const tail: typeof numbered = []
  let used = 0
  // The opening exchange first, then as much of the end as fits.
  for (const turn of numbered.slice(0, 2)) {
    if (used + turn.line.length + 1 > maxCharacters / 2) break
    head.push(turn)
    used += turn.line.length + 1
  }
  for (let i = numbered.length - 1; i >= head.length; i--) {
    const turn = numbered[i]!
    if (used + turn.line.length + 1 > maxCharacters) break
    tail.unshift(turn)
    used += turn.line.length + 1
  }
  const omitted = numbered.length - head.length - tail.length
  const lines = [...head.map((turn) => turn.line), `（中间 ${omitted} 段对话从略）`, ...tail.map((turn) => turn.line)]
  return { text: lines.join('\n'), citable: citableOf([...head, ...tail]) }
}

/**
 * The instruction for the draft. The grammar fixes the JSON shape; this says what belongs in each
 * field, that nothing may be invented (a field the consultation does not cover is "未提及"), and
 * that each field names the numbered turns it rests on.
 */
export function draftInstruction(turns: readonly TranscriptTurn[], maxTranscriptCharacters: number): { instruction: string; citable: Map<number, EvidenceSource> } {
  const transcript = quotedTranscript(turns, maxTranscriptCharacters)
  const instruction = [
    '请根据下面的问诊记录，为门诊医生起草门诊病历中的以下项目，以 JSON 输出：',
    '- chiefComplaint 主诉：促使就诊的主要症状及持续时间，简短；',
    '- presentIllness 现病史：起病情况、主要症状的特点与演变、伴随症状、已做过的诊治；',
    '- pastHistory 既往史：既往疾病、手术、外伤及长期用药；',
    '- allergies 过敏史：药物、食物过敏；病人明确说没有过敏时写"无"；',
    '- diagnosis 初步诊断：根据问诊最可能的诊断；',
    '- diagnosisCode：初步诊断的 ICD-10 编码（如 J06.9），不确定时写空字符串；',
    '- plan 处理意见：建议的检查与处理方向，不写具体药物和剂量。',
    `除 diagnosisCode 外，每个项目写成 {"text": 内容, "sources": [编号]}：sources 是该项内容所依据的病人发言或医生备注的编号（记录中方括号里的数字，最多 ${maxSourcesPerSection} 个，不重复）；没有依据时写 []。`,
    `规则：只写问诊记录中明确提到的内容，不要推测或编造；问诊中没有涉及的项目写"${notMentioned}"。` +
      '不要写体格检查、辅助检查结果和医嘱，这些由医生本人检查、阅读和开具。',
    '',
    '问诊记录：',
    transcript.text,
  ].join('\n')
  return { instruction, citable: transcript.citable }
}
