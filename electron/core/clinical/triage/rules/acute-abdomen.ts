// Severe abdominal pain (rolling around, a board-hard belly) or right lower pain that worsens or
// comes with fever (appendicitis) needs a surgeon today. In pregnancy it is a pregnancy emergency
// instead. Mild or long-standing stomach ache and period pain can wait.
import { G, rx } from '../patterns.ts'
import { notPregnant } from '../patient-facts.ts'
import type { Sign, TriageRule } from '../types.ts'
import { severeAbdominalPain } from './pregnancy-emergency.ts'
import { fever } from './shared-signs.ts'

export const rigidAbdomen: Sign = {
  name: 'board-hard abdomen',
  patterns: [rx`肚子(?:硬得像|硬邦邦|像木板|摸着很硬)|板状腹|\b(?:belly|abdomen|stomach|tummy) (?:is )?(?:hard|rigid)(?: as a board)?\b`],
}

export const rightLowerPain: Sign = {
  name: 'right lower abdominal pain',
  acuteOnly: true,
  patterns: [rx`右下腹部?${G}{0,4}(?:疼|痛)|\bpain (?:in|on) (?:the |my |his |her )?(?:lower )?right (?:side|lower)|\bright lower (?:abdominal|belly|tummy)? ?pain\b`],
}

export const worsening: Sign = {
  name: 'getting worse',
  patterns: [rx`越来越(?:疼|痛|厉害)|(?:疼痛|疼|痛)加重|\bgetting worse\b|\bworse and worse\b`],
}

const action = {
  'zh-CN': '急腹症可能：今日内外科评估（腹部查体、血常规、影像学），禁食；出现休克、板状腹或持续呕吐立即急诊。',
  en: 'Possible acute abdomen: surgical assessment today (examination, blood count, imaging), nil by mouth; shock, a rigid abdomen or persistent vomiting mean emergency department.',
}

export const acuteAbdomenRules: TriageRule[] = [
  { id: 'acute-abdomen.severe-pain', category: 'acute-abdomen', level: 'urgent', needs: [[severeAbdominalPain, rigidAbdomen]], patient: notPregnant, action },
  { id: 'acute-abdomen.appendicitis', category: 'acute-abdomen', level: 'urgent', needs: [rightLowerPain, [...fever, worsening]], patient: notPregnant, action },
]
