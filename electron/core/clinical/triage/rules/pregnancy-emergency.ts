// Pregnancy: vaginal bleeding, severe abdominal pain, severe headache, headache or blurred vision
// with high blood pressure (pre-eclampsia), a fit (eclampsia), fewer or no fetal movements; waters
// breaking and regular contractions need the labour ward today. Pregnancy comes from the text
// (怀孕32周, 孕晚期, 验孕两条杠, pregnant) or the patient header.
import { parsePatientNumber } from '../chinese-numbers.ts'
import { G, rx } from '../patterns.ts'
import { pregnantPatient } from '../patient-facts.ts'
import { bloodPressureHighInPregnancy, bloodPressureSevereInPregnancy } from '../readings.ts'
import type { Sign, TriageRule } from '../types.ts'
import { fitting } from './seizure.ts'
import { headache, severeHeadache } from './shared-signs.ts'
import {
  enAbdomenSites,
  enNotVaginal,
  enSevereQualities,
  gestationMonths,
  gestationWeeks,
  heavyAfterBirthWords,
  postpartumWords,
  regularContractionWords,
  zhAbdomenSites,
  zhBleedingWords,
  zhSeverePain,
  zhVaginaSites,
} from './pregnancy-emergency-vocabulary.ts'

export const vaginalBleeding: Sign = {
  name: 'vaginal bleeding',
  patterns: [
    rx`阴道(?:出血|流血)|见红|(?:内裤|卫生巾|护垫)上?(?:有|见)?(?:血|出血)`,
    // Any lay name of "down there" with a bleeding word after it in the clause (下面出了好多血).
    new RegExp(`${zhVaginaSites}${G}{0,6}${zhBleedingWords}`, 'u'),
    // A bare 出血/流血 in a pregnant woman's message, but not the gums', the nose's or a cut's.
    rx`(?<![牙龈鼻子痔疮肛门伤口手脚皮肤眼睛耳朵嘴])(?:有点|有些|少量|一点)?(?:出血|流血)了?(?=$|[,。;!?]|了|很多|不止)`,
    rx`\bvaginal bleeding\b|\bbleeding (?:from|down) (?:there|below)\b|\bspotting\b`,
    // A bare "bleeding" in a pregnant woman's message (heavy bleeding, I'm bleeding heavily), but not the nose's or a cut's.
    new RegExp(`(?<!\\b${enNotVaginal}\\b[^.;!?\\n]{0,30})\\bbleed(?:ing)?\\b(?! (?:from|in|of|on|at) (?:my|his|her|the|a) (?:\\w+ )?${enNotVaginal})`, 'u'),
  ],
}

export const severeAbdominalPain: Sign = {
  name: 'severe abdominal pain',
  patterns: [
    rx`(?:肚子|腹部|小腹|下腹|上腹|肚)${G}{0,2}(?:剧痛|绞痛|疼得(?:很)?(?:厉害|受不了|要命|直不起腰)|痛得(?:很)?(?:厉害|受不了|要命|直不起腰))|剧烈的?腹痛|腹痛(?:剧烈|难忍)|疼得${G}{0,4}打滚|痛得${G}{0,4}打滚|(?:肚子|腹部?|小腹|下腹|上腹)${G}{0,2}(?:疼|痛)得${G}{0,6}(?:冒冷汗|出冷汗|满头大汗|不敢动|动不了|直哭|叫)`,
    new RegExp(`${zhAbdomenSites}${G}{0,6}${zhSeverePain}`, 'u'),
    rx`\b(?:abdominal|stomach|belly) pain (?:is )?(?:severe|unbearable)\b|\bdoubled over\b`,
    // severe stomach pain, sharp pain on one side of my belly, bad cramping.
    new RegExp(`\\b${enSevereQualities} (?:${enAbdomenSites} )?(?:pain|ache|cramps?|cramping)\\b${G}{0,30}\\b${enAbdomenSites}\\b|\\b${enSevereQualities} ${enAbdomenSites} (?:pain|ache|cramps?)\\b|\\b${enSevereQualities} (?:cramps|cramping)\\b`, 'u'),
  ],
}

export const highBloodPressureSaid: Sign = {
  name: 'blood pressure high',
  patterns: [rx`血压(?:很|有点|偏|特别|突然)?(?:高|升高)|血压上来了|血压飙|\bhigh blood pressure (?:today|now|reading)\b|\bbp (?:is )?high\b`],
}

export const blurredVision: Sign = {
  name: 'blurred vision or flashing lights',
  patterns: [
    rx`(?:眼睛|看东西|视物|视力)${G}{0,2}(?:模糊|看不清|重影|闪光|发花|花)|眼前(?:发花|冒金星|有闪光|闪光)|眼花`,
    rx`\bblurr(?:ed|y) vision\b|\bflashing lights\b|\bseeing spots\b|\bspots (?:before|in front of) (?:my|her) eyes\b`,
  ],
}

