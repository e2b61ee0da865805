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

export const animalBiteRules: TriageRule[] = [
  {
    id: 'animal-bite.rabies-exposure',
    category: 'animal-bite',
    level: 'urgent',
    needs: [mammalBite],
    action: {
      'zh-CN': '狂犬病暴露：今日内处理伤口（肥皂水和流水交替冲洗 15 分钟），按暴露分级接种狂犬病疫苗，Ⅲ级暴露加用被动免疫制剂；评估破伤风。',
      en: 'Rabies exposure: wound care today (soap and running water for 15 minutes), rabies vaccine by exposure category, plus immunoglobulin for category III; check tetanus.',
    },
  },
]
