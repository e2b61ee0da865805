// Vomiting or passing blood: vomiting blood or "coffee grounds", black tarry stool (melaena), a
// lot of fresh blood from the bowel — emergencies; some fresh blood in the stool needs a doctor
// today. Iron or bismuth tablets and some foods (火龙果, 猪血) colour the stool and explain it;
// streaks on the paper, and bleeding that has come and gone for months, can wait for a clinic.
import { G, rx } from '../patterns.ts'
import type { Sign, TriageRule } from '../types.ts'
import { enBloodAdjectives, enLargeAmounts, enToiletFull, enVomitVerbs, zhBlood, zhLargeAmounts, zhStoolVerbs, zhToiletFull } from './gi-bleeding-vocabulary.ts'

/** Anger, not a bleed: 被老板气得要吐血, 气到吐血. */
const notFigurative = '(?<!气(?:得|到|死)?(?:我)?(?:都)?(?:要|快|想|快要)?)'
/** A knowledge question about the word itself: 黑便一般是什么原因. */
const notAsked = '(?!一般|通常|常见|大多|多半|的(?:常见)?原因)'

export const vomitingBlood: Sign = {
  name: 'vomiting blood',
  acuteOnly: true,
  patterns: [
    new RegExp(`${notFigurative}(?:吐血|呕血)|${notFigurative}(?:吐|呕)(?:了|出)?${G}{0,8}血(?!压|糖|丝|管|常规|检查|型|脂|液检)|吐出来?的?(?:东西)?(?:是|有|带)?鲜?血|咖啡渣|(?:吐|呕)${G}{0,6}咖啡色`, 'u'),
    rx`\bvomit(?:ing|ed)? (?:up )?blood\b|\b(?:threw|throwing) up blood\b|\bcoffee[- ]grounds?\b|\bblood in (?:my|his|her) vomit\b`,
    // The vocabulary's slots: a vomiting verb, up to three words of colour or amount, blood (vomiting bright red blood).
    new RegExp(`\\b${enVomitVerbs} (?:up )?${enBloodAdjectives}blood\\b`, 'u'),
  ],
}

export const blackStool: Sign = {
  name: 'black tarry stool',
  acuteOnly: true,
  patterns: [
    new RegExp(`黑便${notAsked}|柏油|(?:大便|便便|拉的|屙的|屎|(?<=[拉排解屙])便)${G}{0,3}(?:是|发|呈)?(?:黑色?|发黑)|${zhStoolVerbs}黑(?:便|屎)`, 'u'),
    rx`\bblack (?:tarry )?(?:stools?|poo|poop)\b|\btarry\b|\bmela?ena\b`,
  ],
}

export const heavyRectalBleeding: Sign = {
  name: 'a lot of blood from the bowel',
  acuteOnly: true,
  patterns: [
    rx`(?:大量|很多|好多|一马桶)${G}{0,2}(?:便血|拉血)|便血(?:很多|量(?:很)?大)|拉(?:了|出)?来?${G}{0,4}(?:一大滩|一马桶|很多|好多|一大堆|大量)${G}{0,2}鲜?血|\b(?:a lot of|lots of) blood (?:in|from)\b`,
    // The vocabulary's slots: a stool verb, an amount, blood (屙了好多鲜红的血), or the toilet full of it.
    new RegExp(`${zhStoolVerbs}(?:了|出)?来?${G}{0,4}${zhLargeAmounts}${G}{0,2}${zhBlood}|${zhToiletFull}`, 'u'),
    new RegExp(`${enLargeAmounts} (?:fresh |bright red |red |dark )?blood\\b${G}{0,30}\\b(?:bottom|back passage|rectum|anus|bum|behind|poo|stool|bowels?)\\b|${enToiletFull}`, 'u'),
  ],
}

export const rectalBleeding: Sign = {
  name: 'blood in the stool',
  acuteOnly: true,
  patterns: [
    rx`便血|拉血|屙血|(?:大便|便便|屎)(?:里|上|中)?(?:带|有|全是|都是)(?:很多|好多)?鲜?血(?!丝)`,
    rx`\bblood in (?:my|his|her|the) (?:stool|poo|poop)\b|\bbloody (?:stool|diarrh)|\bpassing blood\b|\brectal bleeding\b`,
  ],
}

export const stoolColouredByDiet: Sign = {
  name: 'iron, bismuth or food that colours stool',
  standing: true,
  patterns: [rx`补铁|铁剂|硫酸亚铁|琥珀酸亚铁|多糖铁|铋剂|枸橼酸铋|果胶铋|猪血|鸭血|血豆腐|火龙果|甜菜|黑芝麻|\biron (?:tablets|supplements?|pills)\b|\bbismuth\b|\bpepto\b`],
}

const emergency = {
  'zh-CN': '消化道出血：立即送急诊，测脉搏、血压（注意休克），建立静脉通路，查血常规与血型；禁食；问清是否服用抗凝药或止痛药。',
  en: 'Gastrointestinal bleeding: emergency department now; pulse and blood pressure (watch for shock), IV access, blood count and group; nil by mouth; ask about blood thinners and painkillers.',
}

export const giBleedingRules: TriageRule[] = [
  { id: 'gi-bleeding.vomiting-blood', category: 'gi-bleeding', level: 'emergency', needs: [vomitingBlood], action: emergency },
  { id: 'gi-bleeding.black-stool', category: 'gi-bleeding', level: 'emergency', needs: [blackStool], unless: [stoolColouredByDiet], action: emergency },
  { id: 'gi-bleeding.heavy-rectal-bleeding', category: 'gi-bleeding', level: 'emergency', needs: [heavyRectalBleeding], unless: [stoolColouredByDiet], action: emergency },
  {
    id: 'gi-bleeding.blood-in-stool',
    category: 'gi-bleeding',
    level: 'urgent',
    needs: [rectalBleeding],
    unless: [stoolColouredByDiet],
    action: {
      'zh-CN': '今日内就诊：评估出血量、生命体征和血红蛋白；出血多、头晕或心率快则转急诊。',
      en: 'See today: amount of bleeding, vital signs and haemoglobin; heavy bleeding, dizziness or a fast pulse mean emergency department.',
    },
  },
]
