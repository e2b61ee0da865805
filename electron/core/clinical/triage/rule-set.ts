// The rule set: every category's table, in the order flags are listed, and its version. Every
// flag is stored with the version that raised it; change a rule and the version must change too
// (a test compares the fingerprint of the tables with the one recorded for the version).
import { redFlagCategories } from '../../../contract/triage.ts'
import { abnormalHeartRateRules } from './rules/abnormal-heart-rate.ts'
import { acuteAbdomenRules } from './rules/acute-abdomen.ts'
import { anaphylaxisRules } from './rules/anaphylaxis.ts'
import { animalBiteRules } from './rules/animal-bite.ts'
import { breathingRules } from './rules/breathing-difficulty.ts'
import { cardiacArrestRules } from './rules/cardiac-arrest.ts'
import { chestPainRules } from './rules/chest-pain.ts'
import { childDehydrationRules } from './rules/child-dehydration.ts'
import { coughingBloodRules } from './rules/coughing-blood.ts'
import { giBleedingRules } from './rules/gi-bleeding.ts'
import { heavyBleedingRules } from './rules/heavy-bleeding.ts'
import { hyperglycaemiaRules } from './rules/hyperglycaemia.ts'
import { hypertensiveCrisisRules } from './rules/hypertensive-crisis.ts'
import { hypoglycaemiaRules } from './rules/hypoglycaemia.ts'
import { infantFeverRules } from './rules/infant-fever.ts'
import { noUrineRules } from './rules/no-urine.ts'
import { poisoningRules } from './rules/poisoning.ts'
import { pregnancyRules } from './rules/pregnancy-emergency.ts'
import { seizureRules } from './rules/seizure.ts'
import { sepsisMeningitisRules } from './rules/sepsis-meningitis.ts'
import { seriousInjuryRules } from './rules/serious-injury.ts'
import { strokeRules } from './rules/stroke.ts'
import { suddenVisionLossRules } from './rules/sudden-vision-loss.ts'
import { suicideRules } from './rules/suicide-self-harm.ts'
import { testicularTorsionRules } from './rules/testicular-torsion.ts'
import { thunderclapRules } from './rules/thunderclap-headache.ts'
import { unconsciousnessRules } from './rules/unconsciousness.ts'
import type { Sign, TriageRule } from './types.ts'

export const ruleSetVersion = '2026.2'

const tables: TriageRule[][] = [
  cardiacArrestRules,
  chestPainRules,
  strokeRules,
  breathingRules,
  anaphylaxisRules,
  heavyBleedingRules,
  unconsciousnessRules,
  seizureRules,
  sepsisMeningitisRules,
  infantFeverRules,
  pregnancyRules,
  poisoningRules,
  seriousInjuryRules,
  thunderclapRules,
  hypoglycaemiaRules,
  childDehydrationRules,
  giBleedingRules,
  coughingBloodRules,
  suicideRules,
  hypertensiveCrisisRules,
  abnormalHeartRateRules,
  suddenVisionLossRules,
  testicularTorsionRules,
  hyperglycaemiaRules,
  acuteAbdomenRules,
  noUrineRules,
  animalBiteRules,
]

/** Every rule, grouped by category in redFlagCategories order; within a category the more urgent first. */
export const triageRules: readonly TriageRule[] = tables
  .flat()
  .sort((a, b) => redFlagCategories.indexOf(a.category) - redFlagCategories.indexOf(b.category))

function describeSign(sign: Sign): string {
  const flags = [sign.standing && 'standing', sign.acuteOnly && 'acute', sign.fearCounts && 'fear', sign.cancelledWhenStopped && 'stops']
  return `${sign.name}[${flags.filter(Boolean).join(',')}]{${sign.patterns.map((pattern) => pattern.source).join('|')}}${sign.accept ? '(reading)' : ''}`
}

/** FNV-1a over a canonical description of the tables: changes whenever a rule, sign or action does. */
export function ruleSetFingerprint(rules: readonly TriageRule[] = triageRules): string {
  const description = rules
    .map((rule) =>
      [
        rule.id,
        rule.category,
        rule.level,
        rule.needs.map((need) => (Array.isArray(need) ? need : [need]).map(describeSign).join(' or ')).join(' and '),
        rule.patient?.name ?? '',
        (rule.unless ?? []).map(describeSign).join(','),
        rule.action['zh-CN'],
        rule.action.en,
      ].join('\u0001'),
    )
    .join('\u0002')
  let hash = 0x811c9dc5
  for (let i = 0; i < description.length; i++) {
    hash ^= description.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193) >>> 0
  }
  return hash.toString(16).padStart(8, '0')
}
