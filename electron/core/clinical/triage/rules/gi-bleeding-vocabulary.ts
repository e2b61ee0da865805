// How patients name blood from the gut, by clinical structure: the verb (吐/呕, and 拉/屙/解/排 for the
// bowel, dialect included), the amount, the colour, where it landed (马桶 full of it), and the
// English paraphrases. gi-bleeding.ts composes these; a new wording is added here as a word of its slot.
import { G } from '../patterns.ts'

/** A slot as one group, so it composes into any pattern: `a${slot}b` never splits at its alternatives. */
const oneGroup = (source: string): string => `(?:${source})`

const alternatives = (words: readonly string[]) => `(?:${words.join('|')})`

/** Passing stool, in lay and dialect Chinese (屙 is south-western and Cantonese for 拉). */
export const zhStoolVerbs = alternatives(['拉', '屙', '解', '排', '便'])

/** A lot, in lay Chinese. */
export const zhLargeAmounts = alternatives(['一大滩', '一大摊', '一马桶', '一大堆', '一大碗', '一盆', '半盆', '一碗', '很多', '好多', '大量', '不少', '一大口', '一大片'])

/** Blood, with its colour: 鲜血, 鲜红的血, 暗红色的血. */
export const zhBlood = '(?:鲜红|暗红|红)?色?的?鲜?血(?!丝|压|糖|管|常规|型|脂)'

/** The toilet full of blood. */
export const zhToiletFull = `(?:马桶|便池|蹲坑|厕所)${G}{0,3}(?:都是血|全是血|都红了|全红了|红了|染红|一片红)`

/** English: vomiting verbs, the blood's words, and a lot of it. */
export const enVomitVerbs = '(?:vomit(?:ing|ed|s)?|threw up|throw(?:ing)? up|puk(?:e|ed|ing)(?: up)?|brought up|bringing up|being sick|been sick)'
export const enBloodAdjectives = '(?:(?:bright|dark|fresh|red|frank|bright red|dark red|some|lots of|a lot of|a load of|loads of|large amounts of|a large amount of|mouthfuls of|cups of|clots of|pure) ){0,3}'
export const enLargeAmounts = '\\b(?:a lot of|lots of|loads of|large amounts? of|a large amount of|a load of|huge amounts? of|masses of|so much)\\b'
export const enToiletFull = oneGroup('\\b(?:fills?|filled|filling) the (?:toilet|pan|bowl)\\b|\\btoilet (?:bowl )?(?:is |was )?(?:full of|filled with|red with) blood\\b')
