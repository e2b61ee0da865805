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
    rx`(?<!(?:热|笑|累|吓|烦|疼|痛|困|饿|气|冷|难受|馋|美)得?)想死(?!你|您|了你|他|她|宝贝|我了)|不想(?:再)?活(?!在)(?:了|下去)?|(?:说|想|要)要?去死(?!吧)|伤害自己的(?:念头|想法|冲动)|想(?:要)?伤害自己|(?:要是|如果)我不在了(?:就好了)?|我(?:消失|不在了)就好了|活着(?:真|太|都)?没(?:有)?(?:意思|意义|劲)|活着(?:真|太|好)?(?:累|痛苦)|(?:想|要)结束(?:这)?一切|活不下去|轻生|寻死|自杀|想不开|做傻事|了结(?:自己|生命)|结束(?:自己的?)?生命|一了百了|死了算了|不如死了`,
    rx`\bkill(?:ing)? (?:my|him|her)self\b|\bend(?:ing)? (?:my|his|her) (?:own )?life\b|\bend it all\b|\bsuicid|\bwant(?:s|ed)? to die\b|\b(?:go to sleep|fall asleep) and (?:never|not) wake up\b|\bthoughts of (?:hurting|harming|killing) (?:my|him|her)self\b|\bwish (?:i|he|she) (?:was|were) dead\b|\bdon't want to (?:live|be alive|be here)\b|\bbetter off without (?:me|him|her)\b`,
  ],
}

export const selfHarmOrPlan: Sign = {
  name: 'self-harm, a plan or a method',
  fearCounts: true,
  patterns: [
    rx`割腕|划了?(?:自己|手腕|胳膊|手臂|大腿|腿)|(?:用|拿)(?:小)?刀${G}{0,2}划了?${G}{0,2}(?:手|手臂|胳膊|腿)|写(?:好|了)?${G}{0,3}(?:告别信|绝笔)|割了?自己|(?:用刀|拿刀)${G}{0,4}(?:划|割)自己|自残|自伤|烫自己|跳楼|跳河|跳下去|上吊|遗书|写(?:好)?了?遗言|攒了?${G}{0,6}(?:药|安眠药)|(?:买|准备)(?:了|好)?${G}{0,4}(?:绳子|木炭|农药|安眠药)|烧炭自杀|吞药|(?:打算|准备|计划|决定)${G}{0,8}(?:吃药|跳楼|跳河|割腕|上吊|了结|结束|去死|自杀)`,
    rx`\b(?:cut|cutting|burn|burning|hurt|hurting|harm|harming) (?:my|him|her)self\b(?! (?:shaving|cooking|chopping|by accident|accidentally|on (?:a|the)|while (?:shaving|cooking|chopping)))|\b(?:goodbye|farewell) (?:letters?|notes?|messages?)\b|\bself[- ]harm|\b(?:written|wrote|writing) (?:a )?(?:suicide )?note\b|\ba plan to (?:kill|end|die)\b|\bbought (?:a )?(?:rope|pills|charcoal)\b|\bsaving up (?:pills|tablets)\b|\bjump (?:off|from) (?:a|the) (?:bridge|building|roof|balcony|cliff)\b|\bhang (?:my|him|her)self\b`,
  ],
}

// The structure of suicide risk: thoughts alone are urgent; with a plan, the means at hand, or an
// attempt in progress or just made, an emergency. The means and the verbs of readiness are listed
// as slots, so 药都准备好了, 攒了一抽屉的药, "I've got the pills ready" are the same finding.
const zhMeans = '(?:药|药片|安眠药|安定|农药|敌敌畏|百草枯|老鼠药|毒药|刀|刀片|绳子|绳|木炭|炭|煤气|汽油|枪)'
const zhReadiness = '(?:准备|备|攒|存|囤|买|藏|放|找|弄|拿|带)(?:好|了|着|够)'

export const meansAtHand: Sign = {
  name: 'the means at hand',
  fearCounts: true,
  patterns: [
    new RegExp(`(?:拿着|握着|攥着|拿了)${G}{0,3}${zhMeans}|(?:站在|爬到|爬上|坐在|在)(?:了)?${G}{0,3}(?:天台|楼顶|桥上|桥边|窗台|窗外|阳台边|河边|江边|悬崖)|${zhMeans}${G}{0,4}(?:都|也|已经)?${zhReadiness}|${zhReadiness}${G}{0,6}${zhMeans}|${zhMeans}${G}{0,3}(?:就在|放在|在)(?:手边|身边|手上|手里|枕头)`, 'u'),
    rx`\b(?:on|at) the (?:bridge|roof|rooftop|ledge|edge of (?:the|a) (?:roof|cliff|bridge)|cliff edge)\b|\b(?:rope|knife|blades?|razor|pills) (?:is |are )?(?:in (?:his|her|my) (?:room|hand|hands)|on the (?:bathroom )?floor|out)\b|\b(?:(?:i've|i have|i|he's|she's|he has|she has|we've) )?(?:got|saved|saving|stockpiled|stockpiling|hoarded|hoarding|bought|collected|collecting|kept|keeping)(?: up)? (?:a |the |some |enough |my |his |her |all (?:my|his|her|the) )?(?:pills|tablets|meds|medication|sleeping pills|paracetamol|rope|knife|blades?|razor|charcoal|gun|poison)\b|\b(?:pills|tablets|rope|knife|gun) (?:is |are )?(?:ready|here|with me|next to me|in my (?:bag|pocket|drawer))\b`,
  ],
}

