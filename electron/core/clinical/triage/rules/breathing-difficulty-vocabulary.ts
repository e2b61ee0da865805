// How patients name difficulty breathing, by its clinical structure rather than by sentences: the
// breath words (in dialect too), how bad it is, what the patient cannot do for it (speak, lie down),
// the signs a relative sees (blue lips or face, the chest wall sucking in, the nostrils flaring,
// grunting), and a reliever that does not help. breathing-difficulty.ts composes these into its
// signs; a new wording is added here as a word of its slot.
import { G } from '../patterns.ts'

/** A slot as one group, so it composes into any pattern: `a${slot}b` never splits at its alternatives. */
const oneGroup = (source: string): string => `(?:${source})`

const alternatives = (words: readonly string[]) => `(?:${words.join('|')})`

/** Within one sentence (commas allowed): a sign and its qualifier may be clauses apart. */
const S = '[^。!?\\n]'

/** Being short of breath in Chinese, dialect included (四川 气紧, 粤语 唞唔到气). */
export const zhBreathWords = alternatives(['气紧', '气短', '气促', '气急', '喘气', '喘', '呼吸', '憋气', '上不来气', '透不过气'])

/** Cantonese and other ways of saying the breath will not come: always severe. */
export const zhCannotGetBreath = alternatives(['唞唔(?:到|过)气', '抖唔(?:到|过)气', '透唔(?:到|过)气', '吸唔(?:到|入)气', '喘唔(?:到|过)气'])

/** How bad it is, said right after the breath word (气紧得很, 喘得要命). */
export const zhSeverity = `得(?:很(?=$|[,。;!?\\s])|厉害|不行|要命|要死|受不了|说不出话|喘不过气)`

/** Not able to speak for breathlessness. */
export const zhCannotSpeak = alternatives([
  '(?:一句)?话(?:都|也)?(?:说|讲)不(?:出来|出|完整|全|成句|完|利索|下去)',
  '说不出话', '说不了话', '说话(?:都|也)?(?:困难|费劲|费力|断断续续|接不上|说不完整|说不成句)', '说几个字就(?:喘|要歇|停)',
])

/** Breathless on the least effort (走两步就不行了): a same-day review. */
export const zhBreathlessOnEffort = `(?:走|动|爬|挪)(?:了)?(?:一|两|几|没几)(?:步|下)(?:路)?就(?:喘|气短|气紧|气促|不行|上不来气|喘不上气)`

/**
 * Blue lips or nails in any word for blue; a face only when purple (脸憋得发紫), since 脸色发青 is
 * also the grey of pain or anger. Not from the cold (冻得嘴唇发紫) or from lipstick.
 */
const zhLipsAndNails = alternatives(['嘴唇', '口唇', '嘴巴', '嘴', '指甲', '甲床'])
const zhBlue = alternatives(['发紫', '发青', '青紫', '发乌', '乌青', '乌紫', '乌的', '乌了', '紫咗', '紫了', '紫', '发绀'])
const zhFace = alternatives(['脸色', '面色', '脸'])
const zhPurple = alternatives(['发紫', '青紫', '乌紫', '紫咗', '紫了', '发绀'])
const notCold = `(?:(?!冻|冷|气得|晒|涂|抹|口红)${G})`
export const zhCyanosis = oneGroup(`(?<!(?:冻|冷)得?${G}{0,2})${zhLipsAndNails}${notCold}{0,4}${zhBlue}|${zhFace}${notCold}{0,4}${zhPurple}`)

/** The chest wall sucking in (recession) and the nostrils flaring, as a parent sees them. */
const zhRecessionSites = alternatives(['肋骨', '肋间', '肋下', '锁骨', '胸骨', '胸口', '肚子', '脖子', '颈窝', '喉咙'])
const zhRecessionVerbs = alternatives(['凹(?:进去|下去|陷)?', '陷(?:进去|下去)', '往里(?:吸|凹|陷|缩)', '一凹一凹', '一吸一吸'])
export const zhRecession = oneGroup(`${zhRecessionSites}(?:下面|下方|上面|上方|之间|那里|这里)?${G}{0,4}${zhRecessionVerbs}|(?:吸气|呼吸)${G}{0,8}${zhRecessionVerbs}`)
export const zhNasalFlaring = `(?:鼻翼|鼻孔|鼻子)(?:一扇一扇|一张一张|一张一合|一煽一煽|一扇一合|扇动|煽动|翕动)`

/** A reliever that does not relieve (喷了万托林都不管用). */
const zhRelievers = alternatives(['哮喘', '万托林', '沙丁胺醇', '喘药', '平喘药', '急救药', '吸入剂', '吸入器', '气雾剂', '小蓝瓶', '雾化'])
const zhNoRelief = alternatives(['不管用', '没用', '无效', '不缓解', '没缓解', '没效果', '不起作用', '不见好'])
export const zhRelieverFails = `${zhRelievers}${S}{0,14}${zhNoRelief}`

/** English: the sentence a breathless patient cannot finish. */
export const enCannotSpeak =
  oneGroup('\\b(?:can|could) only (?:say|speak|get out|manage|talk in) (?:a |one or two |two or three )?(?:few |couple of )?(?:words|word at a time)\\b|\\bcan(?:\'t|not) (?:finish|complete) (?:a|my|his|her|their) sentences?\\b|\\b(?:too breathless|too short of breath|too out of breath) to (?:talk|speak)\\b|\\b(?:can|could) barely (?:talk|speak)\\b')

/** English: what a parent sees in a child working hard to breathe. */
export const enWorkOfBreathing =
  oneGroup('\\bsucking in (?:under|between|below|at|around) (?:her|his|their|the|my) (?:ribs|rib cage|ribcage|neck|throat|collar ?bones?)\\b|\\b(?:ribs|rib cage|ribcage|chest|tummy|belly|neck) (?:is |are )?(?:sucking|caving|pulling) in\\b|\\bgrunting (?:with|on|at) (?:every|each) breath\\b|\\bnostrils (?:are )?flaring\\b|\\bhead bobbing\\b|\\busing (?:all )?(?:his|her|their|my) (?:neck|stomach|tummy) muscles\\b')

/** English: a reliever that does not relieve. */
export const enRelieverFails =
  '\\b(?:asthma attack|inhaler|puffer|ventolin|salbutamol|albuterol|nebuli[sz]er)\\b[^.!?\\n]{0,50}\\b(?:not helping|isn\'t helping|is not helping|not working|isn\'t working|doesn\'t help|didn\'t help|hasn\'t helped|no help|not making (?:a|any) difference|not easing)\\b'

/** English words of breathlessness that are not about breathing (breathless with laughter). */
export const enBreathlessFigurative = '(?! with (?:laughter|laughing|excitement|anticipation))'
