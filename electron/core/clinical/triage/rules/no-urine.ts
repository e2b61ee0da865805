// An adult who has passed no urine for many hours or cannot pass it (retention, kidney failure,
// severe dehydration). Children with vomiting or diarrhoea come under child-dehydration instead.
import { G, N, rx } from '../patterns.ts'
import { notChild } from '../patient-facts.ts'
import type { Sign, TriageRule } from '../types.ts'

export const noUrine: Sign = {
  name: 'no urine passed',
  patterns: [
    rx`(?:${N}|半|一整|好几|几)个?多?(?:小时|天)(?:都|也)?没(?:有)?(?:尿|小便|排尿)(?:出来)?|(?:小时|天|夜|晚上|上午|下午)${G}{0,3}没(?:有)?(?:解|排|拉)(?:过)?(?:尿|小便)|尿不出(?:来)?|排不出尿|没(?:有)?尿出来`,
    rx`\b(?:can't|cannot|unable to) (?:pee|urinate|wee|pass urine)\b|\bhaven't (?:peed|passed urine) (?:since|for|all)\b`,
  ],
}

export const noUrineRules: TriageRule[] = [
  {
    id: 'no-urine.none-passed',
    category: 'no-urine',
    level: 'urgent',
    needs: [noUrine],
    patient: notChild,
    action: {
      'zh-CN': '今日内评估：膀胱是否充盈（尿潴留需导尿），有无脱水或肾功能损害（查肾功能、电解质）。',
      en: 'Assess today: a full bladder (retention needs a catheter), dehydration or kidney injury (renal function and electrolytes).',
    },
  },
]
