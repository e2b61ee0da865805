// Sudden or severe pain in a testicle, above all in a boy or young man: torsion until shown
// otherwise; the testicle can be saved only within about six hours. ("蛋疼" the slang is not.)
import { G, rx } from '../patterns.ts'
import type { Sign, TriageRule } from '../types.ts'

const testicle = '(?:睾丸|蛋蛋|阴囊|一侧蛋)'

export const suddenTesticularPain: Sign = {
  name: 'sudden or severe testicular pain',
  patterns: [
    rx`(?:突然|突发|一下子|半夜)${G}{0,4}${testicle}${G}{0,3}(?:剧痛|疼|痛|肿痛)|${testicle}${G}{0,3}(?:突然|剧烈)${G}{0,2}(?:疼|痛|肿痛|剧痛)|(?:睾丸|蛋蛋)(?:疼|痛)得(?:厉害|受不了|直哭|打滚)|睾丸${G}{0,6}(?:往上缩|上缩|位置变高|横着)`,
    rx`\b(?:sudden|suddenly|really bad|severe|excruciating|agonising|agonizing)\b${G}{0,40}\b(?:testic|testis|scrot|balls?\b)|\b(?:testic|testis|scrot)\w*${G}{0,25}\bsudden|\btwisted testicle\b|\btorsion\b`,
  ],
}

export const testicularTorsionRules: TriageRule[] = [
  {
    id: 'testicular-torsion.sudden-pain',
    category: 'testicular-torsion',
    level: 'emergency',
    needs: [suddenTesticularPain],
    action: {
      'zh-CN': '警惕睾丸扭转：立即泌尿外科/急诊评估（彩超），6 小时内手术复位才能保住睾丸；禁食以备手术。',
      en: 'Possible testicular torsion: urology or emergency assessment now (Doppler ultrasound); surgery within about 6 hours saves the testis; nil by mouth for theatre.',
    },
  },
]
