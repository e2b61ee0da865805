// A bite or scratch from a dog, cat, bat or other mammal that broke the skin: rabies
// post-exposure prophylaxis (wound care, vaccine, immunoglobulin for category III) the same day.
// A lick on intact skin and insect bites are not flagged.
import { G, rx } from '../patterns.ts'
import type { Sign, TriageRule } from '../types.ts'

const animal = '(?:狗|猫|老鼠|蝙蝠|猴子?|狐狸|浣熊|狼|野兽)'

export const mammalBite: Sign = {
  name: 'bitten or scratched by a mammal',
  patterns: [
    rx`被${G}{0,6}${animal}${G}{0,2}(?:咬|抓|挠)|${animal}(?:咬|抓|挠)(?:了|伤|破)(?:我|他|她|孩子|宝宝)?`,
    rx`\b(?:bitten|scratched) by (?:a |an |the |my |our |his |her )?(?:stray |neighbour'?s |neighbor'?s )?(?:dog|cat|bat|monkey|fox|rat|raccoon|animal)\b|\b(?:dog|cat|bat|monkey) (?:bite|scratch)\b`,
  ],
}

/**
 * The course already started for this bite (当天就打了狂犬疫苗, 想问第二针): a question about the
 * schedule, not a new exposure. A course from another, earlier bite is history and does not count.
 */
export const rabiesCourseStarted: Sign = {
  name: 'rabies vaccine course already started',
  patterns: [
    rx`(?:已经|当天|当时|马上|及时|第一时间)${G}{0,4}(?:就)?打(?:了|完)${G}{0,4}(?:狂犬|疫苗|第一针)|打完(?:了)?第[一二三四]针|第[二三四五]针${G}{0,6}(?:什么时候|啥时候|哪天|几号|怎么)|\b(?:already|had) (?:had |got |started )?(?:the |my |his |her )?(?:first )?(?:rabies )?(?:jab|shot|vaccine|injection|dose)s?\b${G}{0,20}\b(?:when|next|second|2nd)\b|\bwhen (?:is|should|do) (?:i|he|she|we) (?:get |have )?(?:the |my |his |her )?(?:second|next|2nd|third|3rd) (?:jab|shot|dose|vaccine|injection)`,
  ],
}

export const animalBiteRules: TriageRule[] = [
  {
    id: 'animal-bite.rabies-exposure',
    category: 'animal-bite',
    level: 'urgent',
    needs: [mammalBite],
    unless: [rabiesCourseStarted],
    action: {
      'zh-CN': '狂犬病暴露：今日内处理伤口（肥皂水和流水交替冲洗 15 分钟），按暴露分级接种狂犬病疫苗，Ⅲ级暴露加用被动免疫制剂；评估破伤风。',
      en: 'Rabies exposure: wound care today (soap and running water for 15 minutes), rabies vaccine by exposure category, plus immunoglobulin for category III; check tetanus.',
    },
  },
]
