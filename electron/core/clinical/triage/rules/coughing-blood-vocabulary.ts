// How patients say they cough up blood, by clinical structure: the cough verb (咳/咯), the amount
// (一大口, 半杯, mouthfuls), the colour, and the English paraphrases. coughing-blood.ts composes these;
// a new wording is added here as a word of its slot. Streaks (血丝) are not counted as more than
// streaks: they can wait for a clinic.

const alternatives = (words: readonly string[]) => `(?:${words.join('|')})`

export const zhCoughVerbs = alternatives(['咳嗽', '咳', '咯'])

/** Blood, with its colour, not streaks. */
export const zhBlood = '(?:鲜红|暗红|红)?色?的?鲜?血(?!丝|压|糖|管|常规|型|脂)'

/** Mouthfuls and cupfuls: the amount that fills an airway. */
export const zhLargeAmounts = alternatives([
  '一大口一大口', '大口大口', '一大口', '大口', '满口', '满嘴', '半杯', '一杯', '小半杯', '半碗', '一碗', '小半碗', '一大滩', '一大摊', '一盆', '很多', '好多', '大量', '止不住',
])

export const enCoughVerbs = '(?:cough(?:ing|ed|s)?|bring(?:ing)? up|brought up|hack(?:ing|ed)? up)'
export const enBloodAdjectives = '(?:(?:bright|dark|fresh|red|frank|bright red|pure|clotted) ){0,2}'
export const enLargeAmounts = '(?:a lot of|lots of|loads of|cups of|a cup of|half a cup of|mouthfuls of|a mouthful of|large amounts? of|so much|clots of)'
