// Finds every mention of the rule table's signs in a normalized text and decides, with the scope
// rules, how the text speaks of each: present, denied, supposed, past, long-standing or stopped.
import { isLongStanding } from './chronic.ts'
import { isHistory } from './history.ts'
import { isHearsay } from './hearsay.ts'
import { isHypothetical } from './hypothetical.ts'
import { isNegated } from './negation.ts'
import { originalWords, type NormalizedText } from './normalize.ts'
import { isResolved } from './resolved.ts'
import type { Finding, Sign, SignStatus } from './types.ts'

const globalPatterns = new WeakMap<RegExp, RegExp>()

function global(pattern: RegExp): RegExp {
  let compiled = globalPatterns.get(pattern)
  if (compiled === undefined) {
    compiled = new RegExp(pattern.source, 'gu')
    globalPatterns.set(pattern, compiled)
  }
  compiled.lastIndex = 0
  return compiled
}

/** The order matters: a denied sign is denied even inside a history section. */
export function statusOf(sign: Sign, text: string, start: number, end: number): SignStatus {
  if (isNegated(text, start, end)) return 'denied'
  if (!sign.fearCounts && isHypothetical(text, start, end)) return 'supposed'
  if (isHearsay(text, start)) return 'supposed'
  if (!sign.standing && isHistory(text, start, end)) return 'past'
  if (sign.acuteOnly && isLongStanding(text, start)) return 'long-standing'
  if (sign.cancelledWhenStopped && isResolved(text, start, end)) return 'stopped'
  return 'present'
}

export function findSign(normalized: NormalizedText, sign: Sign): Finding[] {
  const { text } = normalized
  const findings: Finding[] = []
  const seen = new Set<string>()
  for (const pattern of sign.patterns) {
    for (const match of text.matchAll(global(pattern))) {
      if (match[0] === '') continue
      if (sign.accept && !sign.accept(match)) continue
      const start = match.index
      const end = start + match[0].length
      const key = `${start}:${end}`
      if (seen.has(key)) continue
      seen.add(key)
      findings.push({
        sign,
        start,
        end,
        words: originalWords(normalized, start, end),
        status: statusOf(sign, text, start, end),
        groups: [...match],
      })
    }
  }
  return findings.sort((a, b) => a.start - b.start)
}

/** Every sign's findings, each sign scanned once however many rules use it. */
export class SignFindings {
  private readonly cache = new Map<Sign, Finding[]>()
  private readonly presentCache = new Map<Sign, Finding[]>()
  private readonly normalized: NormalizedText

  constructor(normalized: NormalizedText) {
    this.normalized = normalized
  }

  all(sign: Sign): Finding[] {
    let findings = this.cache.get(sign)
    if (findings === undefined) {
      findings = findSign(this.normalized, sign)
      this.cache.set(sign, findings)
    }
    return findings
  }

  present(sign: Sign): Finding[] {
    let present = this.presentCache.get(sign)
    if (present === undefined) {
      present = this.all(sign).filter((finding) => finding.status === 'present')
      this.presentCache.set(sign, present)
    }
    return present
  }
}
