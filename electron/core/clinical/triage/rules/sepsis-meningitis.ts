// Fever with a sign of meningitis (stiff neck, a rash that does not fade under pressure) or of
// sepsis (confusion, low blood pressure, mottled skin), or fever during chemotherapy (neutropenic
// sepsis). Fever alone, or a stiff neck without fever (落枕), can wait.
import { G, rx } from '../patterns.ts'
import { bloodPressureLow } from '../readings.ts'
import type { Sign, TriageRule } from '../types.ts'
import { chemotherapy, confusion, fever } from './shared-signs.ts'

export const stiffNeck: Sign = {
  name: 'stiff neck',
  patterns: [
    rx`脖子(?:发)?(?:硬|僵硬|僵)|颈(?:部)?(?:强直|发硬|僵硬)|颈项强直|低头(?:都)?(?:困难|费劲|很疼|疼)|下巴(?:碰|贴)不(?:到|着)胸`,
    rx`\bstiff neck\b|\bneck (?:is )?stiff\b|\bcan't (?:bend|touch) (?:his|her|my) (?:neck|chin)`,
  ],
}

export const nonBlanchingRash: Sign = {
  name: 'rash that does not fade under pressure',
  patterns: [
    rx`(?:按|压|玻璃杯)${G}{0,6}(?:不褪色|不褪|不消|不退)|不褪色的${G}{0,4}(?:疹|点|斑)|出血点|瘀点|瘀斑|紫癜|紫斑|(?:紫|紫红|暗红)色?的?(?:点|斑)`,
    rx`\brash (?:that )?(?:doesn't|does not|won't|didn't) fade|\bnon-?blanching\b|\bpurpur|\bpetechia`,
  ],
}

export const shockSigns: Sign = {
  name: 'signs of shock',
  patterns: [rx`皮肤(?:发花|花斑)|花斑|血压(?:很|特别)?低|血压(?:掉|降)(?:到|了)|\bmottled\b|\blow blood pressure\b`],
}

const action = {
  'zh-CN': '按脓毒症/脑膜炎处理：立即测生命体征和血氧，1 小时内留取血培养并使用抗生素，建立静脉通路；病人不在院内则拨打 120。',
  en: 'Treat as sepsis or meningitis: vital signs and oxygen saturation now, blood cultures and antibiotics within the hour, IV access. If the patient is not on site, call 120.',
}

export const sepsisMeningitisRules: TriageRule[] = [
  {
    id: 'sepsis-meningitis.meningitis-signs',
    category: 'sepsis-meningitis',
    level: 'emergency',
    needs: [fever, [stiffNeck, nonBlanchingRash]],
    action,
  },
  {
    id: 'sepsis-meningitis.fever-with-confusion-or-shock',
    category: 'sepsis-meningitis',
    level: 'emergency',
    needs: [fever, [confusion, shockSigns, bloodPressureLow]],
    action,
  },
  { id: 'sepsis-meningitis.fever-on-chemotherapy', category: 'sepsis-meningitis', level: 'emergency', needs: [fever, chemotherapy], action },
]