export const planOrAttempt: Sign = {
  name: 'a plan, or an attempt in progress or just made',
  fearCounts: true,
  patterns: [
    rx`(?:打算|准备|计划|决定|想好了)${G}{0,6}(?:今晚|今天|明天|这几天|周末|怎么|什么时候|在哪)|(?:今晚|今天|明天)(?:就)?(?:去死|自杀|了结|结束)|想好了?(?:怎么|用什么)(?:死|走)|自杀未遂|(?:刚刚?|刚才|已经|昨天|昨晚)${G}{0,4}(?:自杀|割腕|上吊|跳楼|吞药|吃了${G}{0,4}药)`,
    rx`\b(?:i've|i have|he has|she has) (?:a plan|planned|decided how|worked out how)\b|\b(?:tonight|today|tomorrow) i(?:'m| am)? (?:going to|will|gonna) (?:do it|end it|kill myself)\b|\b(?:tried|attempted|trying) to (?:kill|hang|end) (?:my|him|her)self\b|\b(?:tried|attempted|trying) to end (?:my|his|her) life\b|\b(?:suicide attempt|attempted suicide)\b`,
  ],
}

/**
 * What makes thoughts or the means an emergency but alone says nothing (今晚就走 is also a journey;
 * "took 2 paracetamol" a headache): a time set for it, or tablets taken in number.
 */
export const intentCues: Sign = {
  name: 'a time set for it, or tablets taken',
  fearCounts: true,
  patterns: [
    rx`今晚就(?:走|去|动手|解脱)|(?:刚刚?|刚才|已经)${G}{0,2}把${G}{0,8}(?:药|药片|安眠药)${G}{0,3}(?:都|全)?(?:吃|吞|喝)(?:了|掉|下去)|(?:吃|吞|喝)了${G}{0,3}(?:一整?(?:板|瓶|盒|把)|几十|\d{2,})(?:片|粒)?${G}{0,3}(?:药|安眠药)?`,
    rx`\b(?:just |already )?(?:took|swallowed|taken|downed) (?:all|a bottle|the whole|a handful|a packet|a box|\d+|twenty|thirty|forty|fifty)(?: of)? (?:(?:his|her|my|the) )?(?:\w+ )?(?:pills|tablets|meds|medication|antidepressants|paracetamol|sleeping pills|of them)\b|\b(?:going to|gonna|will) take (?:them|it|the pills|the tablets)(?: all)? (?:tonight|today|now)\b|\b(?:i'm|i am) (?:doing|going to do) it (?:tonight|today|now)\b|\b(?:tonight|today)(?:'s| is) the (?:night|day)\b`,
  ],
}

export const suicideRules: TriageRule[] = [
  {
    id: 'suicide-self-harm.thoughts-with-means-or-plan',
    category: 'suicide-self-harm',
    level: 'emergency',
    needs: [suicidalThoughts, [meansAtHand, planOrAttempt, intentCues]],
    action: {
      'zh-CN': '有自杀念头且已有计划、手段或正在/刚刚尝试：不要让病人独处，移走危险物品，立即精神科急诊评估；病人不在院内则拨打 120 或 110。',
      en: 'Suicidal with a plan, the means at hand, or an attempt in progress or just made: do not leave the patient alone, remove means, emergency psychiatric assessment now. If the patient is not on site, call 120 or 110.',
    },
  },
  {
    id: 'suicide-self-harm.means-and-a-time',
    category: 'suicide-self-harm',
    level: 'emergency',
    needs: [meansAtHand, intentCues],
    action: {
      'zh-CN': '已备好手段并定了时间：按自杀高危处理，不要让病人独处，移走危险物品，立即精神科急诊评估；病人不在院内则拨打 120 或 110。',
      en: 'The means ready and a time set: treat as high suicide risk, do not leave the patient alone, remove means, emergency psychiatric assessment now. If the patient is not on site, call 120 or 110.',
    },
  },
  {
    id: 'suicide-self-harm.attempt',
    category: 'suicide-self-harm',
    level: 'emergency',
    needs: [planOrAttempt],
    action: {
      'zh-CN': '自杀计划或尝试：不要让病人独处，移走危险物品，立即精神科急诊评估，有服药或外伤同时急诊处理；病人不在院内则拨打 120 或 110。',
      en: 'A suicide plan or attempt: do not leave the patient alone, remove means, emergency psychiatric assessment now, and treat any overdose or injury. If the patient is not on site, call 120 or 110.',
    },
  },
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
