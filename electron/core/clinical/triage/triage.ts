// Red-flag triage of one patient message: deterministic rules, no model. Normalize the text, find
// every sign and how it is spoken of, work out who the patient is, fire the rules whose signs are
// all present, and keep one flag per category — the most urgent — quoting the patient's words.
// Clinical text is never logged here or anywhere in triage.
import type { RedFlag, RedFlagCategory, TriageContext } from '../../../contract/triage.ts'
import { normalizePatientText } from './normalize.ts'
import { patientFacts } from './patient-facts.ts'
import { ruleSetVersion, triageRules } from './rule-set.ts'
import { SignFindings } from './scanner.ts'
import type { Finding, PatientFacts, TriageRule } from './types.ts'

const maxMatchedWords = 50

export interface FiredRule {
  rule: TriageRule
  findings: Finding[]
  patientWords: string[]
}

export interface TriageExplanation {
  flags: RedFlag[]
  fired: FiredRule[]
  facts: PatientFacts
  /** Every sign mention the rules looked at, with its status (for tests and for a "why" view). */
  findings: Finding[]
}

function fire(rule: TriageRule, findings: SignFindings, facts: PatientFacts): FiredRule | null {
  const used: Finding[] = []
  for (const need of rule.needs) {
    const present = (Array.isArray(need) ? need : [need]).flatMap((sign) => findings.present(sign))
    if (present.length === 0) return null
    for (const finding of present) used.push(finding)
  }
  if (rule.unless?.some((sign) => findings.present(sign).length > 0)) return null
  const patientWords = rule.patient ? rule.patient.evidence(facts) : []
  if (patientWords === null) return null
  return { rule, findings: used, patientWords }
}

/**
 * The patient's words in text order, at most `limit` of them; a mention inside a longer one
 * ("发烧" in "发烧38.5") is not repeated.
 */
function uniqueWords(fired: FiredRule[], limit: number): string[] {
  const findings = fired.flatMap((f) => f.findings).sort((a, b) => a.start - b.start || b.end - a.end)
  const words = new Set<string>()
  let coveredUntil = -1
  for (const finding of findings) {
    if (words.size >= limit) break
    if (finding.end <= coveredUntil) continue
    coveredUntil = finding.end
    if (finding.words !== '') words.add(finding.words)
  }
  const quoted = [...words]
  for (const word of fired.flatMap((f) => f.patientWords)) {
    if (quoted.length < limit && !quoted.some((known) => known.includes(word))) quoted.push(word)
  }
  return quoted
}

const levelRank = (group: FiredRule[]) => (group.some((f) => f.rule.level === 'emergency') ? 2 : 1)
const overlaps = (a: Finding, b: Finding) => a.start < b.end && b.start < a.end

/**
 * Which category's flag is another's finding when every word of it is also the other's evidence: a
 * left arm gone numb with cardiac chest pain is the heart's pain spreading, not a stroke. Pairs are
 * listed, not inferred: breathlessness with chest pain, or chest pain in a hypertensive crisis, are
 * each their own emergency and keep their own flag and action.
 */
const mergesInto: Partial<Record<RedFlagCategory, readonly RedFlagCategory[]>> = {
  stroke: ['chest-pain'],
}

/**
 * One sentence, one flag per emergency: a category of `mergesInto` whose every word is also evidence
 * of the more specific category, which has more evidence and is at least as urgent, joins that
 * category's flag with its words kept.
 */
function mergeOverlapping(byCategory: Map<string, FiredRule[]>): void {
  for (const [category, group] of [...byCategory]) {
    const words = group.flatMap((f) => f.findings)
    const targets: readonly string[] = mergesInto[category as RedFlagCategory] ?? []
    if (words.length === 0 || targets.length === 0) continue
    const into = [...byCategory].find(([other, candidate]) => {
      if (!targets.includes(other)) return false
      const theirs = candidate.flatMap((f) => f.findings)
      return (
        levelRank(candidate) >= levelRank(group) &&
        words.every((word) => theirs.some((their) => overlaps(word, their))) &&
        theirs.some((their) => !words.some((word) => overlaps(word, their)))
      )
    })
    if (into === undefined) continue
    byCategory.delete(category)
    // Carried as a fired rule of the category it merges into, so its words are quoted there.
    into[1].push(...group.map((f) => ({ ...f, rule: { ...f.rule, level: into[1][0]!.rule.level, category: into[1][0]!.rule.category } })))
  }
}

/** One flag per category: the first (most urgent) rule that fired decides the level and action. */
function flagsFrom(fired: FiredRule[]): RedFlag[] {
  const byCategory = new Map<string, FiredRule[]>()
  for (const f of fired) {
    const group = byCategory.get(f.rule.category)
    if (group === undefined) byCategory.set(f.rule.category, [f])
    else group.push(f)
  }
  mergeOverlapping(byCategory)
  const flags: RedFlag[] = []
  for (const group of byCategory.values()) {
    const decisive = group.find((f) => f.rule.level === 'emergency') ?? group[0]!
    flags.push({
      ruleId: decisive.rule.id,
      category: decisive.rule.category,
      level: decisive.rule.level,
      // A pasted document can mention a sign hundreds of times; the first words are enough to show why.
      matched: uniqueWords(group, maxMatchedWords),
      action: { ...decisive.rule.action },
      ruleSetVersion,
    })
  }
  // Emergencies first, each level in the category order of the rule set.
  return flags.sort((a, b) => (a.level === b.level ? 0 : a.level === 'emergency' ? -1 : 1))
}

function evaluate(text: string, context: TriageContext) {
  const normalized = normalizePatientText(text)
  const findings = new SignFindings(normalized)
  const facts = patientFacts(normalized, findings, context)
  const fired = triageRules.map((rule) => fire(rule, findings, facts)).filter((f): f is FiredRule => f !== null)
  return { flags: flagsFrom(fired), fired, facts, findings }
}

/** The red flags in one patient message ([] when nothing needs care today). */
export function triagePatientMessage(text: string, context: TriageContext = {}): RedFlag[] {
  return evaluate(text, context).flags
}

/** The flags with the reasons: which rules fired, on which words, and every sign mention with its status. */
export function explainTriage(text: string, context: TriageContext = {}): TriageExplanation {
  const { flags, fired, facts, findings } = evaluate(text, context)
  const signs = new Set(triageRules.flatMap((rule) => [...rule.needs.flatMap((need) => (Array.isArray(need) ? need : [need])), ...(rule.unless ?? [])]))
  return { flags, fired, facts, findings: [...signs].flatMap((sign) => findings.all(sign)).sort((a, b) => a.start - b.start) }
}
