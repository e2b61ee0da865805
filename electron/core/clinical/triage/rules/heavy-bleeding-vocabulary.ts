// How patients describe a bleed that is heavy or will not stop, by clinical structure: the bleed
// words (鼻血, 出血, nosebleed), how long it has gone on, the amount (a bowl, 一大摊), what it soaked,
// that pressure does not stop it, and the words of a story that is not the patient's (a documentary,
// a film). heavy-bleeding.ts composes these; a new wording is added here as a word of its slot.
import { N } from '../patterns.ts'

/** A slot as one group, so it composes into any pattern: `a${slot}b` never splits at its alternatives. */
const oneGroup = (source: string): string => `(?:${source})`

const alternatives = (words: readonly string[]) => `(?:${words.join('|')})`

/** Bleeding in lay Chinese. */
export const zhBleedWords = alternatives(['鼻血', '出血', '流血', '冒血', '渗血', '血'])
/** Pressing or stopping it does not work. */
export const zhNotStopping = alternatives(['止不住', '按不住', '压不住', '捂不住', '停不下来', '止不了', '还在(?:流|冒|出|渗)', '一直在?(?:流|冒|出|渗)', '不停地?(?:流|冒)'])
/** The amount, in what it filled. */
export const zhLargeAmounts = alternatives(['一大摊', '一大滩', '一地', '一盆', '半盆', '一碗', '半碗', '一大碗', '一脸盆', '一桶', '满地', '满身'])
/** What it soaked: dressings and pads, or cloth (but not with sweat, water or rain). */
export const zhSoaked = `(?:${alternatives(['卫生巾', '纱布', '护垫', '绷带', '止血带'])}|(?<!(?:汗|水|雨|尿|奶|口水)[^。;!?\\n]{0,12})${alternatives(['毛巾', '衣服', '被子', '床单', '裤子', '枕头'])})`
/** Half an hour or more. */
export const zhLongDuration = `(?:半个?多?小时|${N}个?多?(?:小时|钟头)|(?:[2-9]\\d|二十|三十|四十|五十|六十)多?分钟)`

/** English: the bleed words, the amount, soaking, not stopping, and half an hour or more. */
export const enBleedWords = '\\b(?:nosebleed|nose bleed|bleeding|bleeds?|bled)\\b'
export const enLargeAmounts =
  '\\b(?:fill(?:s|ed|ing)? (?:a |the |half a )?(?:bowl|cup|sink|basin|bucket|towel)|pool(?:s)? of blood|puddle of blood|blood all over the (?:floor|place|bathroom|kitchen))\\b'
export const enLongDuration = '\\bfor (?:over |more than |about |almost |nearly )?(?:an hour|half an hour|\\d+ hours?|(?:[2-9]\\d|twenty|thirty|forty|forty-five|fifty) (?:minutes|mins))\\b'
export const enNotStopping =
  oneGroup("\\b(?:won't|will not|doesn't|does not|didn't|can't|cannot|couldn't) (?:stop|slow)(?! \\w+ing)|\\bstill (?:pouring|gushing|pumping|bleeding|going)\\b|\\bkeeps? (?:bleeding|pouring|coming)\\b")
export const enSoaked = '\\bsoak(?:ed|ing|s)? (?:through )?(?:\\d+|two|three|four|five|several|a|the|my|his|her) (?:tea )?(?:towels?|pads?|bandages?|dressings?|t-?shirts?|clothes)\\b'

/** Not about it: "nothing like soaking through", a documentary about 大出血抢救. */
export const notInMedia =
  '(?<!(?:\\b(?:watching|watched|reading|read|film|movie|show|series|episode|documentary|novel|book|news|article|character|tv|anatomy|nothing like)\\b|电视剧|纪录片|小说|电影|新闻|视频|文章|剧里|书里|讲|关于|介绍|科普)[^。.;!?\\n]{0,40})'
