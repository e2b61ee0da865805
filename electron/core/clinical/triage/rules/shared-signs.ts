// Signs that several categories use: fever, headache, vomiting, confusion, and the standing facts
// (diabetes, blood thinners, heart disease, chemotherapy) that make a symptom more dangerous.
import { G, rx } from '../patterns.ts'
import { thermometerFever } from '../readings.ts'
import type { Sign } from '../types.ts'

export const feverWords: Sign = {
  name: 'fever (in words)',
  patterns: [
    rx`发烧|发热(?!门诊|贴|病人|患者)|高烧|低烧|高热|烧到|烧得(?:很|厉害|滚烫)|体温(?:升高|高|偏高)|(?:摸着|摸起来|浑身|全身|额头)(?:很|好|特别)?(?:烫|滚烫)`,
    rx`\bfever|\bfebrile\b|\bfeels? (?:very |really |so )?hot\b|\bhot to (?:the )?touch\b|\bhigh temperature\b`,
  ],
}

/** Fever: said in words, or a thermometer reading of 38 °C or more. */
export const fever: readonly Sign[] = [feverWords, thermometerFever]

export const headache: Sign = {
  name: 'headache',
  patterns: [rx`头(?:部)?(?:很|好|特别|有点|有些|也|一直)?(?:痛|疼|胀痛|胀|涨)|脑袋(?:很|好|有点)?(?:痛|疼)|\bheadache|\bhead (?:hurts|is pounding|is killing)`],
}

export const severeHeadache: Sign = {
  name: 'severe headache',
  patterns: [
    rx`剧烈(?:的)?(?:头痛|头疼)|头(?:痛|疼)(?:得)?(?:很|非常|特别)?(?:剧烈|厉害|要命|受不了|难忍)|头(?:痛|疼)欲裂|(?:头痛|头疼)(?:得)?(?:像|好像)?(?:要)?(?:炸|裂)(?:开)?|炸裂(?:样|般)?(?:的)?(?:头痛|头疼)|头${G}{0,3}(?:炸开|炸裂|裂开|要炸|要裂)`,
    rx`\bsevere headache|\bheadache (?:is )?(?:severe|unbearable|terrible|excruciating)|\bexcruciating headache|(?:头痛|头疼|headache)${G}{0,3}\bsevere\b`,
  ],
}

export const vomiting: Sign = {
  name: 'vomiting',
  patterns: [
    rx`呕吐|吐了|吐得|一直吐|老是吐|上吐下泻|(?:喝|吃)(?:水|奶|东西|什么)?(?:就|都)吐|\bvomit|\bthrowing up\b|\bthrew up\b|\bbeing sick\b`,
  ],
}

export const nausea: Sign = {
  name: 'nausea',
  patterns: [rx`恶心|想吐|反胃|\bnause|\bfeel(?:ing)? sick\b`],
}

export const diarrhoea: Sign = {
  name: 'diarrhoea',
  patterns: [rx`拉肚子|腹泻|拉稀|上吐下泻|水样便|\bdiarrh|\bloose stools?\b|\bthe runs\b`],
}

export const confusion: Sign = {
  name: 'confusion or drowsiness',
  patterns: [
    rx`意识模糊|神志不清|意识不清|说胡话|胡言乱语|迷迷糊糊|糊里糊涂|(?:人|脑子)糊涂|认不出人|反应(?:很|特别|非常)?(?:慢|迟钝|差)|嗜睡|昏睡|叫不醒`,
    rx`\bconfus|\bdisorient|\bnot making sense\b|\bdrowsy\b|\bhard to wake\b`,
  ],
}

export const drowsy: Sign = {
  name: 'drowsy or floppy',
  patterns: [
    rx`嗜睡|昏睡|(?:一直|老是?|总是?)(?:想)?睡|犯困|叫不醒|精神(?:很|特别|非常)?(?:差|萎靡)|蔫|没精神`,
    rx`\blethargic\b|\bfloppy\b|\bvery sleepy\b|\bdrowsy\b|\bhard to wake\b`,
  ],
}

export const dizziness: Sign = {
  name: 'dizziness',
  patterns: [rx`头晕|头昏|发晕|晕乎|晕晕|快(?:要)?晕|要晕(?:倒|过去)|眼前发黑|眼前一黑|\bdizz|\blight-?headed\b`],
}

export const diabetic: Sign = {
  name: 'diabetic',
  standing: true,
  patterns: [
    rx`糖尿病|胰岛素|降糖药|二甲双胍|格列(?:美脲|齐特|吡嗪|本脲|喹酮)|阿卡波糖|\bdiabet|\btype [12]\b|\binsulin\b|\bmetformin\b|\bgliclazide\b|\bglipizide\b|\bsulfonylurea`,
  ],
}

export const bloodThinner: Sign = {
  name: 'takes a blood thinner',
  standing: true,
  patterns: [
    rx`华法林|阿司匹林|氯吡格雷|利伐沙班|达比加群|阿哌沙班|抗凝|\bwarfarin\b|\baspirin\b|\bclopidogrel\b|\brivaroxaban\b|\bapixaban\b|\bdabigatran\b|\bblood thinners?\b|\banticoagula`,
  ],
}

export const heartDisease: Sign = {
  name: 'known heart disease',
  standing: true,
  patterns: [rx`心梗|心肌梗死|心肌梗塞|冠心病|支架|搭桥|\bmi\b|\bheart attack\b|\bstents?\b|\bbypass\b|\bcoronary\b`],
}

export const chemotherapy: Sign = {
  name: 'on chemotherapy',
  patterns: [rx`化疗|放化疗|靶向药|白细胞(?:很|特别)?低|粒细胞缺乏|\bchemo|\bneutropeni`],
}

export const exercise: Sign = {
  name: 'during exercise',
  standing: true,
  patterns: [rx`跑步|运动|锻炼|健身|爬山|骑车|游泳|打球|\b(?:running|exercise|exercising|workout|jogging|gym)\b`],
}

export const reportedSuddenly: Sign = {
  name: 'sudden onset',
  patterns: [rx`突然|突发|一下子|猛地|猛然|\bsudden(?:ly)?\b|\ball of a sudden\b|\bcame on (?:suddenly|all at once)\b`],
}
