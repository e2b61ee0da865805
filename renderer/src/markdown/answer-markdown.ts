import DOMPurify from 'dompurify'
import MarkdownIt from 'markdown-it'

// The model's answer as Markdown. Nothing the model writes becomes live markup or a request, by
// two walls: markdown-it with raw HTML off, images off and links rendered as their words only
// (safe by construction); then DOMPurify keeping a fixed set of text tags and no attributes at all
// — no src, no href, no on*, no style.

const markdown = new MarkdownIt({ html: false, linkify: false, typographer: false, breaks: true }).disable(['image'])
// A link's words stay; where it points does not (a click must never leave the workstation).
markdown.renderer.rules['link_open'] = () => ''
markdown.renderer.rules['link_close'] = () => ''

const ALLOWED_TAGS = ['p', 'br', 'strong', 'em', 'del', 's', 'code', 'pre', 'blockquote', 'ul', 'ol', 'li', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'table', 'thead', 'tbody', 'tr', 'th', 'td']

/** One piece of an answer as safe HTML. */
export function answerHtml(text: string): string {
  const html = markdown.render(text)
  return DOMPurify.isSupported ? DOMPurify.sanitize(html, { ALLOWED_TAGS, ALLOWED_ATTR: [] }) : html
}

/**
 * Where a streaming answer's finished blocks end: at the last blank line outside a code fence.
 * Everything before it will not change as more text arrives, so it is rendered once.
 */
export function finishedLength(text: string): number {
  let end = 0
  let inFence = false
  let offset = 0
  for (const line of text.split('\n')) {
    const next = offset + line.length + 1
    if (/^\s*(```|~~~)/.test(line)) inFence = !inFence
    else if (!inFence && line.trim() === '' && next <= text.length) end = next
    offset = next
  }
  return end
}
