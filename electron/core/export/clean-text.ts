/** Characters no export may carry: C0 controls but tab and line feed, U+FFFE/FFFF, lone surrogates (XML 1.0 forbids them). */
// eslint-disable-next-line no-control-regex -- matching control characters is the point: they are removed
const unprintable = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g

/** Record text as every export writes it: line feeds only, nothing unprintable. */
export function cleanText(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(unprintable, '')
}
