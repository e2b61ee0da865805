// How patients describe a thunderclap headache, by clinical structure: the head in lay words
// (脑壳, 后脑勺), the pain, the onset (突然, 一下子, in seconds), the severity (炸裂, 遭不住,
// explosive, splitting) and the simile of a blow. thunderclap-headache.ts composes these; a new
// wording is added here as a word of its slot.
import { G } from '../patterns.ts'

const alternatives = (words: readonly string[]) => `(?:${words.join('|')})`

/** The head in lay Chinese, dialect forms included, longest first. */
export const zhHeadSites = alternatives(['后脑勺', '后脑壳', '后脑', '脑壳', '脑袋瓜', '脑袋', '脑门', '头部', '头'])

/** Pain words of the head. */
export const zhHeadPain = alternatives(['剧痛', '痛', '疼', '炸', '裂'])

/** Onset in seconds. */
export const zhOnset = alternatives(['突然', '突发', '一下子', '猛地', '猛然', '瞬间', '一瞬间', '几秒钟?(?:内|之内|就)?', '忽然'])

/** Severity, in words or in what it does. */
export const zhSeverity = alternatives([
  '炸裂', '炸开', '要炸', '爆炸', '裂开', '要裂', '欲裂', '剧痛', '剧烈', '厉害', '要命', '受不了', '遭不住', '忍不住', '难忍', '钻心', '撕裂',
  '疼到顶', '痛到顶', '最痛', '最厉害',
])

/** "像被人用棍子打了一下": the blow patients compare it with. */
export const zhStruckSimile = `(?:像(?:是)?被(?:人)?${G}{0,4}(?:打|敲|砸|击|劈)了?(?:一)?(?:棍子?|锤子?|棒子?|拳|下|闷棍)|像(?:是)?被(?:人)?(?:用)?${G}{0,2}(?:棍子?|锤子?|棒子?|石头|砖头?|拳头|铁锤)${G}{0,2}(?:打|敲|砸|击|劈))`

/** "从来没这么痛过", "这辈子没得这么痛过". */
export const zhNeverThisBad = `(?:这辈子|从来|从|以前|长这么大)(?:都|也)?没(?:有|得)?(?:这么|这样|如此)(?:痛|疼|厉害)过`

/** English: onset in seconds, severity words, the blow simile, the worst ever. */
export const enOnset =
  '\\b(?:sudden(?:ly)?|all of a sudden|out of nowhere|came on (?:suddenly|all at once|in seconds|instantly|like a thunderclap)|in (?:a few )?seconds|within seconds|instantly|thunderclap)\\b'
export const enSeverity =
  '\\b(?:explosive|exploding|splitting|excruciating|blinding|unbearable|agonising|agonizing|severe|worst|terrible|crushing|10/10|ten out of ten)\\b'
export const enStruckSimile =
  "\\b(?:like|as if|as though) (?:(?:i|he|she|they|you)(?:'d|'ve| had| have| was| were)? )?(?:been |being |getting |got )?(?:hit|struck|kicked|smacked|whacked|clubbed|shot)\\b(?! by (?:a |the )?(?:truck|bus|train|lorry|car|steamroller|tractor))"
export const enWorstEver = "\\bworst (?:ever|of (?:my|his|her) life|(?:i|he|she) (?:have|has|'ve|'s) ever had)\\b"
