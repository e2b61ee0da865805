// Anaphylaxis: swelling of the lips, tongue or throat; or, after a food, a drug or a sting, hives
// with faintness, vomiting or wheeze; or the patient names it (过敏性休克, used an EpiPen).
// A rash that itches, or an allergy in the history, can wait.
import { G, rx } from '../patterns.ts'
import type { Sign, TriageRule } from '../types.ts'
import { severeBreathlessness, breathlessness } from './breathing-difficulty.ts'
import { dizziness, nausea, vomiting } from './shared-signs.ts'

export const airwaySwelling: Sign = {
  name: 'lips, tongue or throat swelling',
  patterns: [
    rx`(?:嘴唇|嘴巴|舌头|喉咙|嗓子|喉头|咽喉|口唇)${G}{0,3}(?:肿|发紧|紧|堵住)|喉头水肿`,
    rx`\b(?:tongue|lips?|throat|mouth)\b${G}{0,12}\b(?:swell|swollen|tight|closing)|\bswell(?:ing|ed)? (?:of )?(?:the |his |her |my )?(?:tongue|lips?|throat)\b`,
  ],
}

export const anaphylaxisNamed: Sign = {
  name: 'anaphylaxis named',
  patterns: [rx`过敏性休克|严重过敏反应|肾上腺素笔|\banaphyla|\bepipen\b|\badrenaline (?:pen|auto-?injector)`],
}

const allergens = '(?:虾|蟹|海鲜|花生|坚果|芒果|鸡蛋|牛奶|鱼|贝类|菠萝|桃子|peanuts?|nuts?|shellfish|shrimps?|prawns?|seafood|eggs?|fish|sesame)'

export const allergenExposure: Sign = {
  name: 'just ate, was given or was stung by an allergen',
  patterns: [
    rx`(?:吃|喝)(?:了|完|过)?${G}{0,6}${allergens}|(?:打|输|用|吃)(?:了|完)${G}{0,4}(?:青霉素|头孢|抗生素|针|吊瓶|药|造影剂|疫苗)|打完针|输完液`,
    rx`(?:蜜蜂|马蜂|黄蜂|蜂|虫)子?${G}{0,2}(?:蜇|叮|咬)`,
    rx`\b(?:ate|eaten|eating|had|after)\b${G}{0,20}${allergens}|\bstung\b|\bbee sting\b|\bwasp\b|\b(?:injection|jab|antibiotics?|penicillin)\b`,
  ],
}

export const widespreadHives: Sign = {
  name: 'hives all over',
  patterns: [
    rx`(?:全身|浑身|满身|一身|身上|大片)${G}{0,4}(?:风团|疹子|红疹|荨麻疹|包|红包|疙瘩|皮疹)|风团|荨麻疹|\bhives\b|\bwelts\b|\brash all over\b`,
  ],
}

const systemic: Sign = {
  name: 'faint, vomiting, hoarse or wheezy',
  patterns: [rx`晕倒|晕过去|心慌|心跳很快|血压(?:很|特别)?低|肚子(?:痛|疼)|声音(?:嘶哑|哑)|\bfaint|\bhoarse\b|\bwheez`],
}

/** Choking on a peanut explains the breathing: an airway problem, not an allergy. */
const choking: Sign = {
  name: 'choking',
  patterns: [rx`呛|噎|卡(?:住|在)|\bchok`],
}

const action = {
  'zh-CN': '疑似严重过敏反应：立即肌注肾上腺素 0.5 mg（儿童 0.01 mg/kg），平卧抬腿，吸氧，呼叫急救；病人不在院内则拨打 120 并使用肾上腺素笔。',
  en: 'Possible anaphylaxis: intramuscular adrenaline 0.5 mg now (children 0.01 mg/kg), lie flat with legs raised, oxygen, call for help. If the patient is not on site, call 120 and use their adrenaline pen.',
}

export const anaphylaxisRules: TriageRule[] = [
  { id: 'anaphylaxis.airway-swelling', category: 'anaphylaxis', level: 'emergency', needs: [airwaySwelling], action },
  { id: 'anaphylaxis.named', category: 'anaphylaxis', level: 'emergency', needs: [anaphylaxisNamed], action },
  {
    id: 'anaphylaxis.hives-and-systemic-after-exposure',
    category: 'anaphylaxis',
    level: 'emergency',
    needs: [allergenExposure, widespreadHives, [systemic, severeBreathlessness, breathlessness, dizziness, vomiting, nausea]],
    action,
  },
  {
    id: 'anaphylaxis.breathing-after-exposure',
    category: 'anaphylaxis',
    level: 'emergency',
    needs: [allergenExposure, [severeBreathlessness, airwaySwelling]],
    unless: [choking],
    action,
  },
]
