// Serious injury: a dangerous mechanism (a fall from height, hit by a vehicle, stabbing, electric
// shock, near-drowning, bone through the skin), a head injury with vomiting, drowsiness, a fit or
// a blood thinner — or in someone under 1 or over 65 —, a large or facial or chemical burn. A
// deformed limb or a road collision needs care today. A bump on the head in a child who is playing
// again, a sprained ankle and a small scald can wait.
import { G, N, rx } from '../patterns.ts'
import { headInjuryAge } from '../patient-facts.ts'
import type { Sign, TriageRule } from '../types.ts'
import { fitting } from './seizure.ts'
import { bloodThinner, confusion, drowsy, vomiting } from './shared-signs.ts'
import { fainted, unresponsive } from './unconsciousness.ts'
import {
  enFallFrom,
  enPenetrating,
  highSpeedCollision,
  notInMedia,
  zhCoreSites,
  zhFallFrom,
  zhPenetrating,
  zhRecentPast,
  zhVehicles,
  zhVehicleVerbs,
} from './serious-injury-vocabulary.ts'

const notMedia = (patterns: RegExp[]) => patterns.map((pattern) => new RegExp(`(?=${pattern.source})${notInMedia}(?:${pattern.source})`, 'u'))

export const dangerousMechanism: Sign = {
  name: 'dangerous mechanism of injury',
  patterns: notMedia([
    // The vocabulary's slots: a vehicle and what it did (被大货车撞了), something into the trunk (钢筋扎进肚子),
    // a fall from a height or a horse, a collision at speed.
    new RegExp(`被${G}{0,3}${zhVehicles}${G}{0,2}${zhVehicleVerbs}`, 'u'),
    new RegExp(`${zhPenetrating}了?${G}{0,3}${zhCoreSites}|${enPenetrating}`, 'u'),
    new RegExp(`从${G}{0,6}${zhFallFrom}${G}{0,3}(?:摔|掉|跌|坠|滚|甩)|\\b(?:fell|fallen|falling|thrown|came) (?:off|from) (?:a |the |my |his |her )?${enFallFrom}`, 'u'),
    ...highSpeedCollision.map((words) => new RegExp(words, 'u')),
    rx`从${G}{0,4}(?:${N}|几)(?:楼|层|米)高?(?:的地方)?${G}{0,2}(?:摔|掉|跌|坠|滚)|高处(?:坠落|摔下|掉下)|坠楼|从${G}{0,6}(?:脚手架|楼上|楼顶|屋顶|房顶|梯子|树上|阳台|窗户|桥上)${G}{0,3}(?:摔|掉|跌|坠|滚)|(?:摔|掉|跌|坠)${G}{0,10}(?:${N}|几)米高`,
    rx`被(?:汽车|小车|车|货车|卡车|大车|摩托车|电动车|公交车|三轮车)(?:撞|碾|压|轧|刮倒|撞倒|刮)|骨头${G}{0,2}(?:露|戳|刺)(?:出来|出)`,
    rx`被(?:人)?(?:用刀)?(?:捅|刺|扎|砍)(?:了|伤)|刀伤|枪伤|触电|电击伤|被电(?:到|了|击)|溺水|淹水|(?:孩子|宝宝|小孩|人|他|她|我|儿子|女儿|老人)${G}{0,2}(?:掉|落|跌)(?:进|到|入)${G}{0,2}(?:水|河|池|湖|塘|井)`,
    rx`\bfell (?:from|off|out of) (?:a |the |his |her |my )?(?:\w+ ){0,2}(?:height|roof|ladder|balcony|window|scaffold|storey|story|floor|\d+)|(?<!\blike (?:(?:i|he|she|you|they|we)(?:'d|'ve|'s| was| were| had| have| has)? )?(?:been |got |get |being )?)\bhit by a (?:car|truck|lorry|bus|van|motorbike)\b|\bstabbed\b|\bgunshot\b|\b(?:been|got) shot\b|\bbone (?:is )?sticking out\b|\belectrocuted\b|\belectric shock\b|\bdrown`,
  ]),
}

