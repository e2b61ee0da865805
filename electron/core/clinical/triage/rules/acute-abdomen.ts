// Severe abdominal pain (rolling around, a board-hard belly) or right lower pain that worsens or
// comes with fever (appendicitis) needs a surgeon today. A board-hard belly that is tender or came on
// suddenly (peritonitis, a perforation), or severe or sudden pain with pallor, cold sweat or
// faintness (a bleed, a ruptured aneurysm) is an emergency. In pregnancy it is a pregnancy emergency
// instead. Mild or long-standing stomach ache and period pain can wait.
import { G, rx } from '../patterns.ts'
import { notPregnant } from '../patient-facts.ts'
import { bloodPressureLow } from '../readings.ts'
import type { Sign, TriageRule } from '../types.ts'
import { feelingFaint } from './abnormal-heart-rate.ts'
import { severeAbdominalPain } from './pregnancy-emergency.ts'
import { fever, reportedSuddenly } from './shared-signs.ts'
import { fainted } from './unconsciousness.ts'

const alternatives = (words: readonly string[]) => `(?:${words.join('|')})`

/** The belly in lay Chinese, longest first. */
const zhBelly = alternatives(['小肚子', '肚子', '肚皮', '腹部', '小腹', '下腹', '上腹', '肚脐周围', '肚脐附近', '肚脐眼', '肚脐', '肚', '腹'])
/** The belly in English. */
const enBelly = '(?:belly|abdomen|stomach|tummy|tum|gut)'
/** Hard as a board, in lay words: rigid (peritonitis), not merely firm or bloated. */
const zhBoardHard = alternatives(['硬得像(?:板|木板|一块板|石头|铁|砖)', '硬得跟(?:板|木板|石头|铁|砖)', '像(?:木板|板子|一块板)一样硬', '像木板', '像板子', '像一块板'])
const enBoardHard = '(?:rigid|rock[- ]hard|rock solid|solid as a rock|like a board|board-?like|hard as (?:a board|a rock|wood|stone))'
/** Merely hard or firm: also wind, a full stomach or a constipated baby, so it counts only with tenderness or a sudden onset. */
const zhFirm = alternatives(['硬邦邦', '梆硬', '摸着很硬', '摸起来很硬', '摸着特别硬', '硬得不行', '发硬'])
const enFirm = '(?:hard|firm|tight|swollen and hard)'

export const rigidAbdomen: Sign = {
  name: 'board-hard abdomen',
  patterns: [
    rx`板状腹`,
    new RegExp(`${zhBelly}${G}{0,3}${zhBoardHard}`, 'u'),
    new RegExp(`\\b${enBelly} (?:is |feels |went |has gone |has become |got |is going )?(?:really |very |so )?${enBoardHard}\\b`, 'u'),
  ],
}

const firmAbdomen: Sign = {
  name: 'hard abdomen',
  patterns: [
    new RegExp(`${zhBelly}${G}{0,3}${zhFirm}`, 'u'),
    new RegExp(`\\b${enBelly} (?:is |feels |went |has gone |has become |got |is going )?(?:really |very |so )?${enFirm}\\b`, 'u'),
  ],
}

/** Tender to touch or movement: guarding and rebound in lay words (一碰就疼, can't move). */
const tenderness: Sign = {
  name: 'tender to touch or movement',
  patterns: [
    rx`一碰就(?:疼|痛)|碰(?:都|也)不(?:能|让|敢)碰|不敢(?:动|碰|按)|一动就(?:疼|痛)|按(?:下去|着|一下)${G}{0,4}(?:更|就)?(?:疼|痛)|松手${G}{0,3}(?:更|反而)?(?:疼|痛)|\b(?:can't|cannot|can not) move\b|\bhurts (?:to move|when (?:i|he|she) move|to touch)\b|\b(?:can't|won't let (?:me|anyone)) (?:bear to )?touch\b|\blying (?:very |dead )?still\b`,
  ],
}

/** Abdominal pain that came on suddenly or tears: a perforation, an aneurysm, a torsion. */
const suddenAbdominalPain: Sign = {
  name: 'sudden or tearing abdominal pain',
  acuteOnly: true,
  patterns: [
    new RegExp(`(?:突然|突发|一下子|猛地)${G}{0,4}${zhBelly}${G}{0,4}(?:剧痛|疼|痛|绞痛)|${zhBelly}${G}{0,3}(?:突然|突发|一下子)${G}{0,3}(?:剧痛|疼|痛|绞痛)|${zhBelly}${G}{0,3}(?:撕裂|刀割|刀绞|撕扯)`, 'u'),
    new RegExp(
      `\\b(?:sudden|suddenly|tearing|ripping|stabbing)\\b(?: \\w+){0,2} (?:pain|ache|agony) (?:in|on|across) (?:my|his|her|the) (?:lower |upper )?${enBelly}|\\b(?:sudden|tearing|ripping) (?:severe |sharp )?(?:${enBelly}|abdominal) (?:pain|ache)|\\b(?:${enBelly}|abdominal) (?:pain|ache) (?:came on|started|began|hit (?:me|him|her)) (?:very )?(?:suddenly|all of a sudden|out of nowhere|out of the blue)`,
      'u',
    ),
  ],
}

