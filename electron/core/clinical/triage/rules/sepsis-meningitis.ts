// Fever with a sign of meningitis (stiff neck, a rash that does not fade under pressure) or of
// sepsis (confusion, low blood pressure, mottled skin), or fever during chemotherapy (neutropenic
// sepsis). Fever alone, or a stiff neck without fever (落枕), can wait.
import { G, rx } from '../patterns.ts'
import { bloodPressureLow } from '../readings.ts'
import { notChild } from '../patient-facts.ts'
import type { Sign, TriageRule } from '../types.ts'
import { noUrine } from './no-urine.ts'
import { chemotherapy, confusion, fever } from './shared-signs.ts'

export const stiffNeck: Sign = {
  name: 'stiff neck',
  patterns: [
    rx`脖子(?:发)?(?:硬|僵硬|僵)|颈(?:部)?(?:强直|发硬|僵硬)|颈项强直|低头(?:都)?(?:困难|费劲|很疼|疼)|下巴(?:碰|贴)不(?:到|着)胸`,
    rx`\bstiff neck\b|\bneck (?:is )?stiff\b|\bcan't (?:bend|touch) (?:his|her|my) (?:neck|chin)`,
  ],
}

export const nonBlanchingRash: Sign = {
  name: 'rash that does not fade under pressure',
  patterns: [
    rx`(?:按|压|玻璃杯)${G}{0,6}(?:不褪色|不褪|不消|不退)|不褪色的${G}{0,4}(?:疹|点|斑)|出血点|瘀点|瘀斑|紫癜|紫斑|(?:紫|紫红|暗红)色?的?(?:点|斑)`,
    rx`\brash (?:that )?(?:doesn't|does not|won't|didn't) fade|\bnon-?blanching\b|\bpurpur|\bpetechia`,
    // Purple or dark red spots, blotches or marks, in English.
    rx`\b(?:purple|purplish|dark red|deep red|plum)(?:[ -](?:blotchy|coloured|colored|red|ish|looking|pin-?prick|tiny|little|small|big|flat))* (?:spots|blotches|marks|patches|dots|bruises|rash)\b|\bblotches\b${G}{0,20}\b(?:purple|dark red)\b`,
  ],
}

/** Mottled, blotchy or grey skin, in lay words: 皮肤一块一块发花, 手脚发花, her skin looks mottled. */
const zhSkinSites = '(?:皮肤|身上|手脚|四肢|腿|胳膊|膝盖|手|脚)'
export const shockSigns: Sign = {
  name: 'signs of shock',
  patterns: [
    rx`皮肤(?:发花|花斑)|花斑|血压(?:很|特别)?低|血压(?:掉|降)(?:到|了)|\bmottled\b|\blow blood pressure\b`,
    new RegExp(`${zhSkinSites}${G}{0,8}(?:发花|花花的|花斑|花纹|一块一块(?:地|的)?(?:发?紫|发?青|发?花))`, 'u'),
    rx`\b(?:skin|legs|knees|lips) (?:is |are |looks? |gone |turned |going )?(?:blotchy|ashen|grey|gray|blue|bluish)\b`,
  ],
}

/** An infection named without a fever word: a chest infection, a UTI, an infected wound. */
export const infection: Sign = {
  name: 'known infection',
  patterns: [
    rx`肺炎|肺部感染|尿路感染|泌尿系感染|肾盂肾炎|胆囊炎|胆管炎|蜂窝织炎|伤口${G}{0,3}(?:感染|化脓|流脓)|败血症|脓毒`,
    rx`\bchest infection\b|\bpneumonia\b|\buti\b|\burine infection\b|\bkidney infection\b|\bwater infection\b|\bcellulitis\b|\binfected (?:wound|cut|bite)\b|\bsepsis\b|\bseptic\b`,
  ],
}

/** Fever in words the shared list lacks: a high temp, burning up, shivering with a raised temperature. */
const feverMoreWords: Sign = {
  name: 'fever (more words)',
  patterns: [rx`\bhigh temp\b|\btemp(?:erature)? (?:is |has been )?(?:high|up|sky-?high|through the roof)\b|\bburning up\b|\brunning a temp`],
}

/** What a septic patient says: "I feel like I'm going to die", and no urine all day. */
export const sepsisWarning: Sign = {
  name: 'sense of doom or no urine',
  patterns: [
    rx`感觉${G}{0,3}(?:要|快)(?:要)?(?:死|不行)了|\b(?:feel|feels|felt|feeling) (?:like )?(?:i'm|i am|he's|she's|he is|she is) (?:going to|gonna|about to) die\b|\bfeel like dying\b`,
  ],
}

const anyFever: readonly Sign[] = [...fever, feverMoreWords]

/** Confusion as a state, not "confused about which antibiotic to take": with an infection named, it is sepsis. */
const confusedNow: Sign = {
  name: 'confused (a state)',
  patterns: [
    confusion.patterns[0]!,
    rx`(?:有点|有些|突然|变得|人也|人有点)糊涂|不认(?:识)?人了?|认不(?:得|出)(?:人|家里人)`,
    rx`\b(?:confused|confusion|disorientated|disoriented|delirious|not making sense|talking nonsense|drowsy|hard to wake)\b(?! (?:about|by|as to|whether|over|with|why|how|what|which|if)\b)`,
  ],
}

const action = {
  'zh-CN': '按脓毒症/脑膜炎处理：立即测生命体征和血氧，1 小时内留取血培养并使用抗生素，建立静脉通路；病人不在院内则拨打 120。',
  en: 'Treat as sepsis or meningitis: vital signs and oxygen saturation now, blood cultures and antibiotics within the hour, IV access. If the patient is not on site, call 120.',
}

export const sepsisMeningitisRules: TriageRule[] = [
  {
    id: 'sepsis-meningitis.meningitis-signs',
    category: 'sepsis-meningitis',
    level: 'emergency',
    needs: [anyFever, [stiffNeck, nonBlanchingRash]],
    action,
  },
  {
    id: 'sepsis-meningitis.fever-with-confusion-or-shock',
    category: 'sepsis-meningitis',
    level: 'emergency',
    needs: [anyFever, [confusion, shockSigns, bloodPressureLow]],
    action,
  },
  {
    id: 'sepsis-meningitis.infection-with-confusion-or-shock',
    category: 'sepsis-meningitis',
    level: 'emergency',
    needs: [infection, [confusedNow, shockSigns, bloodPressureLow]],
    action,
  },
  {
    id: 'sepsis-meningitis.fever-with-warning-signs',
    category: 'sepsis-meningitis',
    level: 'emergency',
    needs: [anyFever, [sepsisWarning, noUrine]],
    patient: notChild,
    action,
  },
  { id: 'sepsis-meningitis.fever-on-chemotherapy', category: 'sepsis-meningitis', level: 'emergency', needs: [anyFever, chemotherapy], action },
]
