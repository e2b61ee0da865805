// Coughing up blood: more than streaks in the sputum needs a doctor today; mouthfuls are an
// emergency (the airway can fill).
import { G, rx } from '../patterns.ts'
import type { Sign, TriageRule } from '../types.ts'
import { enBloodAdjectives, enCoughVerbs, enLargeAmounts, zhBlood, zhCoughVerbs, zhLargeAmounts } from './coughing-blood-vocabulary.ts'

export const coughingBlood: Sign = {
  name: 'coughing up blood',
  patterns: [
    rx`咳血|咯血|咳(?:嗽)?${G}{0,3}(?:带血|有血|出血)(?!丝)|咳出来?的?(?:是)?鲜?血|痰(?:中|里)(?:带|有)(?:很多)?鲜?血(?!丝)`,
    rx`\bcough(?:ing|ed)? (?:up )?blood\b|\bha?emoptysis\b`,
    // The vocabulary's slots: a cough verb, an amount or colour, blood (咳了半杯血, coughing up fresh blood).
    new RegExp(`${zhCoughVerbs}(?:了|出)?来?${G}{0,6}${zhBlood}`, 'u'),
    new RegExp(`\\b${enCoughVerbs} (?:up )?(?:${enLargeAmounts} )?${enBloodAdjectives}blood\\b`, 'u'),
  ],
}

export const massiveHaemoptysis: Sign = {
  name: 'coughing up mouthfuls of blood',
  patterns: [
    rx`大口(?:大口)?地?(?:咯血|咳血|吐血)|(?:咯血|咳血)(?:很多|量(?:很)?大|一大口)|\bcoughing up (?:a lot of|lots of|cups of|mouthfuls of) blood\b`,
    new RegExp(`${zhCoughVerbs}(?:了|出)?来?${G}{0,4}${zhLargeAmounts}${G}{0,3}${zhBlood}|(?:咯血|咳血)${G}{0,4}${zhLargeAmounts}`, 'u'),
    new RegExp(`\\b${enCoughVerbs} (?:up )?${enLargeAmounts} ${enBloodAdjectives}blood\\b`, 'u'),
  ],
}

export const coughingBloodRules: TriageRule[] = [
  {
    id: 'coughing-blood.massive',
    category: 'coughing-blood',
    level: 'emergency',
    needs: [massiveHaemoptysis],
    action: {
      'zh-CN': '大咯血：立即呼叫 120 或送急诊，患侧卧位保持气道通畅，吸氧，建立静脉通路。',
      en: 'Massive haemoptysis: call 120 or go to the emergency department now; lie on the bleeding side to protect the airway, oxygen, IV access.',
    },
  },
  {
    id: 'coughing-blood.any',
    category: 'coughing-blood',
    level: 'urgent',
    needs: [coughingBlood],
    action: {
      'zh-CN': '今日内就诊：测血氧，拍胸片，查血常规和凝血；有胸痛、气促或出血量增加则转急诊。',
      en: 'See today: oxygen saturation, chest X-ray, blood count and clotting; chest pain, breathlessness or more blood mean emergency department.',
    },
  },
]
