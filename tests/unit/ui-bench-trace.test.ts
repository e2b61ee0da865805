import { describe, expect, it } from 'vitest'
import { benchAnswers, longestFrameMs, longestTaskMs, type TraceEvent } from '../bench/ui-trace.ts'

// The UI benchmark's reading of a Chromium trace and its streamed answers, without Chromium.

const meta = (pid: number, tid: number, name: string): TraceEvent => ({ name: 'thread_name', ph: 'M', pid, tid, ts: 0, args: { name } })
const task = (pid: number, tid: number, durMs: number): TraceEvent => ({ name: 'RunTask', ph: 'X', pid, tid, ts: 1, dur: durMs * 1000 })

describe('the UI benchmark’s trace reading', () => {
  it('takes the longest top-level task of the renderer main thread only', () => {
    const events = [meta(1, 10, 'CrRendererMain'), meta(1, 11, 'Compositor'), meta(2, 20, 'CrBrowserMain'), task(1, 10, 12.5), task(1, 10, 48), task(1, 11, 300), task(2, 20, 900)]
    expect(longestTaskMs(events)).toBe(48)
    expect(longestTaskMs([task(1, 10, 5)])).toBe(0)
  })

  it('the longest frame is the longest gap between animation frames', () => {
    expect(longestFrameMs([0, 16.7, 33.4, 90, 106.7])).toBeCloseTo(56.6)
    expect(longestFrameMs([5])).toBe(0)
  })

  it('streams the same words with and without Markdown, in the asked number of pieces', () => {
    const { markdown, plain } = benchAnswers(4000)
    expect(markdown).toHaveLength(4000)
    expect(plain).toHaveLength(4000)
    const md = markdown.join('')
    expect(md).toMatch(/^- /m)
    expect(md).toMatch(/^1\. /m)
    expect(md).toMatch(/^\|---\|/m)
    const text = plain.join('')
    expect(text).not.toMatch(/^- |^\d+\. |\||\*\*/m)
    expect(text).toContain('急性上呼吸道感染')
    expect(text).toContain('发热，病毒感染，对症退热。')
  })
})
