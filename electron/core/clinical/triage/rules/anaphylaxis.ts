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
    // 嘴唇肿 but not 嘴唇不肿: the words between the site and the swelling hold no negation.
    rx`(?:嘴唇|嘴巴|舌头|喉咙|嗓子|喉头|咽喉|口唇)(?:(?![不没无未])${G}){0,3}(?:肿|发紧|紧|堵住)|喉头水肿|舌头(?:变|好|很|特别)?(?:大|厚)了`,
    // "throat closing", "lips swelling", "tongue feels huge" — not "sore throat and swollen glands".
    rx`\b(?:tongue|lips?|throat|mouth)\b${G}{0,12}\b(?:swell\w*|swollen|tight\w*|closing)\b(?! (?:glands?|tonsils?|lymph|nodes?|neck))|\bswell(?:ing|ed)? (?:of )?(?:the |his |her |my )?(?:tongue|lips?|throat)\b|\btongue (?:feels|is|looks) (?:huge|massive|enormous|too big|thick|fat)\b`,
  ],
}

export const anaphylaxisNamed: Sign = {
  name: 'anaphylaxis named',
  // An adrenaline pen counts when it was used, not when it is carried, renewed or asked about.
  patterns: [
    rx`过敏性休克|严重过敏反应|\banaphyla`,
    rx`(?:用|打|注射|扎|推)(?:了|过)?${G}{0,4}肾上腺素|\b(?:used|given|gave|give|injected|jabbed)\b${G}{0,16}\b(?:epipen|jext|adrenaline|epinephrine)\b|\b(?:epipen|adrenaline (?:pen|auto-?injector))s? (?:was |has been |have been )?(?:used|given|injected)\b`,
  ],
}

const allergens = '(?:虾|蟹|海鲜|花生|坚果|腰果|芒果|鸡蛋|牛奶|鱼|贝类|菠萝|桃子|芝麻|peanuts?|nuts?|cashews?|shellfish|shrimps?|prawns?|seafood|eggs?|fish|sesame)'

/** During or just after a drip, whatever the drug (输液输到一半, 打完点滴, 挂水的时候). */
const zhDrip = '(?:输液|点滴|挂水|吊瓶|吊针)'
const zhDrugGiven = `${zhDrip}(?:输|挂|打)?(?:到一半|的时候|时|中|过程中|后|完)|(?:输|打|挂)(?:完|着)(?:了)?${zhDrip}|刚(?:打|输|挂)(?:了|完)?${zhDrip}`

export const allergenExposure: Sign = {
  name: 'just ate, was given or was stung by an allergen',
  patterns: [
    rx`(?:吃|喝)(?:了|完|过)?${G}{0,6}${allergens}|(?:打|输|用|吃)(?:了|完)${G}{0,4}(?:青霉素|头孢|抗生素|针|吊瓶|药|造影剂|疫苗)|打完针|输完液`,
    new RegExp(zhDrugGiven, 'u'),
    rx`(?:蜜蜂|马蜂|黄蜂|蜂|虫)子?${G}{0,2}(?:蜇|叮|咬)`,
    rx`\b(?:ate|eaten|eating|had|after)\b${G}{0,20}${allergens}|\bstung\b|\bbee sting\b|\bwasp\b|\b(?:injection|jab|antibiotics?|penicillin|drip|infusion)\b`,
    // "having a peanut reaction", "an allergic reaction": the exposure named by its result.
    rx`\b${allergens} (?:reaction|allergy attack)\b|\b(?:allergic|anaphylactic) reaction\b`,
  ],
}

export const widespreadHives: Sign = {
  name: 'hives all over',
  patterns: [
    // Itching all over after a drug or a food is the same skin sign (浑身发痒).
    rx`(?:全身|浑身|满身|一身|身上|大片)${G}{0,4}(?:风团|疹子|红疹|荨麻疹|包|红包|疙瘩|皮疹|(?:发|瘙)?痒)|风团|荨麻疹|\bhives\b|\bwelts\b|\brash all over\b|\b(?:itchy|itching) all over\b`,
  ],
}

const systemic: Sign = {
  name: 'faint, vomiting, hoarse or wheezy',
  patterns: [
    rx`晕倒|晕过去|心慌|心跳很快|血压(?:很|特别)?低|肚子(?:痛|疼)|声音(?:变|发|有点|都)?(?:嘶哑|哑)|胸闷|胸口(?:发)?闷|(?:脸|脸色|面色|嘴唇)(?:一下子|突然)?(?:发白|苍白|煞白|惨白)|\bfaint|\bhoarse\b|\bwheez|\bpale\b`,
  ],
}

/**
 * After an allergen, the face or eyes swelling, a hoarse voice or trouble swallowing is the airway
 * swelling from outside (MTS facial oedema, stridor): alone, a hoarse voice is a cold and a puffy
 * face a pimple.
 */
const swellingAfterExposure: Sign = {
  name: 'face swelling, hoarse voice or trouble swallowing',
  patterns: [
    rx`(?:脸|面部|脸部|眼睛|眼皮|眼圈|眼)(?:(?![不没无未])${G}){0,3}肿|声音(?:变|发|有点|都)?(?:嘶哑|哑)|吞咽困难|(?:咽|吞)(?:东西|口水)?(?:都|也)?(?:咽|吞)?不下(?:去)?`,
    rx`\b(?:face|eyes?|eyelids?)\b${G}{0,20}\b(?:swell\w*|swollen|puff\w*)\b|\bhoarse\b|\b(?:hard|difficult|struggling|trouble|difficulty) (?:to )?swallow\w*\b|\bcan't swallow\b`,
  ],
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
    needs: [allergenExposure, [severeBreathlessness, airwaySwelling, swellingAfterExposure]],
    unless: [choking],
    action,
  },
]