/**
 * Pallor, cold limbs, a grey or clammy look with the pain (shock). Not a cold sweat alone: severe pain
 * itself brings one out (肚子疼得冒冷汗 is severe pain, not shock).
 */
const shockWithPain: Sign = {
  name: 'pale, clammy or cold',
  patterns: [
    rx`(?:脸色|面色|脸|嘴唇)${G}{0,2}(?:发白|苍白|煞白|惨白|发灰|发紫|蜡黄|刷白)|手脚(?:冰凉|发凉|冰冷)|\bpale\b|\bclammy\b|\bgr[ae]y\b|\bashen\b|\bwhite as a sheet\b`,
  ],
}

/** Period pain: the explanation of cramps with pallor and sweating. */
const periodPain: Sign = {
  name: 'period pain',
  patterns: [rx`痛经|来月经|月经(?:来了|期|第)|大姨妈|例假|姨妈(?:痛|疼)|\bperiod (?:pain|cramps)\b|\b(?:my|her|on (?:my|her)) period\b`],
}

export const rightLowerPain: Sign = {
  name: 'right lower abdominal pain',
  acuteOnly: true,
  patterns: [
    rx`右下腹部?${G}{0,4}(?:疼|痛)|\bpain (?:in|on) (?:the |my |his |her )?(?:lower right|right lower|bottom right)|\bright lower (?:abdominal|belly|tummy)? ?pain\b`,
    // Pain that started round the navel and moved to the right lower belly (the appendix).
    rx`(?:肚子|腹部?)右下(?:边|方|侧)?${G}{0,4}(?:疼|痛)|右下(?:边|方|侧)?的?(?:肚子|腹)${G}{0,4}(?:疼|痛)|(?:疼|痛)${G}{0,8}(?:转移|转|跑|移|挪)到${G}{0,2}右下|(?:转移|转|跑|挪)到${G}{0,2}右下(?:腹|肚子|边|方)|\bpain\b[^,.;!?]{0,60}\b(?:moved|moving|shifted|gone|went|spread|travelled|traveled)(?: down)? (?:to|into) (?:the |my |his |her )?(?:lower right|right lower|bottom right|right side of (?:my|his|her|the) (?:belly|tummy|abdomen|stomach))`,
  ],
}

export const worsening: Sign = {
  name: 'getting worse',
  patterns: [rx`越来越(?:疼|痛|厉害)|(?:疼痛|疼|痛)加重|\bgetting worse\b|\bworse and worse\b`],
}

const action = {
  'zh-CN': '急腹症可能：今日内外科评估（腹部查体、血常规、影像学），禁食；出现休克、板状腹或持续呕吐立即急诊。',
  en: 'Possible acute abdomen: surgical assessment today (examination, blood count, imaging), nil by mouth; shock, a rigid abdomen or persistent vomiting mean emergency department.',
}

const emergencyAction = {
  'zh-CN': '急腹症伴腹膜炎或休克征象：立即急诊（外科），测血压心率，建立静脉通路，禁食；老年人突发撕裂样腹痛放射到背部须排除腹主动脉瘤破裂。',
  en: 'Acute abdomen with peritonitis or shock: emergency department now (surgeons), blood pressure and pulse, IV access, nil by mouth; in an older patient, sudden tearing pain to the back is a ruptured aortic aneurysm until shown otherwise.',
}

export const acuteAbdomenRules: TriageRule[] = [
  {
    id: 'acute-abdomen.peritonitis',
    category: 'acute-abdomen',
    level: 'emergency',
    needs: [[rigidAbdomen, firmAbdomen], [tenderness, suddenAbdominalPain, reportedSuddenly]],
    patient: notPregnant,
    action: emergencyAction,
  },
  {
    id: 'acute-abdomen.with-shock',
    category: 'acute-abdomen',
    level: 'emergency',
    needs: [[severeAbdominalPain, suddenAbdominalPain, rigidAbdomen], [shockWithPain, feelingFaint, fainted, bloodPressureLow]],
    patient: notPregnant,
    unless: [periodPain],
    action: emergencyAction,
  },
  { id: 'acute-abdomen.severe-pain', category: 'acute-abdomen', level: 'urgent', needs: [[severeAbdominalPain, rigidAbdomen]], patient: notPregnant, action },
  { id: 'acute-abdomen.appendicitis', category: 'acute-abdomen', level: 'urgent', needs: [rightLowerPain, [...fever, worsening]], patient: notPregnant, action },
]
