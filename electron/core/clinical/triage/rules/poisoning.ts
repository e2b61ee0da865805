// Poisoning, overdose and venomous bites: pesticide or household chemicals swallowed, a bottle or
// ten-plus tablets taken, a child who got at someone's medicines or swallowed a button battery or
// magnets, carbon monoxide (charcoal burners, gas heaters), wild mushrooms with symptoms, snakebite.
// Two painkillers, "吃坏肚子" and "食物中毒?" are not flagged.
import { parsePatientNumber } from '../chinese-numbers.ts'
import { G, N, rx } from '../patterns.ts'
import { child } from '../patient-facts.ts'
import type { Sign, TriageRule } from '../types.ts'
import { unresponsive } from './unconsciousness.ts'
import { fitting } from './seizure.ts'
import { confusion, diarrhoea, dizziness, fever, headache, nausea, vomiting } from './shared-signs.ts'
import {
  enMedicine,
  enSnakes,
  enTake,
  recreationalDrugNames,
  zhMedicine,
  zhSnakes,
  zhSomeoneElse,
  zhTake,
  zhTaken,
  zhWholeAmount,
} from './poisoning-vocabulary.ts'

export const poisonSwallowed: Sign = {
  name: 'poison or chemical swallowed',
  patterns: [
    rx`(?:喝|吃|服|吞)(?:了|下|掉)?${G}{0,4}(?:农药|百草枯|敌敌畏|敌百虫|除草剂|杀虫剂|老鼠药|鼠药|毒鼠强|消毒液|84|漂白|洗洁精|洁厕|汽油|煤油|柴油|防冻液|甲醇|假酒|工业酒精|洗衣液|洗衣凝珠)`,
    rx`(?:农药|百草枯|敌敌畏|敌百虫|除草剂|杀虫剂|老鼠药|鼠药|毒鼠强|消毒液|漂白水|洗洁精|洁厕灵|汽油|煤油|防冻液|甲醇|洗衣凝珠)${G}{0,8}(?:喝|吃|吞|咽)(?:了|下)`,
    rx`误服|误食|误吞|误喝|偷吃了?${G}{0,6}药|药${G}{0,3}(?:偷吃|偷喝)|吞(?:了|下)了?${G}{0,3}(?:电池|纽扣电池|磁铁|磁珠|硬币|刀片|别针|钉子)`,
    rx`服毒|(?:药|安眠药|吃药|服药|药物)${G}{0,3}过量|过量服(?:用|药)|(?<!食物|食品)中毒(?!史)`,
    // A whole bottle, strip or box (吃了一整瓶, 食咗成排藥), said before or after the medicine.
    // 吃了一瓶, 吞掉整盒 — not 每天吃一板钙片 (what one takes daily).
    rx`(?:吃|服|吞)(?:了|掉|下)(?:一|整|半)整?(?:瓶|板|盒|把)|(?:吃|服|吞)(?:一整|整)(?:瓶|板|盒)`,
    new RegExp(`${zhTake}${zhTaken}?${G}{0,2}${zhWholeAmount}${G}{0,6}${zhMedicine}|把${G}{0,6}${zhWholeAmount}${G}{0,6}${zhMedicine}${G}{0,3}(?:都|全)?${zhTake}`, 'u'),
    new RegExp(`被${G}{0,6}${zhSnakes}${G}{0,2}咬|蛇咬伤|毒蛇${G}{0,4}咬`, 'u'),
    rx`\boverdos|\bod'd\b|\btook (?:a (?:whole )?bottle|a handful)|\b(?:swallowed|necked|downed) (?:a (?:whole )?(?:bottle|packet|box|strip)|a handful)`,
    new RegExp(`\\b${enTake} (?:all|the whole|an entire|a whole (?:bottle|box|packet|strip) of)\\b(?! (?:my|his|her|their) (?:morning|evening|night|usual|regular|daily|normal|prescribed)\\b)${G}{0,30}\\b${enMedicine}`, 'u'),
    new RegExp(`\\bswallowed\\b${G}{0,30}\\b(?:batter(?:y|ies)|magnets?|bleach|poison|detergent|pods?|cleaner|${enMedicine})\\b`, 'u'),
    rx`\b(?:drank|drunk|swallowed) (?:some )?(?:bleach|antifreeze|pesticide|weed ?killer|paraquat)|(?<!food )\bpoison(?:ed|ing)\b`,
    new RegExp(`\\bsnake ?bite|\\b(?:bitten|bit) by (?:a |an |the |some )?(?:\\w+ )?${enSnakes}\\b|\\b${enSnakes} (?:bit|has bitten|just bit)\\b`, 'u'),
  ],
}

