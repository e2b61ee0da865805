// History: what happened before and is over — "三年前中过风", "以前心梗放过支架", "去年车祸后",
// "had a stroke in 2019", the 既往史 / 过敏史 / 家族史 sections of a form — is not today's emergency.
// A time word for now (现在, 今天, 又, again, now …) between the history cue and the sign ends the
// history: "以前心梗放过支架，现在又胸口闷" is a chest pain today.
import { clauseAround, previousClause, type Span } from './clauses.ts'
import { numberPattern } from './chinese-numbers.ts'
import { isHan } from './normalize.ts'
import { inHistorySection } from './sections.ts'

const n = numberPattern
const chineseBefore = new RegExp(
  [
    '以前', '之前', '以往', '过去', '曾经', '曾', '既往', '从前', '早年', '当年', '那年', '那次', '上次', '上回', '小时候',
    '年轻时', '年轻的时候', '去年', '前年', '上上个?月', '上个?月', '上周', '上个?星期', '上礼拜', '当时', '那时候', '那时',
    `(?:${n}|几|好几|数|半)个?多?(?:年|月)(?:前|以前|之前)`,
    '(?:19|20)\\d{2}年', '\\d{2}年(?=\\d{1,2}月|[一二三四五六七八九十]+月|初|底|孕)',
    `(?:${n})?周?岁(?:左右)?(?:时|的时候|那年|那时)`,
    '得过', '患过', '有过', '发生过', '出现过', '犯过', '做过', '经历过', '住过院',
  ].join('|'),
  'g',
)
const englishBefore =
  /\b(?:previous(?:ly)?|prior|history of|hx of|h\/o|past (?:medical )?history|in the past|used to|as a (?:child|kid|teen(?:ager)?)|when (?:i|he|she) was (?:young|little|a (?:child|kid|baby)|\d+)|last year|years ago|back in (?:19|20)\d\d|pmh)\b/g

const chineseAfter = new RegExp(
  [
    `^(?:的)?(?:病史|史|后遗症)`,
    `^.{0,6}(?:去世|过世|走的|死的|死于)`,
    `^[^,。;!?]{0,10}(?:${n}|几|好几)个?多?(?:年|月)(?:前|以前)`,
    '^[^,。;!?]{0,10}(?:去年|前年|小时候)',
  ].join('|'),
)
const englishAfter =
  /^[^,.;!?]{0,40}\b(?:(?:\d+|a few|few|several|many|two|three|four|five|ten|a couple of) (?:years?|months?) ago|(?:many |some )?(?:years|months) ago|at (?:the age of )?\d+ (?:months?|years?)(?: old)?|aged \d+|last (?:week|month)|(?:\d+|a|one|two|three|a few|several) weeks? ago|last year|in (?:19|20)\d\d|back in|as a (?:child|kid|teen(?:ager)?|baby|toddler)|when (?:i|he|she) was|previously|in the past|years back)\b/

// Words for "now": they close a history scope that opened before them.
const now =
  /现在|目前|今天|今早|今晚|刚才|刚刚|这次|这回|又|再次|再度|复发|最近|近期|近来|这几天|这两天|昨天|昨晚|前天|\b(?:now|today|tonight|this morning|just now|again|currently|recently|yesterday|at the moment|right now)\b/

// Experiential 过 (中过风, 吐过血, 晕倒过) marks a past event unless the clause says it was recent.
// Not the 过 of 过去/过来/过敏/过量/喘不过气/超过/难过.
const pastAspect = /(?<![不超经难度透缓])过(?![去来敏量多度后])/
const recent = /今天|昨天|刚才|刚刚|这几天|这两天|最近|今早|昨晚|前天|上午|下午|早上|晚上|这周|本周|又|再次/

/** 睡觉以前, 吃饭之前 are "before sleeping/eating", not "in the past". */
function isRelativeBefore(text: string, cueStart: number, cue: string): boolean {
  if (cue !== '以前' && cue !== '之前') return false
  const before = text[cueStart - 1]
  if (!isHan(before)) return false
  return !'我你他她它们也都很好久早在就'.includes(before!)
}

function cueBefore(text: string, clause: Span, start: number): boolean {
  // Cues are searched in the whole clause (a cue may look ahead: 19年 before 孕) but must end before the sign.
  const whole = text.slice(clause.start, clause.end)
  const prefix = text.slice(clause.start, start)
  const cues: number[] = []
  for (const match of whole.matchAll(chineseBefore)) {
    const cueEnd = match.index + match[0].length
    if (cueEnd <= prefix.length && !isRelativeBefore(text, clause.start + match.index, match[0])) cues.push(cueEnd)
  }
  for (const match of whole.matchAll(englishBefore)) {
    const cueEnd = match.index + match[0].length
    if (cueEnd <= prefix.length) cues.push(cueEnd)
  }
  // The history holds if, after some cue, nothing says "now" before the sign.
  return cues.some((cueEnd) => !now.test(prefix.slice(cueEnd)))
}

function cueAfter(text: string, clause: Span, end: number): boolean {
  const suffix = text.slice(end, clause.end)
  return chineseAfter.test(suffix) || englishAfter.test(suffix)
}

/** "三年前，他中风了": a clause that is nothing but a time in the past carries over to the next. */
function pastTimeClauseBefore(text: string, start: number): boolean {
  const previous = previousClause(text, start)
  if (previous === null) return false
  const words = text.slice(previous.start, previous.end).trim()
  return new RegExp(`^(?:${chineseBefore.source})$`).test(words) || /^(?:in )?(?:19|20)\d\d$/.test(words)
}

function pastAspectAt(text: string, clause: Span, start: number, end: number): boolean {
  const matched = text.slice(start, end)
  const following = text.slice(end, end + 1)
  if (!pastAspect.test(matched) && !/^过(?![去来敏量多度后])/.test(following)) return false
  return !recent.test(text.slice(clause.start, clause.end))
}

// "以前从来没有这样痛过", "never had pain like this before", "第一次": the past is mentioned to say
// this is new.
const firstTime =
  /(?:以前|之前|从来|从)(?:从来)?没(?:有)?过?(?:这样|这么|这种|像这样|如此)|从来没有过|第一次|\bnever\b[^,.;]*\b(?:like this|this bad|before)\b|\bfirst time\b/

/** Is the sign at text[start, end) something from the patient's (or family's) past? */
export function isHistory(text: string, start: number, end: number): boolean {
  if (inHistorySection(text, start)) return true
  const clause = clauseAround(text, start)
  if (firstTime.test(text.slice(clause.start, clause.end))) return false
  return (
    cueBefore(text, clause, start) ||
    cueAfter(text, clause, end) ||
    pastAspectAt(text, clause, start, end) ||
    (pastTimeClauseBefore(text, start) && !now.test(text.slice(clause.start, start)))
  )
}
