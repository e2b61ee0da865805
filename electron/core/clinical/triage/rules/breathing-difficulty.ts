// Difficulty breathing: can't breathe, can't finish a sentence, blue lips, the chest wall sucking
// in, an asthma attack the inhaler does not relieve, choking. Mild breathlessness that is new or
// worse gets a same-day review.
import { G, rx } from '../patterns.ts'
import type { Sign, TriageRule } from '../types.ts'

export const severeBreathlessness: Sign = {
  name: 'severe difficulty breathing',
  patterns: [
    rx`呼吸困难|喘不(?:上|过)来?气|上不来气|吸不进(?:去)?气|透不过气|吸不上气|喘不动|气都喘不过来|无法呼吸|不能呼吸|憋得(?:慌|难受|要死|要命|不行|喘不过气|脸通红|脸发紫)|憋死`,
    rx`喘得(?:很|特别|非常)?(?:厉害|不行|受不了|说不出话)|喘得比平时厉害|说话(?:都)?(?:说不完整|说不成句|断断续续)|话(?:都)?说不(?:全|完整|成句|完)`,
    rx`嘴唇(?:有点|有些|都|也)?(?:发紫|发青|青紫|发乌|紫)|鼻子一张一张|鼻孔一张一张|肚子一鼓一鼓|口唇(?:发绀|青紫|发紫)|发绀|三凹征|鼻翼(?:扇动|煽动)`,
    rx`(?:肋骨|肋间|锁骨|胸口|肚子)(?:下面|下方|上面|上方|之间)?${G}{0,3}凹(?:进去|陷)|吸气${G}{0,8}凹(?:进去|陷)`,
    rx`躺不下|不能平躺|躺下就喘|只能坐着|哮喘${G}{0,6}(?:喷|吸)${G}{0,8}(?:不管用|没用|无效|不缓解)`,
    rx`\bcan't breathe\b|\b(?:can|could) (?:barely|hardly) breathe\b|\b(?:stop|stopping|pause|pausing) (?:every|after) (?:a )?few words\b|\bcannot breathe\b|\bcan't catch (?:my|his|her) breath\b|\bstruggling (?:to breathe|to get air|for air|for breath)\b|\bdifficulty breathing\b|\btrouble breathing\b|\bhard to breathe\b|\bgasping\b|\bchoking\b`,
    rx`\blips\b${G}{0,12}\b(?:blue|purple|gr[ae]y)\b|\bcan't (?:speak|talk) in (?:full )?sentences\b`,
  ],
}

export const breathlessness: Sign = {
  name: 'breathlessness',
  acuteOnly: true,
  patterns: [
    rx`气短|气促|气急|呼吸急促|呼吸(?:很|特别|非常)?(?:快|费力)|(?:走几步|一动|动一下)就(?:喘|气短)|有点喘|很喘|气喘|喘气${G}{0,2}(?:困难|费劲|费力)`,
    rx`\bshort of breath\b|\bshortness of breath\b|\bbreathless|\bsob\b|\bout of breath\b`,
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
    action: {
      'zh-CN': '今日内评估：测血氧和呼吸频率，听诊；血氧低于 94% 或静息时气促则转急诊。',
      en: 'Assess today: oxygen saturation, respiratory rate, chest examination; send to the emergency department if saturation is below 94% or the patient is breathless at rest.',
    },
  },
]
