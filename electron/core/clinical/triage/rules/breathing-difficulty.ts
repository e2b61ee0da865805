// Difficulty breathing: can't breathe, can't finish a sentence, blue lips, the chest wall sucking
// in, an asthma attack the inhaler does not relieve, choking. Mild breathlessness that is new or
// worse gets a same-day review.
import { G, rx } from '../patterns.ts'
import type { Sign, TriageRule } from '../types.ts'
import {
  enBreathlessFigurative,
  enCannotSpeak,
  enRelieverFails,
  enWorkOfBreathing,
  zhBreathlessOnEffort,
  zhCannotGetBreath,
  zhCannotSpeak,
  zhCyanosis,
  zhNasalFlaring,
  zhRecession,
  zhRelieverFails,
  zhSeverity,
} from './breathing-difficulty-vocabulary.ts'

/** Breath words that mean breathlessness (not 呼吸 itself: 呼吸正常，说不出话 is a stroke). */
const zhDyspnoea = '(?:气紧|气短|气促|气急|喘|憋|上不来气|透不过气)'

export const severeBreathlessness: Sign = {
  name: 'severe difficulty breathing',
  patterns: [
    rx`呼吸困难|喘不(?:上|过)来?气|上不来气|吸不进(?:去)?气|透不过气|吸不上气|喘不动|气都喘不过来|无法呼吸|不能呼吸|憋得(?:慌|难受|要死|要命|不行|喘不过气|脸通红|脸发紫)|憋死`,
    rx`喘得(?:很|特别|非常)?(?:厉害|不行|受不了|说不出话)|喘得比平时厉害|说话(?:都)?(?:说不完整|说不成句|断断续续)|话(?:都)?说不(?:全|完整|成句|完)`,
    rx`鼻子一张一张|鼻孔一张一张|肚子一鼓一鼓|发绀|三凹征|鼻翼(?:扇动|煽动)`,
    rx`(?:肋骨|肋间|锁骨|胸口|肚子)(?:下面|下方|上面|上方|之间)?${G}{0,3}凹(?:进去|陷)|吸气${G}{0,8}凹(?:进去|陷)`,
    rx`躺不下|不能平躺|躺下就喘|只能坐着|哮喘${G}{0,6}(?:喷|吸)${G}{0,8}(?:不管用|没用|无效|不缓解)`,
    rx`\bcan't breathe\b|\b(?:can|could) (?:barely|hardly) breathe\b|\b(?:stop|stopping|pause|pausing) (?:every|after) (?:a )?few words\b|\bcannot breathe\b|\bcan't catch (?:my|his|her) breath\b|\bstruggling (?:to breathe|to get air|for air|for breath)\b|\bdifficulty breathing\b|\btrouble breathing\b|\bhard to breathe\b|\bgasping\b|\bchoking\b`,
    rx`\blips\b${G}{0,12}\b(?:blue|purple|gr[ae]y)\b|\bcan't (?:speak|talk) in (?:full )?sentences\b`,
    // The vocabulary's slots (breathing-difficulty-vocabulary.ts): blue lips or face, recession,
    // flaring nostrils, a reliever that fails, breathless and unable to speak, dialect words.
    new RegExp(`${zhCyanosis}|${zhRecession}|${zhNasalFlaring}|${zhRelieverFails}|${zhCannotGetBreath}`, 'u'),
    new RegExp(`(?:气紧|气短|气促|气急|喘)${zhSeverity}|${zhDyspnoea}[^。!?\\n]{0,24}${zhCannotSpeak}`, 'u'),
    new RegExp(`${enCannotSpeak}|${enWorkOfBreathing}|${enRelieverFails}`, 'u'),
  ],
}

export const breathlessness: Sign = {
  name: 'breathlessness',
  acuteOnly: true,
  patterns: [
    rx`气短|气促|气急|气紧|呼吸急促|呼吸(?:很|特别|非常)?(?:快|费力)|(?:走几步|一动|动一下)就(?:喘|气短)|有点喘|很喘|气喘|喘气${G}{0,2}(?:困难|费劲|费力)`,
    new RegExp(zhBreathlessOnEffort, 'u'),
    new RegExp(`\\bshort of breath\\b|\\bshortness of breath\\b|(?<!\\bleft (?:me|him|her|us) )\\bbreathless(?:ness)?\\b${enBreathlessFigurative}|\\bsob\\b|\\bout of breath\\b`, 'u'),
  ],
}

/** Puffed after a run or the stairs and fine again within minutes: what effort does to anyone. */
const settledAfterEffort: Sign = {
  name: 'breathless on effort, settled at once',
  patterns: [
    rx`\b(?:running|ran|run|rushing|hurrying|climbing|sprinting|jogging|exercis\w*|stairs)\b[^.!?\n]{0,40}\b(?:fine|ok|okay|better|normal|settled)(?: again)? (?:after|within|in) (?:a|one|\d+|a few|a couple of|half a) (?:minute|minutes|min|mins|seconds?)\b`,
    rx`(?:跑|爬楼|爬山|运动|锻炼|赶车|赶公交)[^。!?\n]{0,16}(?:歇|休息|缓|停)(?:了)?(?:一会儿?|一下|几分钟|一分钟|片刻)(?:就)?(?:好了|没事了|缓过来了)`,
  ],
}

export const breathingRules: TriageRule[] = [
  {
    id: 'breathing-difficulty.severe',
    category: 'breathing-difficulty',
    level: 'emergency',
    needs: [severeBreathlessness],
    action: {
      'zh-CN': '立即评估气道与呼吸：测血氧、呼吸频率，吸氧，半卧位；哮喘者给支气管扩张剂；病人不在院内则拨打 120。',
      en: 'Assess airway and breathing now: oxygen saturation and respiratory rate, give oxygen, sit the patient up; bronchodilator for asthma. If the patient is not on site, call 120.',
    },
  },
  {
    id: 'breathing-difficulty.breathless',
    category: 'breathing-difficulty',
    level: 'urgent',
    needs: [breathlessness],
    unless: [settledAfterEffort],
    action: {
      'zh-CN': '今日内评估：测血氧和呼吸频率，听诊；血氧低于 94% 或静息时气促则转急诊。',
      en: 'Assess today: oxygen saturation, respiratory rate, chest examination; send to the emergency department if saturation is below 94% or the patient is breathless at rest.',
    },
  },
]
