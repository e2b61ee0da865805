// Chest pain that may be a heart attack (or an aortic dissection, or a pulmonary embolism).
// Any new chest pain gets an ECG today; with cardiac features, in someone over 45, or in someone
// with heart disease or diabetes, it is an emergency.
import { G, N, rx } from '../patterns.ts'
import { olderAdult } from '../patient-facts.ts'
import type { Sign, TriageRule } from '../types.ts'
import { diabetic, heartDisease } from './shared-signs.ts'
import { enCardiacQualities, enChestPain, enChestSites, enSpread, zhCardiacQualities, zhChestSites, zhNotChestPain, zhPainWords, zhSpread } from './chest-vocabulary.ts'

export const chestPain: Sign = {
  name: 'chest pain or tightness',
  acuteOnly: true,
  patterns: [
    rx`胸(?:口|部|前|前区|骨后|骨后面|膛)?(?:有点|有些|很|好|特别|非常|一阵阵|阵阵|一直|突然|剧烈)?(?:痛|疼|闷|憋|发紧|紧|压迫|不适|难受|堵|发闷|憋闷|绞痛|刺痛|隐痛|胀痛|闷痛|压榨)`,
    // 胸口一阵阵地疼, 心口一阵阵绞着疼 — but not 胸口长了个痘痘有点疼, 胸口皮肤痒.
    rx`(?:胸(?:口|部|前|前区|骨后|膛)|心口|心前区|心脏)(?:(?!皮|痘|疹|痒|包|肿块|硬块|结节|ct|片|毛|病|科|彩超|造影|支架|手术|腿|膝|脚|手|腰|头|牙|胃|肚|眼|嗓|不好)${G}){1,8}(?:痛|疼|闷|憋|绞|压着|发紧)`,
    rx`胸(?:口|部|前|膛)?(?:像|好像|跟|就像)${G}{0,8}(?:压|石头|绑|勒|捆|箍|挤)`,
    rx`心口(?:有点|很|好)?(?:痛|疼|闷|憋|难受|绞痛)|心前区(?:痛|疼|不适|闷)|心脏(?:有点|很|好)?(?:痛|疼|绞痛)|心绞痛|压榨(?:样|性)?(?:痛|疼|感)`,
    // Any lay name of the chest with a pain word close after it in the clause (左胸剧痛, 心口子疼), or
    // the pain said first (疼在胸口).
    new RegExp(`${zhChestSites}(?:${zhNotChestPain}${G}){0,6}${zhPainWords}`, 'u'),
    new RegExp(`(?:痛|疼)(?:在|的是|的地方是)${G}{0,2}${zhChestSites}`, 'u'),
    new RegExp(enChestPain, 'u'),
    rx`\b(?:my|his|her|the) chest (?:is )?(?:killing|hurting|aching|burning)\b|\bpain in the (?:middle|centre|center|front|left side) of (?:my|his|her|the) chest\b|\b(?:my|his|her) heart (?:hurts|is hurting|aches)\b`,
    rx`\bchest (?:pain|pains|tightness|pressure|discomfort|heaviness|hurts|is hurting|is tight|feels (?:tight|heavy|like|crushed)|is heavy)|\b(?:pain|pressure|tightness|heaviness|squeezing|discomfort|ache|crushing feeling|feeling|tight band|band|weight|vice) (?:in|on|across|behind|round|around) (?:my|his|her|the) (?:chest|breastbone|sternum)\b|\btight(?:ness)? (?:in|across) (?:my|his|her|the) chest\b|\bcrushing (?:chest )?pain\b|\belephant on (?:my|his|her) chest\b|\bhaving a heart attack\b|\bangina\b`,
  ],
}

