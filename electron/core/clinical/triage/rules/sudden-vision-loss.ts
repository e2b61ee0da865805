// Eye emergencies: sudden loss of sight (retinal artery occlusion, stroke), chemicals in the eye
// (irrigate first), a penetrating or blast injury; a curtain or shadow across the vision or new
// flashes and floaters (retinal detachment) need an eye doctor today.
import { G, rx } from '../patterns.ts'
import type { Sign, TriageRule } from '../types.ts'

const eyeSites = '(?:一只眼睛?|单眼|左眼|右眼|眼睛|视力|看东西|视物|视野)'
const onset = '(?:突然|突发|一下子|猛地|忽然|瞬间)'
const sightLost = '(?:模糊|看不清|看不见|看不到|黑了|一片黑|失明|下降|丧失)'

export const suddenSightLoss: Sign = {
  name: 'sudden loss of sight',
  patterns: [
    rx`(?:突然|突发|一下子)${G}{0,4}(?:看不见|看不到|失明|视力(?:下降|丧失)|什么都看不见)|(?:一只眼|单眼|左眼|右眼|一侧眼睛?|眼睛)${G}{0,4}突然${G}{0,2}(?:看不见|看不到|看不清|失明)`,
    rx`\bsudden(?:ly)? (?:lost|loss of|can't see|cannot see|went blind)|\bsudden (?:loss of )?(?:vision|sight)\b|\bcan't see out of (?:one|my|his|her) (?:left |right )?eye\b|\bwent blind\b`,
    // The sight, then the onset, then what it did (视力一下子模糊了); not 眼前发黑 (a faint).
    new RegExp(`${eyeSites}${G}{0,3}${onset}${G}{0,3}${sightLost}|${onset}${G}{0,4}(?:${eyeSites}${G}{0,2})?(?:视物|视力)${sightLost}`, 'u'),
    rx`\b(?:vision|sight|eyesight) (?:in (?:my|his|her|one) (?:left |right )?eye )?(?:suddenly|all of a sudden) (?:went|has gone|became|turned) (?:blurry|blurred|black|dark|dim)\b|\b(?:vision|sight|eyesight) (?:in (?:my|his|her|one) (?:left |right )?eye )?(?:went|has gone|became|turned) (?:blurry|blurred|black|dark|dim)\b${G}{0,20}\b(?:suddenly|all of a sudden|out of nowhere)\b`,
  ],
}

/** Acute angle-closure glaucoma: a painful eye with haloes round lights. */
export const acuteGlaucoma: Sign = {
  name: 'painful eye with haloes round lights',
  patterns: [
    rx`(?:眼睛?|眼球|眼眶)${G}{0,4}(?:剧痛|胀痛|痛|疼)[^。;!?\n]{0,24}(?:彩虹圈|彩虹|虹视|光晕|光圈)|(?:彩虹圈|虹视|光晕|光圈)[^。;!?\n]{0,24}(?:眼睛?|眼球|眼眶)${G}{0,4}(?:剧痛|胀痛|痛|疼)`,
    rx`\b(?:halos?|haloes|rainbows?|rainbow rings?) (?:around|round) (?:the )?lights?\b[^.;!?\n]{0,40}\beye|\beye\b[^.;!?\n]{0,40}\b(?:halos?|haloes|rainbows?|rainbow rings?) (?:around|round) (?:the )?lights?\b`,
  ],
}

export const chemicalInEye: Sign = {
  name: 'chemical in the eye',
  patterns: [
    rx`(?:热油|开水|滚油|化学|洁厕|84|消毒液|漂白|石灰|水泥|油漆|硫酸|盐酸|烧碱|清洁剂|洗涤剂|洗洁精|强力胶|502)${G}{0,8}(?:溅|进|弄|喷|滴)(?:到|进|入)?${G}{0,3}眼`,
    rx`\b(?:chemical|bleach|acid|alkali|cleaner|lime|cement|oven cleaner)\b${G}{0,20}\b(?:in|into) (?:my|his|her|the) eyes?\b|\bsplashed\b${G}{0,20}\beyes?\b`,
  ],
}

export const eyeInjury: Sign = {
  name: 'penetrating or blast eye injury',
  patterns: [rx`(?:扎|戳|刺|炸|崩)(?:到|伤|进|破)了?(?:眼睛|眼球|眼)|眼(?:睛|球)?(?:被)${G}{0,4}(?:扎|戳|刺|炸|崩)|\b(?:stabbed|poked|hit|struck) in the eye\b|\beye injury\b`],
}

export const curtainOverVision: Sign = {
  name: 'curtain or shadow over vision',
  patterns: [
    rx`(?:黑影|阴影|幕布|帘子|黑幕)${G}{0,4}(?:遮|挡)|眼前${G}{0,8}(?:帘子|幕布|黑幕|窗帘)|(?:上|下|左|右)半(?:部分|边)?(?:视野)?看不(?:见|清)|视物不全|视野(?:缺损|缺了一块)|(?:闪光|火花)${G}{0,6}(?:飞蚊|黑点)`,
    rx`\bcurtain (?:over|across|coming down)\b|\bshadow (?:over|across) (?:my|his|her) vision\b|\bflashes and floaters\b|\bsudden floaters\b`,
  ],
}

const emergency = {
  'zh-CN': '眼科急症：化学伤立即用大量清水冲洗至少 15 分钟再就诊；突发失明或眼球穿通伤立即眼科急诊（勿按压眼球）。',
  en: 'Eye emergency: for chemicals, irrigate with plenty of water for at least 15 minutes first, then come in; sudden blindness or a penetrating injury goes to eye emergency now (do not press on the eye).',
}

export const suddenVisionLossRules: TriageRule[] = [
  { id: 'sudden-vision-loss.sudden', category: 'sudden-vision-loss', level: 'emergency', needs: [[suddenSightLoss, acuteGlaucoma]], action: emergency },
  { id: 'sudden-vision-loss.chemical', category: 'sudden-vision-loss', level: 'emergency', needs: [chemicalInEye], action: emergency },
  { id: 'sudden-vision-loss.injury', category: 'sudden-vision-loss', level: 'emergency', needs: [eyeInjury], action: emergency },
  {
    id: 'sudden-vision-loss.curtain',
    category: 'sudden-vision-loss',
    level: 'urgent',
    needs: [curtainOverVision],
    action: {
      'zh-CN': '疑似视网膜脱离：今日内眼科急诊散瞳查眼底，避免剧烈活动。',
      en: 'Possible retinal detachment: eye department today for a dilated fundus examination; avoid strenuous activity.',
    },
  },
]
