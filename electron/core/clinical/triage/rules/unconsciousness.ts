// Loss of consciousness: unresponsive now (叫不醒, 不省人事, collapsed) is an emergency; a faint the
// patient came round from needs an ECG and an assessment today. 头晕, 晕车 and 晕血 are not faints,
// and 差点晕倒 did not happen (negation reads 差点). "几十秒没有意识" is a faint that passed.
import { G, rx } from '../patterns.ts'
import type { Sign, TriageRule } from '../types.ts'

/** Drowsy beyond sleep: 昏昏沉沉, 迷迷糊糊, 嗜睡, 眼睛都睁不开. */
const zhStupor = '(?:昏昏沉沉|昏沉|迷迷糊糊|昏睡|嗜睡|睡不醒|眼睛(?:都|也)?睁不开)'
/** Answers a call or a shake only with a groan. */
const zhOnlyGroans = `(?:叫|喊|拍|摇|推|掐)(?:他|她|人)?(?:也|都)?${G}{0,3}(?:只|就只|也只|只是)(?:会)?(?:哼|嗯|呻吟|应)(?:了)?(?:一|两)?(?:声|下)`

export const unresponsive: Sign = {
  name: 'unresponsive',
  patterns: [
    rx`昏迷|不省人事|人事不省|叫不醒|喊不醒|(?:叫|喊)(?:他|她)?(?:也|都)?不应|(?:叫|喊|拍|摇|推|掐)${G}{0,4}(?:都|也)?没(?:有)?反应|(?:怎么|咋)${G}{0,3}(?:都|也)(?:叫不醒|醒不过来)|(?:人|他|她)(?:已经)?(?:没|没有|无)(?:有)?反应|(?<!(?:秒|分钟)(?:钟|左右)?)没(?:有)?意识|失去(?:了)?意识|意识丧失|倒地不起|突然倒(?:在)?地|突然倒下`,
    // Drowsy all day and answering a call or a shake only with a groan (AVPU "voice" or "pain"):
    // 昏昏沉沉的，叫她只哼一声. Not a child called for school who groans and sleeps on.
    new RegExp(`${zhStupor}[^。!?\\n]{0,20}${zhOnlyGroans}|${zhOnlyGroans}[^。!?\\n]{0,20}${zhStupor}`, 'u'),
    rx`\bunconscious\b|\bunresponsive\b|\bnot responding\b|\bwon't wake|\bcan't wake|\bcannot wake|\bnot waking\b|\bout cold\b|\bcollapsed\b`,
    rx`\b(?:not|isn't|hasn't|has not|won't|didn't|still not) (?:coming|come|came) (?:round|around|to)\b|\b(?:really|very|so|extremely|too) hard to (?:wake|rouse)\b(?! (?:in|on) the mornings?| for school| up for)|\bcan(?:'t|not) rouse\b|\bonly (?:groans|moans|grunts|mumbles|murmurs)\b(?= when (?:we|i|you|they|someone) (?:shake|pinch|shout|rub|call|tap))|\bonly responds to pain\b|\bbarely (?:rousable|responsive|conscious)\b`,
  ],
}

export const fainted: Sign = {
  name: 'fainted',
  // 感觉要晕倒了, 快晕过去了: about to faint, which did not happen (dizziness covers it).
  patterns: [rx`(?<!要|快)(?:晕倒|昏倒|晕过去)|昏过去|晕厥|昏厥|晕了过去|失去知觉|\bfainted\b|\bfainting\b|\bpassed out\b|\bblacked out\b|\bblackout\b|\bsyncope\b|\blost consciousness\b`],
}

export const unconsciousnessRules: TriageRule[] = [
  {
    id: 'unconsciousness.unresponsive',
    category: 'unconsciousness',
    level: 'emergency',
    needs: [unresponsive],
    action: {
      'zh-CN': '立即检查气道、呼吸和脉搏（无呼吸按心跳骤停处理），测血糖，侧卧位；病人不在院内则拨打 120。',
      en: 'Check airway, breathing and pulse now (no breathing: treat as cardiac arrest), check glucose, recovery position. If the patient is not on site, call 120.',
    },
  },
  {
    id: 'unconsciousness.fainted',
    category: 'unconsciousness',
    level: 'urgent',
    needs: [fainted],
    action: {
      'zh-CN': '今日内评估晕厥：心电图、卧立位血压、血糖；运动中晕厥、伴胸痛心悸或有心脏病者转急诊。',
      en: 'Assess the faint today: ECG, lying and standing blood pressure, glucose; a faint during exertion, with chest pain or palpitations, or with heart disease goes to the emergency department.',
    },
  },
]
