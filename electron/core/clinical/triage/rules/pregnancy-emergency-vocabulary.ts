// How pregnant women and their families name the pregnancy emergencies, by clinical structure: the
// site in lay words, the bleeding verb, the amount, the pain and its severity, the stage of the
// pregnancy, the days after a birth. pregnancy-emergency.ts composes these into its signs; a new
// wording is added here as a word of its slot.
import { G, N } from '../patterns.ts'

/** A slot as one group, so it composes into any pattern: `a${slot}b` never splits at its alternatives. */
const oneGroup = (source: string): string => `(?:${source})`

const alternatives = (words: readonly string[]) => `(?:${words.join('|')})`

/** "Down there" in lay Chinese. */
export const zhVaginaSites = alternatives(['阴道', '下面', '下身', '私处', '底下'])

/** What bleeding from there is called: 出血, 见红, 出了好多血, 流了点血. */
export const zhBleedingWords = alternatives(['出血', '流血', '见红', '来血', '淌血', `(?:出|流|淌|来)了?${G}{0,4}血`])

/** The belly in lay Chinese, one side included. */
export const zhAbdomenSites = alternatives(['肚子', '腹部', '小腹', '下腹部', '下腹', '上腹', '左下腹', '右下腹', '一侧腹部', '一边肚子', '肚皮', '肚'])

/** Severity of belly pain, said as a word or as what it does to her. */
export const zhSeverePain = alternatives([
  '剧痛', '绞痛', '撕裂', '刀割',
  `(?:疼|痛)得${G}{0,2}(?:厉害|受不了|要命|遭不住|直不起腰|打滚|冒冷汗|出冷汗|满头大汗|不敢动|动不了|直哭|叫)`,
  `(?:疼|痛)${G}{0,2}(?:受不了|难忍)`,
])

/** The belly in English, and the words of severe pain. */
export const enAbdomenSites = '(?:belly|stomach|abdomen|abdominal|tummy|pelvis|pelvic|womb|uterus|lower back)'
export const enSevereQualities =
  '(?:severe|severely|sharp|stabbing|bad|terrible|awful|excruciating|unbearable|agonising|agonizing|intense|crippling|tearing)'

/** Where bleeding is not from the womb: the gums, the nose, a cut. */
export const enNotVaginal = '(?:nose|gums?|lips?|finger|cut|wound|mouth|tooth|teeth|ears?|eyes?|bottom|back passage)'

/** After a birth (not a miscarriage or a termination: those are heavy bleeding). */
export const postpartumWords = oneGroup([
  '生完(?:孩子|宝宝|小孩|娃|二胎)?', '产后', '分娩后', '生产后', '顺产后', '剖(?:腹|宫)产(?:后|完)', '坐月子', '月子里', '刚生了?(?:孩子|宝宝|小孩|娃)',
  '\\bpostpartum\\b', '\\bpost-?natal\\b', '\\b(?:since|after) (?:i |she )?(?:gave birth|giving birth|delivery|the birth|my c-section|her c-section)\\b',
  '\\b(?:had|gave birth to) (?:my|her|a|the) baby (?:\\d+|a few|two|three|four|five|six|ten) (?:days|weeks) ago\\b',
].join('|'))

/** Bleeding that is more than the usual lochia: increasing, large clots, soaking pads. */
export const heavyAfterBirthWords = oneGroup([
  `(?:出血|流血|恶露|血)${G}{0,3}(?:越来越多|很多|特别多|好多|非常多|量(?:很|特别)?大|不止|止不住)`,
  `(?:大|鸡蛋|拳头|巴掌)${G}{0,3}(?:的)?血块|血块${G}{0,6}(?:鸡蛋|拳头|巴掌|很大|好大|特别大|挺大)`,
  `(?:卫生巾|护垫|产褥垫|垫子)${G}{0,8}(?:湿透|浸透|满了)`,
  '\\b(?:large|big|huge) (?:blood )?clots?\\b|\\bclots? (?:the size of|as big as|bigger than)\\b|\\bsoak(?:ed|ing)? (?:through )?(?:a |one )?(?:pad|pads|sanitary)',
  '\\bbleeding (?:heavily|a lot|more and more|is getting heavier)\\b|\\bheavy bleeding\\b',
].join('|'))

/** Weeks or months of the pregnancy, with the number in a group for the threshold. */
export const gestationWeeks = [`(?:孕|怀孕|怀运|怀了|现在|已经|才)?(${N})(?:\\+${N})?(?:周|週)`, `\\b(\\d{2}) ?(?:weeks?|wks?)\\b`]
export const gestationMonths = [`(?:孕|怀孕|怀运|怀了)(${N})个?多?月`, `\\b(\\d) months? pregnant\\b`]

/** Regular contractions: a timing or the word regular. */
export const regularContractionWords = [
  `规律(?:的)?宫缩|(?:宫缩|发紧|发硬|一阵一阵|一阵阵)${G}{0,8}(?:每隔?)?${G}{0,2}${N}(?:几)?分钟(?:一次|一阵|左右)?`,
  '\\bcontractions?\\b[^.;!?\\n]{0,20}\\bevery \\d+(?:-\\d+)? ?(?:minutes|mins)\\b|\\bregular contractions\\b',
]
