// Suicidal thoughts or self-harm. Thoughts alone need a same-day mental-health assessment; a plan,
// a method, an act of self-harm or thoughts with an overdose are emergencies. Fear of acting on it
// ("我怕我会做傻事") is itself a flag, so these signs opt out of the worry rule. Figures of speech
// (热死了, 笑死我了, 想死你了, 疼得想死, I'm dying to know) are not.
import { G, rx } from '../patterns.ts'
import type { Sign, TriageRule } from '../types.ts'
import { poisonSwallowed, tabletCount } from './poisoning.ts'

export const suicidalThoughts: Sign = {
  name: 'suicidal thoughts',
  fearCounts: true,
  patterns: [
    rx`(?<!(?:热|笑|累|吓|烦|疼|痛|困|饿|气|冷|难受|馋|美)得?)想死(?!你|您|了你|他|她|宝贝|我了)|不想(?:再)?活(?:了|下去)?|活着(?:真|太|都)?没(?:有)?(?:意思|意义|劲)|活着(?:真|太|好)?(?:累|痛苦)|(?:想|要)结束(?:这)?一切|活不下去|轻生|寻死|自杀|想不开|做傻事|了结(?:自己|生命)|结束(?:自己的?)?生命|一了百了|死了算了|不如死了`,
    rx`\bkill(?:ing)? (?:my|him|her)self\b|\bend(?:ing)? (?:my|his|her) (?:own )?life\b|\bend it all\b|\bsuicid|\bwants? to die\b|\bwish (?:i|he|she) (?:was|were) dead\b|\bdon't want to (?:live|be alive|be here)\b|\bbetter off without (?:me|him|her)\b`,
  ],
}

export const selfHarmOrPlan: Sign = {
  name: 'self-harm, a plan or a method',
  fearCounts: true,
  patterns: [
    rx`割腕|划了?(?:自己|手腕|胳膊)|割了?自己|(?:用刀|拿刀)${G}{0,4}(?:划|割)自己|自残|自伤|烫自己|跳楼|跳河|跳下去|上吊|遗书|写(?:好)?了?遗言|攒了?${G}{0,6}(?:药|安眠药)|(?:买|准备)(?:了|好)?${G}{0,4}(?:绳子|木炭|农药|安眠药)|烧炭自杀|吞药|(?:打算|准备|计划|决定)${G}{0,8}(?:吃药|跳楼|跳河|割腕|上吊|了结|结束|去死|自杀)`,
    rx`\b(?:cut|cutting|burn|burning|hurt|hurting|harm|harming) (?:my|him|her)self\b|\bself[- ]harm|\b(?:written|wrote|writing) (?:a )?(?:suicide )?note\b|\ba plan to (?:kill|end|die)\b|\bbought (?:a )?(?:rope|pills|charcoal)\b|\bsaving up (?:pills|tablets)\b|\bjump (?:off|from) (?:a|the) (?:bridge|building|roof|balcony|cliff)\b|\bhang (?:my|him|her)self\b`,
  ],
}

export const suicideRules: TriageRule[] = [
  {
    id: 'suicide-self-harm.plan-or-act',
    category: 'suicide-self-harm',
    level: 'emergency',
    needs: [selfHarmOrPlan],
    action: {
      'zh-CN': '自伤/自杀风险高：不要让病人独处，移走危险物品，立即精神科急诊评估并处理伤口；病人不在院内则拨打 120 或 110。',
      en: 'High risk of suicide or self-harm: do not leave the patient alone, remove means, emergency psychiatric assessment and wound care now. If the patient is not on site, call 120 or 110.',
    },
  },
  {
    id: 'suicide-self-harm.thoughts-with-overdose',
    category: 'suicide-self-harm',
    level: 'emergency',
    needs: [suicidalThoughts, [poisonSwallowed, tabletCount]],
    action: {
      'zh-CN': '自杀并已服药/毒物：按中毒立即急诊处理，同时不要让病人独处，安排精神科评估。',
      en: 'Suicidal with an overdose or poison taken: treat the poisoning as an emergency now, do not leave the patient alone, and arrange psychiatric assessment.',
    },
  },
  {
    id: 'suicide-self-harm.thoughts',
    category: 'suicide-self-harm',
    level: 'urgent',
    needs: [suicidalThoughts],
    action: {
      'zh-CN': '今日内当面评估自杀风险（想法、计划、手段、既往尝试）并转介精神心理科；告知心理援助热线（如 12356），嘱家属陪伴。',
      en: 'Assess suicide risk in person today (thoughts, plan, means, past attempts) and refer to mental health; give a crisis line (e.g. 12356) and ask family to stay with the patient.',
    },
  },
]