/** Ten or more tablets at once. */
export const tabletCount: Sign = {
  name: 'ten or more tablets taken',
  patterns: [
    new RegExp(`(?:吃|服|吞|食)(?:了|咗|下)?(${N}|几十|好几十)多?(?:片|粒|颗)`, 'u'),
    new RegExp(`\\b${enTake} (?:about |around |like |over |maybe |nearly |almost |up to )?(\\d+) (?!(?:mg|mcg|g|ml|units?|iu|milligrams?|grams?)\\b)(?:\\w+ )?${enMedicine}`, 'u'),
  ],
  accept: (groups) => {
    const count = groups[1] === '几十' || groups[1] === '好几十' ? 20 : parsePatientNumber(groups[1] ?? '')
    return count !== null && count >= 10
  },
}

/** A child who got at someone else's medicines: any amount of an adult's pills can kill a toddler. */
export const someoneElsesMedicine: Sign = {
  name: "someone else's medicines taken by a child",
  patterns: [
    new RegExp(`${zhSomeoneElse}(?:的|嘅)${G}{0,6}${zhMedicine}${G}{0,8}${zhTake}${zhTaken}(?!没|吗|么|了没|完)|${zhTake}${zhTaken}?${G}{0,4}${zhSomeoneElse}(?:的|嘅)${G}{0,4}${zhMedicine}`, 'u'),
    /\bgot (?:into|hold of) (?:the |my |his |her |our |\w+'s )?(?:medicine|pills|tablets|meds|medication|medicine cabinet)\b/u,
  ],
}

/** Recreational drugs taken: ecstasy, pills at a party, 摇头丸. */
export const recreationalDrugs: Sign = {
  name: 'recreational drugs taken',
  patterns: [
    new RegExp(recreationalDrugNames, 'u'),
    new RegExp(`\\b${enTake} (?:some |a few |a couple of |an? |two |three )?(?:pills?|tablets?|drugs?|something|stuff)\\b${G}{0,20}\\bat (?:a |the )?(?:party|festival|club|rave|gig|concert)\\b`, 'u'),
  ],
}

/** What recreational stimulants do: overheating, a racing heart, jaw clenching, agitation. */
const stimulantToxicity: Sign = {
  name: 'overheating, racing heart or agitation',
  patterns: [
    rx`心跳(?:很|特别|非常)?(?:快|得厉害|加速)|心慌|浑身(?:滚烫|发烫)|咬牙|牙关|烦躁|躁动|\bheart (?:is )?(?:racing|pounding)|\bburning (?:hot|up)\b|\bvery hot\b|\boverheating\b|\bclench|\bgrinding (?:his|her|my) teeth\b|\bagitated\b|\bparanoid\b`,
  ],
}

export const carbonMonoxideSource: Sign = {
  name: 'carbon monoxide source',
  patterns: [rx`一氧化碳|煤气中毒|煤气泄漏|燃气泄漏|烧炭|炭火|煤炉|\bcarbon monoxide\b|\bco alarm\b`],
}

export const wildMushrooms: Sign = {
  name: 'wild mushrooms eaten',
  patterns: [rx`(?:野生?|自己采的|山上采的|路边采的)${G}{0,3}(?:蘑菇|菌子|菌)|毒蘑菇|见手青|\bwild mushrooms?\b|\bforaged mushrooms?\b`],
}

const hallucinations: Sign = {
  name: 'hallucinations',
  patterns: [rx`(?:看见|看到)小人|幻觉|\bhallucinat`],
}

const action = {
  'zh-CN': '中毒/过量：立即送急诊，带上药瓶或毒物包装，问清名称、剂量和时间；可联系中毒咨询热线；不要自行催吐。纽扣电池吞入须数小时内取出。',
  en: 'Poisoning or overdose: emergency department now, bring the bottle or packet, find out what, how much and when; a poisons helpline can advise; do not make the patient vomit. A swallowed button battery must come out within hours.',
}

export const poisoningRules: TriageRule[] = [
  { id: 'poisoning.swallowed-or-overdose', category: 'poisoning', level: 'emergency', needs: [[poisonSwallowed, tabletCount]], action },
  {
    id: 'poisoning.carbon-monoxide',
    category: 'poisoning',
    level: 'emergency',
    needs: [carbonMonoxideSource, [headache, nausea, vomiting, dizziness, confusion, unresponsive]],
    action,
  },
  {
    id: 'poisoning.wild-mushrooms',
    category: 'poisoning',
    level: 'emergency',
    needs: [wildMushrooms, [vomiting, diarrhoea, nausea, hallucinations, confusion]],
    action,
  },
  {
    id: 'poisoning.child-took-medicines',
    category: 'poisoning',
    level: 'emergency',
    needs: [someoneElsesMedicine],
    patient: child,
    action,
  },
  {
    id: 'poisoning.recreational-drugs',
    category: 'poisoning',
    level: 'emergency',
    needs: [recreationalDrugs, [...fever, stimulantToxicity, confusion, unresponsive, fitting, hallucinations, vomiting]],
    action,
  },
]
