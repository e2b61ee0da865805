// Helpers for writing the rule tables' regular expressions readably.
import { numberPattern } from './chinese-numbers.ts'

/** Up to a few characters within one clause (no , 。 ; ! ? or line break). */
export const G = '[^,。;!?\\n]'

/** One number, in digits or Chinese numerals (三十八点五). */
export const N = numberPattern

/** A regular expression from a template, backslashes kept as written: rx`胸${G}{0,3}痛`. */
export function rx(strings: TemplateStringsArray, ...values: string[]): RegExp {
  return new RegExp(String.raw(strings, ...values), 'u')
}

/** A regular expression from alternatives: any([`胸痛`, `胸闷`]). */
export function any(alternatives: readonly string[]): RegExp {
  return new RegExp(alternatives.join('|'), 'u')
}
