// Signs the patient only read, watched, studied or asks about in general: "新闻说有个小孩误喝了农药",
// "在看一本小说，里面有人吃安眠药自杀", "Watching Grey's Anatomy, someone got stabbed", "I'm writing
// an essay on suicide prevention", "what are the warning signs that someone might be suicidal". These
// are nobody's emergency today. Unlike worry (hypothetical.ts) this holds for suicide too: a story
// or a lesson about it is not the patient's fear of acting on it.
import { sentenceAround } from './clauses.ts'

/**
 * Media, fiction and study, as the sentence introduces them before the sign: the source AND its
 * telling (新闻说, 纪录片讲, 小说，里面有人, a documentary about, an essay on), never the activity alone —
 * 看电影的时候突然胸痛 and "watching TV when the pain started" are today's symptoms.
 */
const chineseSource =
  /(?:新闻|报道|纪录片|电视剧|电影|小说|视频|书|文章|公众号|剧|节目|课本|教材)(?:上|里|中)?(?:[,，]?(?:里面|里头)|说|讲|写|报道|提到|演|播)|(?:小说|电视剧|电影|剧|视频|书)(?:里|中)|(?:男|女)?主角|(?:男|女)主(?=[^,。;!?\n]{0,4}(?:吃|喝|突然|被|得了))|考试题|案例(?:里|中)|作文(?:要|里)?写/
const englishSource =
  /\b(?:news(?: story| report| article)?|article|documentary|novel|tv (?:show|series)|episode|movie|film|podcast|essay|school (?:project|assignment)|lecture)\b(?: \w+){0,3} (?:about|on|where|says|said|in which)\b|\bthe character\b|\bin my (?:novel|story|book)\b/

/** Questions about a sign in general, not about the patient: how it works, how to help someone with it. */
const generalQuestion =
  /(?:的时候|时)[^,。;!?\n]{0,8}(?:应该|该|要)?(?:怎么|如何)(?:处理|办|做|急救|用|应对)|(?:频率|标准|剂量|流程|步骤)是(?:多少|什么)|(?:单位|公司|学校)要培训|(?:应该|该)?怎么(?:跟|和)(?:他|她|ta|对方)(?:聊|说|沟通)|如何(?:劝|开导|帮助)(?:他|她|别人)|一般是(?:什么|啥)原因|\bwhat are the (?:warning )?signs\b|\bhow (?:does|do) (?:an? |the )?\w+(?: \w+)? work\b|\bcan you explain\b|\bwhat(?:'s| is) the difference between\b|(?:有什么|有啥|的)区别|(?:的时候|时)[^,。;!?\n]{0,6}(?:应该|该|要)(?:吃|喝|做|注意)(?:点)?(?:什么|啥)|\bhow (?:do|can|should) (?:i|we) (?:talk to|help|support|recogni[sz]e) (?:someone|a friend|him|her|them|people)\b|\bhow would (?:it|that|this) (?:realistically )?look\b|\bis (?:that|this|it) realistic\b|\bhow common is (?:that|this|it)\b/

/** Said once for the whole message: "被狗咬了是不是一定要打疫苗？想提前了解". */
const messageQuestion = /想提前了解|提前了解一下|\bjust (?:curious|wondering)\b|\bin advance\b/

/** Is the sign at text[start] something the patient only read, watched, studied or asks about in general? */
let askedOf: { text: string; asked: boolean } = { text: '', asked: false }

/** Whether the message asks in general (once per message: a long one has many signs). */
function asksInGeneral(text: string): boolean {
  if (askedOf.text !== text) askedOf = { text, asked: messageQuestion.test(text) }
  return askedOf.asked
}

export function isHearsay(text: string, start: number): boolean {
  if (asksInGeneral(text)) return true
  const sentence = sentenceAround(text, start)
  const words = text.slice(sentence.start, sentence.end)
  // A source that speaks of the sign comes before it in the sentence; a general question anywhere in it.
  return chineseSource.test(text.slice(sentence.start, start)) || englishSource.test(text.slice(sentence.start, start)) || generalQuestion.test(words)
}
