// An adult who has passed no urine for many hours or cannot pass it (retention, kidney failure,
// severe dehydration). Children with vomiting or diarrhoea come under child-dehydration instead, and
// no urine with a fever comes under sepsis-meningitis.
import { G, N, rx } from '../patterns.ts'
import { notChild } from '../patient-facts.ts'
import type { Sign, TriageRule } from '../types.ts'
import { fever } from './shared-signs.ts'

export const noUrine: Sign = {
  name: 'no urine passed',
  patterns: [
    rx`(?:${N}|半|一整|好几|几)个?多?(?:小时|天)(?:都|也)?没(?:有)?(?:尿|小便|排尿)(?:出来)?|(?:小时|天|夜|晚上|上午|下午)${G}{0,3}没(?:有)?(?:解|排|拉)(?:过)?(?:尿|小便)|尿不出(?:来)?|排不出尿|没(?:有)?尿出来`,
    rx`\b(?:can't|cannot|can not|couldn't|unable to|not able to|haven't been able to|hasn't been able to|not been able to) (?:\w+ )?(?:pee|urinate|wee|pass urine|pass water|go to the toilet for a wee)\b|\b(?:haven't|hasn't|have not|has not) (?:peed|weed|urinated|passed (?:any )?urine|passed water|had a wee) (?:since|for|all)\b|\bno urine (?:since|for|all)\b`,
  ],
}

export const noUrineRules: TriageRule[] = [
  {
    id: 'no-urine.none-passed',
    category: 'no-urine',
    level: 'urgent',
    needs: [noUrine],
    patient: notChild,
    // With a fever it is a sign of sepsis, and sepsis-meningitis raises it as an emergency.
    unless: [...fever],
    action: {
      'zh-CN': '今日内评估：膀胱是否充盈（尿潴留需导尿），有无脱水或肾功能损害（查肾功能、电解质）。',
      en: 'Assess today: a full bladder (retention needs a catheter), dehydration or kidney injury (renal function and electrolytes).',
    },
  },
]
