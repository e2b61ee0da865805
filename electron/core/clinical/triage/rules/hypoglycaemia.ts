// Hypoglycaemia in a diabetic (insulin, sulfonylureas): a low reading, or sweating, shaking,
// confusion or drowsiness; or any reading below 3.0 mmol/L. "我有点低血糖" from someone without
// diabetes who skipped breakfast can wait.
import { G, rx } from '../patterns.ts'
import { glucoseLow, glucoseVeryLow } from '../readings.ts'
import type { Sign, TriageRule } from '../types.ts'
import { diabetic } from './shared-signs.ts'

export const hypoglycaemiaSigns: Sign = {
  name: 'signs of a hypo',
  acuteOnly: true,
  patterns: [
    rx`低血糖|血糖(?:很|太|偏|特别)?低|(?:出|冒)了?(?:一身|浑身)?冷汗|浑身冒冷汗|大汗|手抖|发抖|哆嗦|意识模糊|神志不清|说胡话|叫不醒|昏迷|反应(?:很|特别)?(?:慢|迟钝)|(?:吃|喝)了糖${G}{0,4}(?:还是|也)?(?:晕|不好|没用)`,
    rx`\bhypo\b|\bhypoglyc|\blow (?:blood )?sugar\b|\bshaky\b|\bsweaty\b|\bconfused\b|\bdrowsy\b|\bunresponsive\b`,
    // Sweating with a muddled head is the pair of a hypo, whatever sweating alone may mean.
    rx`\b(?:sweating|sweaty|clammy|shaky|shaking)(?: and|,) (?:not making (?:any )?sense|confused|talking (?:nonsense|gibberish)|drowsy|acting (?:drunk|strange|weird))\b`,
    // Sweating hard, trembling, and the muddled talk of a hypo in a relative's words.
    rx`\b(?:cold sweat|clammy|trembling|shaking all over|drenched in sweat|pouring with sweat|sweating (?:buckets|profusely|heavily))\b|\b(?:not making (?:any )?sense|talking (?:nonsense|gibberish|rubbish)|acting (?:drunk|strange|weird)|slurring)\b`,
  ],
}

const action = {
  'zh-CN': '立即测指尖血糖；清醒者口服 15–20 g 葡萄糖，15 分钟后复测；意识不清者不可喂食，静推葡萄糖或肌注胰高血糖素并呼叫 120。',
  en: 'Check finger-prick glucose now; if awake, 15–20 g of glucose by mouth and recheck in 15 minutes; if drowsy or unconscious, nothing by mouth: IV glucose or IM glucagon and call 120.',
}

export const hypoglycaemiaRules: TriageRule[] = [
  { id: 'hypoglycaemia.diabetic', category: 'hypoglycaemia', level: 'emergency', needs: [diabetic, [hypoglycaemiaSigns, glucoseLow]], action },
  { id: 'hypoglycaemia.very-low-reading', category: 'hypoglycaemia', level: 'emergency', needs: [glucoseVeryLow], action },
]
