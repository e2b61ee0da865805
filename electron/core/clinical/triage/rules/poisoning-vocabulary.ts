// How patients name a poisoning, by its structure rather than by sentences: the verb of taking (in
// Mandarin, Cantonese and English), how much (a whole bottle, a strip, a number of tablets), what
// (a medicine by its class or name, a household chemical, a snake), whose it was (a grandparent's
// pills a child got at), and what came of it. poisoning.ts composes these into its signs; a new
// wording is added here as a word of its slot.
import { G } from '../patterns.ts'

/** A slot as one group, so it composes into any pattern: `a${slot}b` never splits at its alternatives. */
const oneGroup = (source: string): string => `(?:${source})`

const alternatives = (words: readonly string[]) => `(?:${words.join('|')})`

/** Taking by mouth in Chinese, Cantonese included (食咗). */
export const zhTake = alternatives(['吃', '服', '吞', '喝', '食', '咽'])
/** The aspect after the verb: 吃了, 吞下, 喝掉, 食咗. */
export const zhTaken = alternatives(['了', '下', '掉', '咗', '左', '落'])

/** A whole container or strip: 一瓶, 一整板, 半盒, 成排 (Cantonese: a whole strip), 一把. */
export const zhWholeAmount = `(?:一|整|半|成|一整|大半)(?:瓶|板|盒|把|排|樽|罐|袋|包)`

/** Medicines in lay Chinese (the classes that kill in overdose first). */
export const zhMedicine = alternatives([
  '安眠药', '降压药', '降糖药', '心脏药', '心脏嘅药', '抗抑郁药', '止痛药', '退烧药', '感冒药', '精神科的药', '地西泮', '安定', '扑热息痛',
  '对乙酰氨基酚', '布洛芬', '胰岛素', '药片', '药丸', '药', '藥',
])

/** Tablets and medicines in English: the nouns, the classes and the names patients use. */
export const enMedicine =
  '(?:pills?|tablets?|caps|capsules?|meds|medicines?|medication|paracetamol|acetaminophen|tylenol|panadol|calpol|ibuprofen|nurofen|advil|aspirin|co-?codamol|codeine|tramadol|antidepressants?|sertraline|citalopram|fluoxetine|amitriptyline|sleeping (?:pills|tablets)|sleepers|painkillers?|pain killers?|benzos?|diazepam|valium|xanax|insulin|heart (?:pills|tablets|medicine)|blood pressure (?:pills|tablets)|beta ?blockers?|iron (?:pills|tablets))'

/** English verbs of taking. */
export const enTake = '(?:took|taken|swallowed|ate|downed|necked)'

/** Someone else's medicines, which a child gets at: 奶奶的降压药, 大人的药. */
export const zhSomeoneElse = alternatives([
  '奶奶', '爷爷', '外婆', '外公', '姥姥', '姥爷', '婆婆', '公公', '老人', '大人', '妈妈', '爸爸', '别人', '阿嫲', '阿爷',
])

/** Snakes by name: the venomous ones patients name, and the word snake. */
export const zhSnakes = alternatives(['毒蛇', '蛇', '竹叶青', '五步蛇', '眼镜蛇', '银环蛇', '金环蛇', '蝮蛇', '烙铁头', '七寸子', '土公蛇', '蝰蛇'])
export const enSnakes = '(?:snake|adder|viper|rattlesnake|rattler|cobra|krait|mamba|copperhead|cottonmouth|water moccasin|taipan|brown snake|tiger snake)'

/** Recreational drugs by name (not "coke" or "speed": drinks and driving share them). */
export const recreationalDrugNames = oneGroup(`摇头丸|冰毒|k粉|麻古|嗑药|吸毒|(?:蹦迪|酒吧|夜店|派对|聚会)${G}{0,8}(?:吃|吞|嗑)了?${G}{0,4}(?:药|丸|片)|\\b(?:ecstasy|mdma|molly|crystal meth|methamphetamine|ketamine|ghb|spice|mephedrone|pingers?)\\b`)
