// How patients describe a dangerous injury, by clinical structure: the vehicle and what it did, what
// went into the body and where, the height or the animal fallen from, the speed of a collision, and
// the words of a story that is not the patient's (a film, the news). serious-injury.ts composes these;
// a new wording is added here as a word of its slot.
import { G, N } from '../patterns.ts'

/** A slot as one group, so it composes into any pattern: `a${slot}b` never splits at its alternatives. */
const oneGroup = (source: string): string => `(?:${source})`

const alternatives = (words: readonly string[]) => `(?:${words.join('|')})`

/** Vehicles in lay Chinese, longest first. */
export const zhVehicles = alternatives([
  '小汽车', '小轿车', '大货车', '大卡车', '渣土车', '面包车', '出租车', '公交车', '工程车', '摩托车', '电动车', '电瓶车', '三轮车', '拖拉机',
  '挖掘机', '叉车', '汽车', '轿车', '货车', '卡车', '大车', '小车', '大巴', '火车', '摩托', '车',
])
/** What a vehicle does to a person. */
export const zhVehicleVerbs = alternatives(['撞飞', '撞倒', '刮倒', '带倒', '撞', '碾', '压', '轧', '刮', '顶'])

/** Where a penetrating wound is dangerous: the trunk, the neck, the head, the eye. */
export const zhCoreSites = alternatives(['肚子', '肚皮', '腹部', '腹', '胸口', '胸部', '胸', '后背', '背', '腰', '脖子', '颈部', '颈', '脑袋', '头', '眼睛', '眼'])
/** Going into the body. */
export const zhPenetrating = alternatives(['扎进', '插进', '刺进', '捅进', '戳进', '扎入', '插入', '刺入', '扎穿', '刺穿', '戳穿', '穿透', '贯穿'])
export const enCoreSites = '(?:chest|belly|stomach|abdomen|tummy|neck|back|eye|head|side)'
export const enPenetrating = oneGroup(`\\b(?:impaled|(?:stuck|lodged|went|gone|sticking|embedded) (?:in|into|through))\\b${G}{0,12}\\b(?:my|his|her|their|the) ${enCoreSites}\\b|\\bimpaled\\b`)

/** Heights and animals a fall from is a dangerous mechanism. */
export const zhFallFrom = alternatives(['脚手架', '楼上', '楼顶', '屋顶', '房顶', '梯子', '树上', '阳台', '窗户', '桥上', '马上', '马背上', '高处'])
export const enFallFrom = '(?:height|roof|ladder|balcony|window|scaffold(?:ing)?|horse|bridge|cliff|\\d+)'

/** A collision at speed: the words of the crash and of the speed, in one sentence. */
const zhCollision = alternatives(['车祸', '撞车', '追尾', '翻车', '相撞'])
const zhSpeed = alternatives(['高速', '时速', '开得(?:很|特别|飞)快', '车速(?:很|特别)?快', '翻了', '被甩出', '甩出来', '飞出去', `${N}码`])
const enCollision = '\\b(?:crash|crashed|collision|accident|rta|rtc)\\b'
const enSpeed = '\\b(?:high speed|at speed|motorway|highway|freeway|expressway|\\d+ ?(?:mph|km/?h)|rolled|roll(?:ed)? over|ejected|thrown from)\\b'
export const highSpeedCollision = [
  `${zhCollision}[^。;!?\\n]{0,20}${zhSpeed}|${zhSpeed}[^。;!?\\n]{0,20}${zhCollision}`,
  `${enCollision}[^.;!?\\n]{0,40}${enSpeed}|${enSpeed}[^.;!?\\n]{0,40}${enCollision}`,
]

/** A story that is not the patient's: a film, a series, the news (the sentence before the injury). */
export const notInMedia =
  '(?<!(?:\\b(?:watching|watched|reading|read|film|movie|show|series|episode|documentary|novel|book|news|article|character|tv|anatomy)\\b|电视剧|纪录片|小说|电影|新闻|视频|文章|剧里|书里)[^。.;!?\\n]{0,40})'

/** Last month, last week: a collision that is over (history.ts knows only "N months ago"). */
export const zhRecentPast = '(?<!(?:上个?月|上(?:个)?(?:周|星期|礼拜)|前几天|几天前|上次|上回)[^,。;!?\\n]{0,3})'