export const cardiacFeatures: Sign = {
  name: 'cardiac features',
  patterns: [
    // The vocabulary's slots: quality and severity, spread, sudden onset (chest-vocabulary.ts).
    new RegExp(`${zhCardiacQualities}|${zhSpread}|突然|突发|一下子|猛地`, 'u'),
    new RegExp(`${enCardiacQualities}|${enSpread}|\\b(?:suddenly|all of a sudden|out of nowhere|came on (?:suddenly|fast))\\b`, 'u'),
    new RegExp(`${enChestSites}${G}{0,40}\\b(?:and|with)\\b${G}{0,20}\\b(?:sweat|sweating|sweaty|clammy|short of breath|breathless|sick|nause)`, 'u'),
    rx`剧烈|剧痛|压榨|石头|压着|撕裂|刀割|憋得|紧缩|濒死|快不行了|(?:出|冒)了?(?:一身)?(?:冷)?汗|(?:一头|一身|满头|满身|全身)的?(?:冷)?汗|大汗|一直出汗|放射`,
    rx`(?:左)?(?:肩膀?|胳膊|手臂|左臂|下巴|下颌|牙|后背|背|脖子)${G}{0,3}(?:痛|疼|麻|酸|发麻)|(?:痛|疼)(?:到|至|得)?${G}{0,3}(?:左边)?(?:肩膀?|胳膊|手臂|下巴|下颌|后背|背)`,
    rx`喘不上气|喘不过气|呼吸困难|气短|气促|上不来气|恶心|想吐|呕吐`,
    rx`(?:${N}|半|几)个?多?(?:小时|钟头)|一上午|一下午|一晚上|一整天|(?:${N}|几)多?分钟(?:了|都|还|也)|持续`,
    rx`硝酸甘油${G}{0,6}(?:没用|不管用|无效|不缓解|没缓解)|(?:爬|上)${G}{0,3}楼|走路|走几步|活动(?:后|时|一下)|一动就|干活|运动(?:后|时)|(?:脸色|面色|脸)(?:苍白|发白|发灰|煞白|惨白)`,
    rx`\bsweat|\bclammy\b|\bradiat|\b(?:goes|going|spreads?|spreading|moves?|moving) (?:into|to|down) (?:my|his|her|the) (?:left )?(?:arm|jaw|back|neck|shoulder)|\b(?:arm|jaw|shoulder) (?:pain|hurts|aches)\b`,
    rx`\bshort(?:ness)? of breath\b|\bbreathless\b|\bcan't breathe\b|\bnause|\bfeel(?:ing)? sick\b|\bvomit|\bcrushing\b|\bsqueezing\b|\btearing\b|\btight band\b|\bvice\b|\bon exertion\b|\bclimbing stairs\b|\bgr[ae]y\b|\bpale\b`,
    rx`\bfor (?:over |more than |about )?(?:\d+|twenty|thirty|forty|an?|half an) (?:minutes?|mins?|hours?)\b`,
  ],
}

/**
 * Chest pain already explained: the chest wall (a strained muscle, tender when pressed, after the
 * gym or lifting) or a doctor who has examined it (a normal ECG and enzymes). It lowers only the
 * "any chest pain" flag: cardiac features, age or heart disease still make it an emergency.
 */
export const chestPainExplained: Sign = {
  name: 'chest wall pain or chest pain already examined',
  patterns: [
    rx`肌肉(?:酸痛|拉伤|疼)|一按就(?:疼|痛)|按着(?:疼|痛)|按压(?:痛|疼)|练胸|健身|搬${G}{0,6}(?:拉伤|扭|闪)|(?:心电图|心肌酶|肌钙蛋白|检查)${G}{0,8}(?:都)?(?:正常|没问题)|医生${G}{0,3}说是${G}{0,10}(?:神经痛|肌肉|胃|反流|岔气|软骨炎)`,
    rx`\bpulled (?:a|my) (?:chest )?muscle\b|\bwhen (?:i|you) press\b|\btender to (?:the )?touch\b|\b(?:ecg|ekg|troponin|blood tests?|tests?) (?:was|were|came back|is|are) (?:normal|fine|clear)\b`,
  ],
}

const action = {
  emergency: {
    'zh-CN': '按急性冠脉综合征处理：10 分钟内做 12 导联心电图，监测生命体征，建立静脉通路；病人不在院内则让其立即拨打 120，不要自行驾车。',
    en: 'Treat as acute coronary syndrome: 12-lead ECG within 10 minutes, vital signs, IV access. If the patient is not on site, they must call 120 now and not drive themselves.',
  },
  urgent: {
    'zh-CN': '今日内当面评估并做心电图；如疼痛加重、出冷汗或气促，立即转急诊。',
    en: 'See in person today with an ECG; if the pain worsens or sweating or breathlessness starts, send to the emergency department at once.',
  },
}

export const chestPainRules: TriageRule[] = [
  { id: 'chest-pain.cardiac-features', category: 'chest-pain', level: 'emergency', needs: [chestPain, cardiacFeatures], action: action.emergency },
  {
    id: 'chest-pain.heart-disease-or-diabetes',
    category: 'chest-pain',
    level: 'emergency',
    needs: [chestPain, [heartDisease, diabetic]],
    action: action.emergency,
  },
  { id: 'chest-pain.over-45', category: 'chest-pain', level: 'emergency', needs: [chestPain], patient: olderAdult, action: action.emergency },
  { id: 'chest-pain.any', category: 'chest-pain', level: 'urgent', needs: [chestPain], unless: [chestPainExplained], action: action.urgent },
]
