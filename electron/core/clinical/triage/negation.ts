// Negation: "没有胸痛", "否认胸痛", "无呼吸困难", "不发烧", "denies chest pain", "no fever or chest
// pain", "胸痛：无". A cue negates a sign only when everything between them is filler (明显, 任何,
// any, further …) or a list of other complaints joined by 、/和/or/commas: so "没吃早饭就晕倒了",
// "无明显诱因出现胸痛", "not sure why my chest hurts" and "从来没有这样痛过" stay positive. A missed
// negation costs a needless alert; a wrong one could hide an emergency, so the grammar is narrow.
import { clauseAround, sentenceAround } from './clauses.ts'
import { isHan } from './normalize.ts'
import { chineseSymptomWords, englishSymptomWords } from './symptom-words.ts'

// 差点/险些/almost: it nearly happened, so it did not.
// 莫得, 没得, 冇: the same denial in south-western and Cantonese speech.
const chineseCue = /否认|并无|并没有|从未|从没有|从来没有|从来没|从没|莫得|没得|冇得|冇|唔(?!该|好意思)|没有|没|无|未|不|非|差一点|差点|险些|几乎/g
const englishCue = /\b(?:no|not|denies|denied|deny|denying|without|never|negative for|free of|absence of|nor|almost|nearly|nothing like)\b|n't\b/g
// "Never had chest pain like this before" is new, not absent.
const neverLikeThis = /\b(?:like this|like that|this bad|this severe|so bad|before)\b/

const chineseFillers = [
  '明显的', '明显', '任何的', '任何', '什么', '啥', '出现过', '出现', '发现', '感到', '感觉到', '感觉', '觉得', '有过', '有',
  '再次', '再', '一点儿', '一点', '怎么', '太', '很', '特别', '发生过', '发生', '见到', '见', '诉', '伴有', '伴随', '伴', '的',
  '了', '也', '都', '并', '还', '曾经', '曾', '从来', '再也', '其他的', '其他', '别的', '其它', '那种', '这种', '说', '提到',
  '自觉', '是', '算', '那么', '严重的', '严重', '剧烈的', '剧烈', '过', '想过', '想', '打算', '考虑过',
]
const chineseSeparators = ['、', '和', '跟', '与', '以及', '及', '或者', '或是', '或', '也', '/', ' ']
const englishFillers = new Set([
  'any', 'a', 'an', 'the', 'much', 'significant', 'obvious', 'recent', 'further', 'more', 'other', 'new', 'history', 'of',
  'signs', 'symptoms', 'episode', 'episodes', 'thoughts', 'thought', 'feelings', 'feeling', 'have', 'has', 'had', 'having',
  'feel', 'felt', 'get', 'got', 'getting', 'experience', 'experienced', 'experiencing', 'complain', 'complained',
  'complains', 'report', 'reported', 'reports', 'been', 'be', 'is', 'was', 'are', 'were', 'really', 'ever', 'currently',
  'also', 'with', 'such', 'real', 'major', 'evidence', 'suffer', 'suffered', 'suffering', 'from',
])
const englishSeparators = new Set([',', 'or', 'and', 'nor', '/'])
const englishSymptoms = new Set(englishSymptomWords)

/** Does `gap` (between a Chinese cue and the sign) hold only fillers, other complaints and list separators? */
export function chineseGapIsList(gap: string): boolean {
  if (gap.length > 30) return false
  // reachable[i]: gap[0, i) parses as fillers / complaints / separators.
  const reachable = new Array<boolean>(gap.length + 1).fill(false)
  reachable[0] = true
  for (let i = 0; i < gap.length; i++) {
    if (!reachable[i]) continue
    const rest = gap.slice(i)
    for (const word of [...chineseFillers, ...chineseSymptomWords, ...chineseSeparators]) {
      if (rest.startsWith(word)) reachable[i + word.length] = true
    }
    // Any short complaint, as long as a separator follows it: 没有发烧、咳嗽和胸痛.
    for (let length = 1; length <= 6 && isHan(rest[length - 1]); length++) {
      if (chineseSeparators.some((separator) => rest.startsWith(separator, length))) reachable[i + length] = true
    }
  }
  return reachable[gap.length]!
}

