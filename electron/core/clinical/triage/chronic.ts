// Long-standing complaints: "左手麻木两个月了", "便血好几个月了，有时候有有时候没有", "胸闷好几年了".
// For signs that matter only when new (a stroke's numbness, a bleed), a duration of months or years
// in the same clause means it can wait for a clinic — unless the sentence says it changed: 突然,
// 加重, 越来越, 今天, suddenly, worse …
import { clauseAround, sentenceAround } from './clauses.ts'
import { numberPattern } from './chinese-numbers.ts'

const n = numberPattern
const longStanding = new RegExp(
  [
    '长期', '多年', '好几年', '好多年', '这么多年', '几十年', '经常', '老是', '总是', '时常', '常常', '时不时', '一直以来',
    '反复', '常年', '从小', '有时候', '有时', '偶尔', '时有', '时好时坏', '每个月都', '每次都', '慢性',
    `(?:${n}|几|好几|半)个?多?(?:月|年)(?:了|来|多了|之久|多|以来)`,
    '\\bchronic\\b', '\\bon and off\\b', '\\balways\\b', '\\boccasionally\\b', '\\bsometimes\\b',
    '\\bfor (?:months|years|\\d+ (?:months|years)|a few (?:months|years)|several (?:months|years)|many years)\\b',
  ].join('|'),
)
const changed =
  /突然|加重|加剧|越来越|变严重|更严重|比以前|比平时|更厉害|今天|刚才|刚刚|现在|这次|这两天|这几天|昨天|今早|昨晚|\b(?:sudden(?:ly)?|worse|worsening|today|now|just now|this morning|tonight|yesterday)\b/

/** Is the sign at text[start, end) described as long-standing and unchanged? */
// "今天和平时一样": naming today to say nothing changed.
const unchanged = /(?:和|跟|与)(?:平时|以前|往常|平常)(?:差不多|一样)|老样子|没(?:什么)?变化|\bsame as (?:usual|always|before)\b|\bno different\b/

export function isLongStanding(text: string, start: number): boolean {
  const clause = clauseAround(text, start)
  if (!longStanding.test(text.slice(clause.start, clause.end))) return false
  const sentence = text.slice(sentenceAround(text, start).start, sentenceAround(text, start).end)
  return unchanged.test(sentence) || !changed.test(sentence)
}
