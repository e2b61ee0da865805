// How patients name chest pain, by its clinical structure rather than by sentences: the body site in
// lay words, the pain, its quality and severity, where it spreads, how it started and what comes
// with it. chest-pain.ts composes these into its signs; a new wording is added here as a word of its
// slot, so every combination with the other slots is covered at once.
import { G } from '../patterns.ts'

/** A slot as one group, so it composes into any pattern: `a${slot}b` never splits at its alternatives. */
const oneGroup = (source: string): string => `(?:${source})`

const alternatives = (words: readonly string[]) => `(?:${words.join('|')})`

/** The chest in lay Chinese, longest first (胸口子 before 胸口 before 胸), dialect forms included. */
export const zhChestSites = alternatives([
  '胸口子', '心口子', '胸口窝', '心口窝', '胸骨后面', '胸骨后', '胸膛子', '心前区', '胸口', '心口', '前胸', '左胸', '右胸', '胸前',
  '胸部', '胸膛', '胸脯', '胸骨', '心窝子', '心窝', '胸腔', 'xiong口', 'xiong', 'chest', '胸',
])

/** Pain and its near words in Chinese: what a patient says the chest does. */
export const zhPainWords = alternatives(['痛', '疼', '闷', '憋', '发紧', '紧', '压', '绞', '揪', '难受', '不舒服', '不适', '堵', '胀', '扎', '刺'])

/** What is on or of the chest but not chest pain (a spot, the skin, a scan, another body part). */
export const zhNotChestPain = '(?!皮|痘|疹|痒|包|肿块|硬块|结节|ct|片|毛|病|科|彩超|造影|支架|手术|腿|膝|脚|手|腰|头|牙|胃|肚|眼|嗓|不好|罩|衣)'

/** The quality and severity that make chest pain cardiac-sounding. */
export const zhCardiacQualities = alternatives([
  '压榨', '紧缩', '压迫', '压着', '揪着', '绞着', '撕裂', '刀割', '濒死', '剧痛', '剧烈', '厉害', '要命', '受不了', '遭不住', '扛不住', '忍不住', '顶不住',
  '钻心', '撕心裂肺', '喘不过', '闷得慌',
  // Sweat said as what it does: 汗水把衣服都打湿了.
  `汗${G}{0,8}(?:湿|透)`,
  `像${G}{0,6}(?:石头|大石|压|绑|勒|捆|箍|挤|攥|抓|揪)`,
])

/** Where cardiac pain spreads (the left arm, jaw, neck, back, shoulder) and the verbs of spreading. */
const zhSpreadTargets = alternatives(['左胳膊', '左手臂', '左臂', '左手', '胳膊', '手臂', '左肩膀', '左肩', '肩膀', '肩', '下巴', '下颌', '牙', '脖子', '颈', '后背', '背', '嗓子', '喉咙'])
const zhSpreadVerbs = alternatives(['放射', '窜', '串', '牵扯', '牵着', '扯着', '扯', '带着', '连着', '传', '跑', '延伸', '蔓延', '走'])
export const zhSpread = `${zhSpreadVerbs}(?:着)?(?:到|至|向|去)?${G}{0,3}${zhSpreadTargets}`

/** The chest in English, with its common misspellings (chesst, chets). */
export const enChestSites = '(?:che+s+t|chets|breastbone|sternum|heart)'

/** English ways of saying the chest hurts that name the site after the pain or the weight. */
export const enChestPain = oneGroup(`\\b(?:pain|ache|aching|stabbing|tightness|pressure|heaviness) (?:in|on) the (?:left|right|middle|centre|center|front)(?: side)? of (?:my|his|her|the) ${enChestSites}\\b|\\b(?:an? )?(?:elephant|weight|brick|something heavy|someone|ton of bricks) (?:is |was )?(?:sitting|standing|pressing|pushing|lying) on (?:my|his|her) ${enChestSites}\\b|\\b${enChestSites} (?:pain|pains|hurts|hurting|is killing)\\b`)

/** English words of severity and cardiac quality. */
export const enCardiacQualities =
  '\\b(?:badly|bad|severe|severely|terrible|terribly|awful|worst|excruciating|agony|agonising|agonizing|unbearable|killing (?:me|him|her)|crushing|squeezing|pressing|heavy|like a (?:weight|vice|brick|tight band)|elephant)\\b'

/** Spreading to the arm, jaw, neck, back or shoulder, in English. */
const enSpreadTargets = '(?:left )?(?:arm|arms|jaw|neck|back|shoulder|shoulders|teeth)'
export const enSpread = oneGroup(`\\b(?:going|goes|spreading|spreads|radiating|radiates|moving|moves|shooting|shoots|travel+ing|travels|running|runs)(?: up| down| out| across)? (?:into|to|through|down|up)? ?(?:my|his|her|the|both) ${enSpreadTargets}\\b|\\b(?:my|his|her) left (?:arm|hand|shoulder) (?:is |feels |has gone |went )?(?:numb|tingly|tingling|heavy|dead|aching|sore)\\b`)
