// Pure helpers of the UI benchmark (tests/bench/ui.bench.ts): what a Chromium performance trace
// says about the page's main thread, and the answer it streams — kept apart so a unit test can
// check them without Chromium.

/** One event of a Chromium trace (the Trace Event Format), as far as the benchmark reads it. */
export interface TraceEvent {
  name: string
  ph: string
  pid: number
  tid: number
  ts: number
  dur?: number
  cat?: string
  args?: { name?: string }
}

/** The renderer main threads in a trace ("pid:tid"), by their thread_name metadata. */
export function rendererMainThreads(events: readonly TraceEvent[]): Set<string> {
  const threads = new Set<string>()
  for (const event of events) {
    if (event.ph === 'M' && event.name === 'thread_name' && event.args?.name === 'CrRendererMain') threads.add(`${event.pid}:${event.tid}`)
  }
  return threads
}

/** The longest task the page's main thread ran (a top-level RunTask), in milliseconds; 0 when none. */
export function longestTaskMs(events: readonly TraceEvent[]): number {
  const main = rendererMainThreads(events)
  let longest = 0
  for (const event of events) {
    if (event.ph !== 'X' || event.name !== 'RunTask' || event.dur === undefined) continue
    if (!main.has(`${event.pid}:${event.tid}`)) continue
    longest = Math.max(longest, event.dur / 1000)
  }
  return longest
}

/** The longest gap between consecutive animation frames, in milliseconds (the longest frame). */
export function longestFrameMs(frameTimes: readonly number[]): number {
  let longest = 0
  for (let i = 1; i < frameTimes.length; i++) longest = Math.max(longest, frameTimes[i]! - frameTimes[i - 1]!)
  return longest
}

/**
 * About `tokens` tokens of a doctor's answer in Markdown — paragraphs, a bulleted and a numbered
 * list, a table — and the same words as plain paragraphs (no Markdown syntax), each cut into the
 * pieces it streams in: a CJK character or a Latin word (with its markup) per piece, as a
 * tokenizer would roughly give them.
 */
export function benchAnswers(tokens: number): { markdown: string[]; plain: string[] } {
  const markdownBlocks = [
    '根据您描述的症状，考虑**急性上呼吸道感染**的可能性较大，但需要排除其他原因引起的头痛和发热。\n\n',
    '建议您注意以下几点：\n\n- 多饮水，保证充足休息\n- 体温超过38.5℃时可服用对乙酰氨基酚\n- 观察是否出现颈部僵硬、剧烈头痛或呕吐\n\n',
    '就诊前可以先做的准备：\n\n1. 记录每天的体温变化\n2. 整理正在服用的药物\n3. 带上以往的检查报告\n\n',
    '| 症状 | 可能原因 | 建议 |\n|---|---|---|\n| 发热 | 病毒感染 | 对症退热 |\n| 头痛 | 发热伴随 | 休息观察 |\n| 咳嗽 | 上呼吸道炎症 | 多饮水 |\n\n',
    '如果症状在三天内没有缓解，或者出现 high fever 持续不退、意识改变等情况，请及时到医院急诊就诊。\n\n',
  ]
  // The same words with no Markdown: each block's lines joined into one paragraph.
  const plainBlocks = markdownBlocks.map(
    (block) =>
      block
        .split('\n\n')
        .filter((paragraph) => paragraph !== '')
        .map((paragraph) =>
          paragraph
            .split('\n')
            .filter((line) => !/^\|[-|]+\|$/.test(line))
            .map((line) =>
              line
                .replace(/\*\*/g, '')
                .replace(/^(- |\d+\. )/, '')
                .replace(/^\| (.*) \|$/, (_, cells: string) => `${cells.split(' | ').join('，')}。`),
            )
            .join('；'),
        )
        .join('\n\n') + '\n\n',
  )
  return { markdown: pieces(markdownBlocks, tokens), plain: pieces(plainBlocks, tokens) }
}

function pieces(blocks: readonly string[], tokens: number): string[] {
  const out: string[] = []
  for (let i = 0; out.length < tokens; i++) {
    const block = blocks[i % blocks.length]!
    // A Latin word with what follows it up to the next word, or one other character.
    for (const match of block.matchAll(/[A-Za-z0-9.℃%]+[^\p{Script=Han}A-Za-z0-9]*|[\s\S]/gu)) out.push(match[0])
  }
  return out.slice(0, tokens)
}
