// Very high blood sugar: a reading of 20 mmol/L or more, or a meter that reads HI, needs a doctor
// today; with vomiting or signs of ketoacidosis (fruity breath, deep fast breathing, ketones) it is
// an emergency.
import { G, rx } from '../patterns.ts'
import { glucoseVeryHigh } from '../readings.ts'
import type { Sign, TriageRule } from '../types.ts'
import { diabetic, vomiting } from './shared-signs.ts'

export const meterReadsHigh: Sign = {
  name: 'glucose meter reads HI',
  patterns: [
    rx`血糖${G}{0,6}(?:\bhi\b|\bhigh\b|测不出|爆表|超出(?:范围|量程)|太高测不了)|\b(?:meter|glucometer|monitor|sugar|glucose|bm)(?: (?:reading|level|test|meter|monitor))? (?:just )?(?:says|reads|reading|shows|showing|displays|is showing|came up) ["']?(?:hi|high)\b`,
  ],
}

export const ketoacidosisSigns: Sign = {
  name: 'signs of ketoacidosis',
  patterns: [
    rx`烂苹果味|酮味|呼吸(?:又)?深(?:又)?快|呼吸深大|酮体|尿酮|酮症|酸中毒|\bketones?\b|\bketoacidosis\b|\bdka\b|\bfruity (?:breath|smell)\b|\bpear ?drops\b|\bdeep (?:fast )?breathing\b`,
    // The breath that smells of acetone and the deep sighing breathing (Kussmaul), as a relative says
    // them; not "breathing heavily" alone, which a diabetic does after a run.
    rx`\bbreath (?:smells?|smelling) (?:fruity|sweet|of acetone|like (?:acetone|nail polish(?: remover)?|pear ?drops))\b|\bbreathing (?:very deeply|deep and fast|deeply and (?:fast|quickly))\b|\bkussmaul\b|(?:嘴里|呼气|口气|呼出的气)${G}{0,4}(?:苹果味|水果味|丙酮)`,
  ],
}

const emergency = {
  'zh-CN': '警惕糖尿病酮症酸中毒：立即急诊，查血糖、血酮、血气和电解质，静脉补液；1 型糖尿病者切勿停用胰岛素。',
  en: 'Possible diabetic ketoacidosis: emergency department now for glucose, ketones, blood gas and electrolytes, IV fluids; a type 1 diabetic must not stop insulin.',
}

export const hyperglycaemiaRules: TriageRule[] = [
  {
    id: 'hyperglycaemia.ketoacidosis',
    category: 'hyperglycaemia',
    level: 'emergency',
    needs: [[diabetic, glucoseVeryHigh, meterReadsHigh], ketoacidosisSigns],
    action: emergency,
  },
  { id: 'hyperglycaemia.high-with-vomiting', category: 'hyperglycaemia', level: 'emergency', needs: [[glucoseVeryHigh, meterReadsHigh], vomiting], action: emergency },
  {
    id: 'hyperglycaemia.reading',
    category: 'hyperglycaemia',
    level: 'urgent',
    needs: [[glucoseVeryHigh, meterReadsHigh]],
    action: {
      'zh-CN': '今日内评估：复测血糖，查尿酮或血酮，多饮水；出现呕吐、腹痛、呼吸深快或嗜睡立即急诊。',
      en: 'Assess today: repeat the glucose, check urine or blood ketones, drink water; vomiting, abdominal pain, deep fast breathing or drowsiness mean emergency department.',
    },
  },
]
