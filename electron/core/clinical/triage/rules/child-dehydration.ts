// Severe dehydration in a child with vomiting or diarrhoea: little or no urine (dry nappies), no
// tears, sunken eyes or fontanelle, a dry cracked mouth, drowsy or floppy, cannot keep fluids down.
// A child with diarrhoea who drinks, plays and wees normally can wait.
import { G, N, rx } from '../patterns.ts'
import { child } from '../patient-facts.ts'
import type { Sign, TriageRule } from '../types.ts'
import { headInjury } from './serious-injury.ts'
import { diarrhoea, drowsy, vomiting } from './shared-signs.ts'

export const dehydrationSigns: Sign = {
  name: 'signs of severe dehydration',
  patterns: [
    rx`(?:${N}|半|一整|好几|几)个?多?(?:小时|天)(?:都|也)?没(?:有)?(?:怎么)?(?:尿|小便|尿尿|撒尿)|没(?:怎么|有)?(?:尿|小便|尿尿)(?!频|急|痛|路|道|不尽|感染|检查|常规)了?|尿(?:很|特别|非常)?少|尿布${G}{0,8}干`,
    rx`哭(?:的时候|也|都)?没(?:有)?眼?泪|(?:眼窝|眼睛|眼眶|囟门)(?:都)?凹(?:进去|陷|下去)|嘴唇${G}{0,3}干${G}{0,3}(?:裂|起皮)|皮肤(?:弹性差|发皱)|手脚冰凉`,
    rx`(?:喝|吃)(?:水|奶|什么|东西)?(?:就|都)吐|喝什么吐什么|吃什么吐什么`,
    rx`\bno wet (?:nappy|nappies|diaper|diapers)\b|\b(?:hasn't|has not|not) (?:had a wet|peed|wee'?d|passed urine)|\bno tears\b|\bsunken (?:eyes|fontanelle)\b|\bcan't keep (?:anything|fluids|water) down\b`,
  ],
}

/** Vomiting said as what stays down: can't keep anything down, 喝什么吐什么, 一喝就吐. */
export const cannotKeepFluidsDown: Sign = {
  name: 'cannot keep fluids down',
  patterns: [
    rx`(?:喝|吃)(?:什么|啥)(?:就)?吐(?:什么|啥)|一(?:喝|吃)(?:水|奶|东西)?就吐|(?:水|奶|东西)${G}{0,3}(?:喝|吃)不进去|(?:喝|吃)${G}{0,2}(?:都|全)吐(?:出来|了)`,
    rx`\b(?:can't|cannot|can not|won't|unable to|not able to) (?:keep|hold) (?:anything|any fluids?|fluids|water|drinks?|milk|feeds?|a thing|even water)(?: \w+)? down\b|\b(?:brings?|bringing|throws?|throwing) (?:everything|every feed|all (?:his|her) (?:feeds|milk|drinks)) (?:back )?up\b`,
  ],
}

export const childDehydrationRules: TriageRule[] = [
  {
    id: 'child-dehydration.severe',
    category: 'child-dehydration',
    level: 'emergency',
    needs: [[vomiting, diarrhoea, cannotKeepFluidsDown], [dehydrationSigns, drowsy]],
    patient: child,
    // Vomiting and drowsiness after a knock on the head are the head injury's signs.
    unless: [headInjury],
    action: {
      'zh-CN': '儿童重度脱水：立即就诊（儿科急诊）补液，评估精神状态、毛细血管再充盈时间、尿量和体重；不能口服者需静脉补液。',
      en: 'Severe dehydration in a child: see now (paediatric emergency) for fluids; assess alertness, capillary refill, urine output and weight; intravenous fluids if oral fluids fail.',
    },
  },
]
