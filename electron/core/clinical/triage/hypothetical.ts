// Worry, hypotheticals and knowledge questions: "怎么预防中风？", "担心自己会心梗", "如果突然胸痛
// 怎么办", "what are the signs of a stroke", "I'm worried about having a heart attack". The patient
// asks about a sign they do not report having. (Suicide is the exception: fear of acting on it is
// itself the flag; its signs opt out of this rule.)
import { clauseAround } from './clauses.ts'

const chineseBefore =
  /如果|假如|假设|万一|要是|若是|倘若|(?<!害|恐)怕(?![冷光声风热水痛疼])|害怕|担心|担忧|恐怕|预防|防止|避免|以免|以防|会不会|是不是|是否|有没有|能不能|要不要|可能会|会引起|会导致|会诱使|会诱发|会造成|容易引起|风险|(?:怎么|如何|怎样)(?:分辨|区分|区别|判断|识别|辨别)/g
const englishBefore =
  /\b(?:if|in case|worried|worry|worrying|afraid|scared|fear|risk of|prevent|preventing|avoid|could (?:it|this|that) be|might (?:it|this|that) be|is (?:it|this|that)|whether|what (?:are|is) the|signs of|symptoms of|how (?:to|do (?:i|you)|can (?:i|you)) (?:prevent|recogni[sz]e|tell|spot|avoid)|(?:can|could|would|does|do) \w+(?: \w+){0,3} cause)\b/g

const chineseAfter =
  /^(?:一般|通常|常见|大多|多半)(?:是|由)?(?:什么|哪些|啥)?(?:原因|引起)|^(?:的|有|时)?(?:症状|前兆|表现|征兆|先兆|危害|预防|急救|处理方法|治疗方法|费用)|^(?:有|会有)?(?:哪些|什么)(?:症状|表现|前兆|征兆|危害)|^(?:怎么|如何)预防/
const englishAfter = /^\s*(?:symptoms|warning signs|signs|risk|prevention)\b/

/** Is the sign at text[start, end) only feared, supposed or asked about? */
export function isHypothetical(text: string, start: number, end: number): boolean {
  const clause = clauseAround(text, start)
  // "Not sure if this is serious but his smile is lopsided": the doubt ends where the report begins.
  const prefix = text.slice(clause.start, start).split(/\bbut\b|但是|可是|不过/).pop()!
  chineseBefore.lastIndex = 0
  englishBefore.lastIndex = 0
  if (chineseBefore.test(prefix) || englishBefore.test(prefix)) return true
  const suffix = text.slice(end, clause.end)
  return chineseAfter.test(suffix) || englishAfter.test(suffix)
}