export const headInjury: Sign = {
  name: 'head injury',
  patterns: [
    rx`头部?(?:被人?)?(?:撞|磕|碰|摔|砸|打|踢)(?:到|了|在|伤|破|中)|(?:撞|磕|碰|摔|砸)(?:到|了|伤|破)了?(?:头|头部|脑袋|后脑勺?)|头(?:被)?(?:撞|磕|砸|打)?破了?|头上?(?:磕|撞)(?:了|出)(?:一个|个)?(?:包|口子)|头盔${G}{0,4}(?:裂|碎|坏|撞)|(?:头|后脑勺?|脑袋)(?:先)?着地`,
    rx`\b(?:hit|banged|bumped|knocked|struck) (?:his|her|my|their|the) head\b|\bhead injury\b|\bfell on (?:his|her|my) head\b|\bknocked out\b`,
  ],
}

const headInjuryDanger: Sign = {
  name: 'memory loss, fluid from ears or nose, worsening headache',
  patterns: [rx`记不起|失忆|想不起来|耳朵(?:流血|流水|出血)|鼻子(?:流)?清水|瞳孔|头痛(?:越来越|加重)|\bcan't remember\b|\bmemory loss\b`],
}

export const burn: Sign = {
  name: 'burn or scald',
  patterns: [rx`(?:烫|烧|灼)伤|烫(?:到|了|得)|烧(?:到|着)了?|开水${G}{0,3}(?:烫|泼)|\bburn(?:ed|t|s)?\b|\bscald`],
}

const severeBurnExtent: Sign = {
  name: 'large, facial, chemical or electrical burn',
  patterns: [
    rx`整个${G}{0,3}(?:后背|背|胸|肚子|腿|手臂|胳膊|脸|手)|大面积|一大片|面部|脸上?${G}{0,2}(?:烫|烧)|(?:烫|烧)(?:到|伤)了?(?:脸|面部|眼|会阴|下体)|硫酸|强酸|强碱|生石灰|皮肤(?:发白|发黑|焦)`,
    rx`\b(?:large|big|whole|face|facial|chemical|electrical)\b`,
  ],
}

export const deformedLimb: Sign = {
  name: 'deformed limb',
  patterns: [
    rx`(?:手腕|胳膊|手臂|腿|小腿|大腿|脚踝|手指|肩膀)${G}{0,3}(?:变形|弯了|歪了|折了|断了)|骨头断了|明显畸形`,
    rx`\bbone (?:looks )?(?:bent|deformed)\b|\b(?:arm|leg|wrist|ankle) (?:is |looks )?(?:deformed|bent|at a (?:funny|strange|weird) angle)\b`,
  ],
}

export const roadCollision: Sign = {
  name: 'road collision',
  patterns: notMedia([new RegExp(`${zhRecentPast}(?:车祸|撞车|追尾|翻车)`, 'u'), rx`\bcar (?:crash|accident)\b|\broad traffic (?:accident|collision)\b`]),
}

const emergency = {
  'zh-CN': '严重外伤：立即拨打 120 或送急诊，保持颈椎稳定，压迫止血；头部外伤须观察意识、瞳孔，必要时做头颅 CT。',
  en: 'Serious injury: call 120 or go to the emergency department now, keep the neck still, press on bleeding; after a head injury watch consciousness and pupils and get a head CT if indicated.',
}
const today = {
  'zh-CN': '今日内就诊：拍片排除骨折或内脏损伤，固定患肢，检查远端血运和感觉。',
  en: 'See today: X-ray for fractures or internal injury, splint the limb, check circulation and sensation beyond the injury.',
}

export const seriousInjuryRules: TriageRule[] = [
  { id: 'serious-injury.dangerous-mechanism', category: 'serious-injury', level: 'emergency', needs: [dangerousMechanism], action: emergency },
  {
    id: 'serious-injury.head-injury-danger-signs',
    category: 'serious-injury',
    level: 'emergency',
    needs: [headInjury, [vomiting, drowsy, confusion, unresponsive, fainted, fitting, headInjuryDanger, bloodThinner]],
    action: emergency,
  },
  { id: 'serious-injury.head-injury-age', category: 'serious-injury', level: 'emergency', needs: [headInjury], patient: headInjuryAge, action: emergency },
  { id: 'serious-injury.severe-burn', category: 'serious-injury', level: 'emergency', needs: [burn, severeBurnExtent], action: emergency },
  { id: 'serious-injury.deformed-limb', category: 'serious-injury', level: 'urgent', needs: [deformedLimb], action: today },
  { id: 'serious-injury.road-collision', category: 'serious-injury', level: 'urgent', needs: [roadCollision], action: today },
]
