// REFERENCE.md §3's tokens: every Unicode White_Space character removed, every other code point one
// token. Code points (not UTF-16 units), so 𠀀 or an emoji is one token as NLTK sees a Python string.

/** The Unicode White_Space property (PropList.txt), spelled out: a comparison per unit, no regex. */
export function isWhiteSpace(codePoint: number): boolean {
  if (codePoint <= 0x20) return codePoint === 0x20 || (codePoint >= 0x09 && codePoint <= 0x0d)
  if (codePoint < 0x85) return false
  return (
    codePoint === 0x85 ||
    codePoint === 0xa0 ||
    codePoint === 0x1680 ||
    (codePoint >= 0x2000 && codePoint <= 0x200a) ||
    codePoint === 0x2028 ||
    codePoint === 0x2029 ||
    codePoint === 0x202f ||
    codePoint === 0x205f ||
    codePoint === 0x3000
  )
}

/** The text's tokens as code points; a lone surrogate stays one token of its own. */
export function tokenize(text: string): Int32Array {
  const tokens = new Int32Array(text.length)
  let count = 0
  for (let i = 0; i < text.length; i++) {
    let unit = text.charCodeAt(i)
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const low = text.charCodeAt(i + 1)
      if (low >= 0xdc00 && low <= 0xdfff) {
        unit = (unit - 0xd800) * 0x400 + (low - 0xdc00) + 0x10000
        i++
      }
    }
    if (!isWhiteSpace(unit)) tokens[count++] = unit
  }
  return tokens.subarray(0, count)
}
