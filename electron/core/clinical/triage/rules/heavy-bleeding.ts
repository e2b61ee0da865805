// Bleeding that will not stop or is heavy: pressure for ten minutes has not stopped it, blood
// spurts or soaks through towels and pads, a pad an hour, "大出血". A bleed that has since stopped
// (鼻血按了几分钟就止住了) is not flagged.
import { G, rx } from '../patterns.ts'
import type { Sign, TriageRule } from '../types.ts'
import { coughingBlood } from './coughing-blood.ts'
import { vomitingBlood } from './gi-bleeding.ts'
import {
  enBleedWords,
  enLargeAmounts,
  enLongDuration,
  enNotStopping,
  enSoaked,
  notInMedia,
  zhBleedWords,
  zhLargeAmounts,
  zhLongDuration,
  zhNotStopping,
  zhSoaked,
} from './heavy-bleeding-vocabulary.ts'

const notMedia = (patterns: RegExp[]) => patterns.map((pattern) => new RegExp(`(?=${pattern.source})${notInMedia}(?:${pattern.source})`, 'u'))
/** The rest of the sentence (commas allowed). */
const S = '[^。.;!?\\n]'

export const uncontrolledBleeding: Sign = {
  name: 'heavy or uncontrolled bleeding',
  cancelledWhenStopped: true,
  patterns: notMedia([
    rx`大出血|出血不止|血流不止|流血不止|血止不住|止不住(?:血|地流)?|失血`,
    rx`(?:血|鼻血)${G}{0,4}(?:一直|不停)地?(?:往外)?(?:流|冒|涌|喷)|(?:一直|不停)地?(?:往外)?(?:冒血|流血|出血|喷血)|喷血|血(?:往外)?(?:喷|涌)|血${G}{0,3}(?:哗哗|汩汩|呼呼|一股一股)`,
    rx`流了(?:很多|好多|一大摊|一地|一盆|半盆|一碗|一大滩)的?血|出血(?:很多|特别多|非常多|量(?:很|特别)?大)`,
    rx`血(?:把|都)?${G}{0,4}(?:湿透|浸透)|湿透${G}{0,4}(?:卫生巾|纱布|毛巾)`,
    rx`\bbleeding (?:heavily|a lot|badly|profusely|won't stop|will not stop|that won't stop)|\bwon't stop bleeding\b|\bcan't stop the bleeding\b|\bspurting\b|\bsoak(?:ed|ing)? through\b|\bblood everywhere\b|\bso much blood\b|\b(?:pouring|gushing|pumping) (?:out|blood)\b|\blosing a lot of blood\b|\bhaemorrhag|\bhemorrhag`,
    // The vocabulary's slots: a bleed with an amount, with what it soaked, with pressure not stopping
    // it, or going on for half an hour or more (鼻血流了一个多小时, nosebleed for over an hour).
    new RegExp(`${zhBleedWords}${S}{0,12}(?:${zhLargeAmounts}|${zhLongDuration}${G}{0,4}(?:还|都|也)?${G}{0,2}(?:在流|没停|不停|止不住|停不|没止住))|${zhSoaked}${G}{0,6}(?:都|全)?(?:湿透|浸透|染红)|${zhBleedWords}${G}{0,4}${zhNotStopping}`, 'u'),
    new RegExp(`${enBleedWords}${S}{0,40}(?:${enLargeAmounts}|${enLongDuration}|${enNotStopping}|${enSoaked})|\\bblood\\b${S}{0,40}${enLargeAmounts}|${enSoaked}`, 'u'),
  ]),
}

export const heavyBleedingRules: TriageRule[] = [
  {
    id: 'heavy-bleeding.uncontrolled',
    category: 'heavy-bleeding',
    level: 'emergency',
    needs: [uncontrolledBleeding],
    // Blood coughed or vomited up has its own flag and its own first aid (not pressure on a wound).
    unless: [coughingBlood, vomitingBlood],
    action: {
      'zh-CN': '持续用力直接压迫出血处，抬高患肢，监测脉搏、血压，建立静脉通路；病人不在院内则拨打 120。问清是否服用抗凝药。',
      en: 'Firm direct pressure on the wound, raise the limb, check pulse and blood pressure, IV access. If the patient is not on site, call 120. Ask about blood thinners.',
    },
  },
]