export const reducedFetalMovements: Sign = {
  name: 'fewer or no fetal movements',
  patterns: [
    rx`胎动(?:明显)?(?:减少|少了|变少|没了|消失|感觉不到|不明显了)|(?:没有|没|感觉不到)胎动(?!减少|变少|异常|少)|(?:宝宝|胎儿)${G}{0,4}(?:不动了?|没动静?了?|没怎么动|动得少)`,
    rx`\bbaby (?:hasn't|has not|hasn't been|isn't|is not|stopped|not) mov|\b(?:reduced|decreased|less|no) (?:fetal|foetal|baby'?s?) movements?\b|\bbaby (?:is )?moving less\b`,
  ],
}

export const watersBroken: Sign = {
  name: 'waters broken',
  patterns: [rx`破水|羊水(?:破了|流出|在流)|\bwaters? (?:has |have )?(?:just )?(?:broken|broke|went|gone)\b|\bleaking fluid\b`],
}

const regularContractions: Sign = {
  name: 'regular contractions (timed)',
  patterns: regularContractionWords.map((words) => new RegExp(words, 'u')),
}

/** Before 34 weeks: waters breaking or labour is very preterm (steroids, a unit with neonatal care). */
export const gestationBefore34Weeks: Sign = {
  name: 'under 34 weeks pregnant',
  standing: true,
  patterns: [...gestationWeeks, ...gestationMonths].map((words) => new RegExp(words, 'u')),
  accept: (groups) => {
    const number = parsePatientNumber(groups[1] ?? '')
    if (number === null) return false
    const weeks = /月|month/.test(groups[0] ?? '') ? number * 4.3 + 2 : number
    return weeks >= 14 && weeks < 34
  },
}

export const postpartum: Sign = {
  name: 'days or weeks after giving birth',
  standing: true,
  patterns: [new RegExp(postpartumWords, 'u')],
}

export const heavyBleedingAfterBirth: Sign = {
  name: 'bleeding more than lochia: increasing, large clots, soaked pads',
  patterns: [new RegExp(heavyAfterBirthWords, 'u')],
}

export const contractions: Sign = {
  name: 'regular contractions',
  patterns: [rx`规律宫缩|宫缩|肚子(?:一阵一阵|一阵阵)地?(?:发紧|发硬|疼|痛)|\bcontractions\b`],
}

const emergency = {
  'zh-CN': '孕期危急情况：立即送产科急诊（有产科的医院），监测血压、胎心；病人不在院内则拨打 120。',
  en: 'Pregnancy emergency: send to obstetric emergency (a hospital with a maternity unit) now; check blood pressure and fetal heart. If the patient is not on site, call 120.',
}
const preEclampsia = {
  'zh-CN': '警惕子痫前期：立即测血压和尿蛋白，送产科急诊；血压 ≥160/110 或有抽搐按子痫处理（硫酸镁）。',
  en: 'Possible pre-eclampsia: check blood pressure and urine protein now and send to obstetric emergency; at ≥160/110 or with a fit, treat as eclampsia (magnesium sulfate).',
}
const labourWard = {
  'zh-CN': '今日（尽快）到产科/产房评估：胎心监护、是否临产或胎膜早破；若出血、剧痛或胎动减少则立即急诊。',
  en: 'Go to the labour ward today, as soon as possible: fetal monitoring, labour or ruptured membranes; bleeding, severe pain or fewer movements mean emergency.',
}

function pregnancyRule(id: string, level: TriageRule['level'], needs: TriageRule['needs'], action: TriageRule['action']): TriageRule {
  return { id: `pregnancy-emergency.${id}`, category: 'pregnancy-emergency', level, needs, patient: pregnantPatient, action }
}

/** Rules whose signs say the pregnancy themselves (胎动, waters at 28 weeks, after the birth). */
function pregnancySaidRule(id: string, level: TriageRule['level'], needs: TriageRule['needs'], action: TriageRule['action']): TriageRule {
  return { id: `pregnancy-emergency.${id}`, category: 'pregnancy-emergency', level, needs, action }
}

export const pregnancyRules: TriageRule[] = [
  pregnancyRule('bleeding', 'emergency', [vaginalBleeding], emergency),
  pregnancyRule('severe-abdominal-pain', 'emergency', [severeAbdominalPain], emergency),
  pregnancyRule('severe-headache', 'emergency', [severeHeadache], preEclampsia),
  pregnancyRule('headache-and-high-blood-pressure', 'emergency', [headache, [bloodPressureHighInPregnancy, highBloodPressureSaid]], preEclampsia),
  pregnancyRule('blurred-vision', 'emergency', [blurredVision, [headache, bloodPressureHighInPregnancy, highBloodPressureSaid]], preEclampsia),
  pregnancyRule('very-high-blood-pressure', 'emergency', [bloodPressureSevereInPregnancy], preEclampsia),
  pregnancyRule('fit', 'emergency', [fitting], preEclampsia),
  pregnancySaidRule('fewer-fetal-movements', 'emergency', [reducedFetalMovements], emergency),
  pregnancySaidRule('very-preterm-waters-or-labour', 'emergency', [[watersBroken, regularContractions], gestationBefore34Weeks], emergency),
  pregnancySaidRule('postpartum-haemorrhage', 'emergency', [postpartum, heavyBleedingAfterBirth], emergency),
  pregnancyRule('waters-broken', 'urgent', [watersBroken], labourWard),
  pregnancyRule('contractions', 'urgent', [contractions], labourWard),
]
