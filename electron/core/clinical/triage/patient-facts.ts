// Who the patient is, as far as triage needs to know: age (from the text and the header), whether
// she is pregnant (text or header; "未怀孕", "备孕", "有怀孕的可能吗" and "19年孕12周胎停" do not
// count), whether the message is about a child or an older person, and the highest temperature.
// When the text and the header disagree, either one is enough to apply a rule: triage errs towards
// the flag.
import type { TriageContext } from '../../../contract/triage.ts'
import { agesInText } from './age.ts'
import type { NormalizedText } from './normalize.ts'
import { G, N, rx } from './patterns.ts'
import { temperatureOf, thermometerReading } from './readings.ts'
import type { SignFindings } from './scanner.ts'
import type { PatientCondition, PatientFacts, Sign } from './types.ts'

export const pregnant: Sign = {
  name: 'pregnant',
  patterns: [
    rx`(?<!想|备|准备|计划|打算|要|避免|防止|能|可以)怀孕(?!情况|的可能|了吗|吗|没|的几率|几率|概率|试纸|的话)`,
    rx`孕${N}(?:\+${N})?(?:周|个?多?月)`,
    rx`孕(?:早|中|晚)期|孕妇|孕期|妊娠(?!试验)|怀着|怀了|怀(?:了)?(?:二胎|三胎|双胞胎)`,
    rx`(?:验孕|早孕试纸|试纸|验孕棒|测孕)${G}{0,4}(?:两条杠|两道杠|两条线|阳性)|hcg${G}{0,6}阳性`,
    rx`停经${N}多?(?:天|周)`,
    rx`(?<!trying to (?:get|become) |want to (?:get|be) |could i be |might be |if i am |if i'm )\bpregnant\b`,
    rx`\bexpecting a baby\b|\b(?:first|second|third) trimester\b`,
  ],
}

const childWords =
  /孩子|宝宝|宝贝|婴儿|幼儿|小孩|儿童|小朋友|新生儿|儿子|女儿|闺女|孙子|孙女|外孙|娃|\b(?:baby|infant|toddler|child|kid|son|daughter|newborn|boy|girl)\b/gu
const elderlyWords =
  /老人|老年人|老年|爷爷|奶奶|外公|外婆|姥姥|姥爷|老爷子|老太太|老太|老父亲|老母亲|\b(?:elderly|grandma|grandmother|grandpa|grandfather|granny)\b/gu

function wordsMatching(normalized: NormalizedText, pattern: RegExp): string[] {
  pattern.lastIndex = 0
  return [...normalized.text.matchAll(pattern)].map((match) => match[0])
}

export function patientFacts(normalized: NormalizedText, findings: SignFindings, context: TriageContext = {}): PatientFacts {
  const ages: PatientFacts['ages'] = agesInText(normalized)
  if (context.ageYears !== undefined) ages.push({ years: context.ageYears, words: null })

  const pregnancyWords = findings.present(pregnant).map((finding) => finding.words)
  const headerPregnant = context.pregnant === true && context.sex !== 'male'
  const pregnancy = pregnancyWords.length > 0 ? pregnancyWords : headerPregnant ? [] : null

  const temperatures = findings
    .present(thermometerReading)
    .map((finding) => temperatureOf(finding.groups))
    .filter((value): value is number => value !== null)

  return {
    ages,
    pregnancy,
    childWords: wordsMatching(normalized, childWords),
    elderlyWords: wordsMatching(normalized, elderlyWords),
    highestTemperature: temperatures.reduce<number | null>((highest, value) => (highest === null || value > highest ? value : highest), null),
  }
}

function ageWords(facts: PatientFacts, test: (years: number) => boolean): string[] | null {
  const matching = facts.ages.filter((age) => test(age.years))
  if (matching.length === 0) return null
  return matching.flatMap((age) => (age.words === null ? [] : [age.words]))
}

/** Under 3 months (fever then means sepsis until shown otherwise) — unless every reading is below 38 °C. */
export const youngInfant: PatientCondition = {
  name: 'infant under 3 months',
  evidence: (facts) => {
    if (facts.highestTemperature !== null && facts.highestTemperature < 38) return null
    return ageWords(facts, (years) => years < 0.25)
  },
}

/** Under 16, or a child word with no adult age in the text or header. */
export const child: PatientCondition = {
  name: 'child',
  evidence: (facts) => {
    const young = ageWords(facts, (years) => years < 16)
    if (young !== null) return young
    const textSaysAdult = facts.ages.some((age) => age.words !== null && age.years >= 16)
    return facts.childWords.length > 0 && !textSaysAdult ? [] : null
  },
}

export const notChild: PatientCondition = {
  name: 'not a child',
  evidence: (facts) => (child.evidence(facts) === null ? [] : null),
}

export const pregnantPatient: PatientCondition = {
  name: 'pregnant',
  evidence: (facts) => facts.pregnancy,
}

export const notPregnant: PatientCondition = {
  name: 'not pregnant',
  evidence: (facts) => (facts.pregnancy === null ? [] : null),
}

/** 45 and over, or an older relative: chest pain is cardiac until shown otherwise. */
export const olderAdult: PatientCondition = {
  name: '45 or older',
  evidence: (facts) => ageWords(facts, (years) => years >= 45) ?? (facts.elderlyWords.length > 0 ? [] : null),
}

/** A head injury is serious at any severity under 1 or over 65 (bleeding risk, poor history). */
export const headInjuryAge: PatientCondition = {
  name: 'under 1 or 65 and over',
  evidence: (facts) => ageWords(facts, (years) => years < 1 || years >= 65) ?? (facts.elderlyWords.length > 0 ? [] : null),
}