/** The same for English words between a cue and the sign: "any", "history of", "fever, cough or". */
export function englishGapIsList(gap: string): boolean {
  if (/[^a-z',/\s-]/.test(gap)) return false
  const words = gap.match(/[a-z'-]+|[,/]/g) ?? []
  if (words.length > 12) return false
  const reachable = new Array<boolean>(words.length + 1).fill(false)
  reachable[0] = true
  for (let i = 0; i < words.length; i++) {
    if (!reachable[i]) continue
    const word = words[i]!
    if (englishFillers.has(word) || englishSeparators.has(word) || englishSymptoms.has(word)) reachable[i + 1] = true
    // Up to three words of another complaint, followed by a separator: "shortness of breath, …".
    for (let length = 1; length <= 3 && i + length < words.length; length++) {
      if (englishSeparators.has(words[i + length - 1]!)) break
      if (englishSeparators.has(words[i + length]!)) reachable[i + length] = true
    }
  }
  return reachable[words.length]!
}

/** 是不是, 有没有, 会不会: a question, not a denial (the hypothetical rule deals with it). */
function isQuestionPair(text: string, cueStart: number, cue: string): boolean {
  const before = text[cueStart - 1]
  if (cue === '不') return before !== undefined && before === text[cueStart + 1]
  if (cue === '没' || cue === '没有') return before === '有'
  return false
}

function negatedByCueBefore(text: string, start: number): boolean {
  const clause = clauseAround(text, start)
  const prefix = text.slice(clause.start, start)
  for (const match of prefix.matchAll(chineseCue)) {
    const cueStart = clause.start + match.index
    if (isQuestionPair(text, cueStart, match[0])) continue
    if (chineseGapIsList(prefix.slice(match.index + match[0].length))) return true
  }
  // English lists run across commas ("denies chest pain, shortness of breath or fever"): the
  // sentence is the scope, and the gap grammar stops it at the first word that is not a list.
  const sentence = sentenceAround(text, start)
  const sentencePrefix = text.slice(sentence.start, start)
  for (const match of sentencePrefix.matchAll(englishCue)) {
    if (match[0] === 'never' && neverLikeThis.test(text.slice(start, clause.end))) continue
    // "can't keep anything down, sunken eyes": an n't joined to another verb denies that verb, not the list after it.
    if (match[0] === "n't" && !/^\s+(?:have|has|had|got|get|feel|felt|any|been|be)\b/.test(sentencePrefix.slice(match.index + match[0].length))) continue
    // "didn't eat, now she's … not making sense": a word for now or a turn ends the denial.
    if (/\b(?:now|but|then|today|currently)\b/.test(sentencePrefix.slice(match.index + match[0].length))) continue
    if (englishGapIsList(sentencePrefix.slice(match.index + match[0].length))) return true
  }
  return false
}

// "胸痛：无", "呼吸困难(-)", "chest pain: none" — the way forms and clinicians' notes write it.
const denialAfter = /^\s*(?::\s*(?:无|否|没有|阴性|none|no|negative|-)|\(-\))(?![\p{Script=Han}a-z])/u

// "嘴没歪", "嘴唇不肿", "脸不麻": the denial between the body part and what it does, inside the words a
// sign matched. Only before the sign's own verbs, so 叫不醒, 喘不上气 and 止不住 stay what they say.
const denialWithin = /(?:没有?|不|未|无|莫得|没得)(?=歪|斜|肿|麻|痛|疼|抖|紫|青|发紫|发青|发麻|下垂|流血|出血)/u

/** Is the sign at text[start, end) denied? */
export function isNegated(text: string, start: number, end: number): boolean {
  return negatedByCueBefore(text, start) || denialAfter.test(text.slice(end)) || denialWithin.test(text.slice(start, end))
}
