// @vitest-environment jsdom
import { mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import MarkdownAnswer from '../../renderer/src/components/MarkdownAnswer.vue'
import { answerHtml, finishedLength } from '../../renderer/src/markdown/answer-markdown.ts'

// The model's answer as Markdown: readable structure, and nothing it writes becomes live markup or a
// request — whatever a hostile or confused model emits.

function elementsOf(html: string): Element[] {
  const host = document.createElement('div')
  host.innerHTML = html
  return [...host.querySelectorAll('*')]
}

describe('an answer rendered as Markdown', () => {
  it('keeps the structure a doctor reads: paragraphs, emphasis, lists, tables, code', () => {
    const html = answerHtml('**建议**：\n\n1. 多喝水\n2. 休息\n\n| 药物 | 剂量 |\n|---|---|\n| 布洛芬 | 0.3g |\n\n`T 38.2℃`')
    const tags = elementsOf(html).map((element) => element.tagName.toLowerCase())
    for (const tag of ['strong', 'ol', 'li', 'table', 'th', 'td', 'code']) expect(tags, tag).toContain(tag)
  })

  it('turns markup, images and links into inert text: no script, no image, no attribute at all', () => {
    const hostile = [
      '<script>alert(1)</script>',
      '<img src=x onerror=alert(1)>',
      '[点这里](javascript:alert(1))',
      '[官网](https://example.com/track?id=1)',
      '![x](https://example.com/beacon.png)',
      '<a href="javascript:alert(2)">x</a>',
      '<iframe src="https://example.com"></iframe>',
      '<div style="background:url(https://example.com/x)">x</div>',
    ].join('\n\n')
    const html = answerHtml(hostile)
    const elements = elementsOf(html)
    expect(elements.filter((element) => ['script', 'img', 'iframe', 'div', 'style'].includes(element.tagName.toLowerCase()))).toEqual([])
    expect(elements.filter((element) => element.attributes.length > 0).map((element) => element.outerHTML)).toEqual([])
    // The words are still there for the doctor to read.
    expect(html).toContain('点这里')
    expect(html).toContain('&lt;script&gt;')
  })

  it('finds where the finished blocks of a streaming answer end, never inside a code fence', () => {
    expect(finishedLength('第一段\n\n第二段还在写')).toBe('第一段\n\n'.length)
    expect(finishedLength('没有空行')).toBe(0)
    const fenced = '说明\n\n```\n代码\n\n仍是代码'
    expect(finishedLength(fenced)).toBe('说明\n\n'.length)
    expect(finishedLength('```\na\n```\n\n之后')).toBe('```\na\n```\n\n'.length)
  })
})

describe('MarkdownAnswer while it streams', () => {
  it('renders finished blocks once, only the tail again on each delta, and the whole answer once at the end', async () => {
    const wrapper = mount(MarkdownAnswer, { props: { text: '**第一段**\n\n第二', streaming: true } })
    const finished = wrapper.find('.finished').element as HTMLElement
    const before = finished.innerHTML
    expect(before).toContain('<strong>第一段</strong>')
    // A mutation observer sees whether the finished block is touched by the next deltas.
    const touched: MutationRecord[] = []
    new MutationObserver((records) => touched.push(...records)).observe(finished, { childList: true, subtree: true, characterData: true })
    for (const tail of ['第二段', '第二段继续', '第二段继续写']) await wrapper.setProps({ text: `**第一段**\n\n${tail}` })
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(touched.map((record) => `${record.type} ${(record.target as Element).outerHTML ?? record.target.nodeName}`)).toEqual([])
    expect(wrapper.find('.finished').element).toBe(finished)
    expect(wrapper.text()).toContain('第二段继续写')

    await wrapper.setProps({ text: '**第一段**\n\n- 甲\n- 乙', streaming: false })
    expect(wrapper.html()).toContain('<li>甲</li>')
    expect(wrapper.findAll('.whole')).toHaveLength(1)
    expect(wrapper.findAll('.finished')).toHaveLength(0)
  })
})
