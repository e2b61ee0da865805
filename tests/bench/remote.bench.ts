// npm run bench:remote [-- --json] [-- --runs N]
//
// Prefix caching through the hospital inference server. An 8-turn consultation (about 1,500 tokens
// of history by the last turn) through the remote engine against a loopback llama-server that
// generates with node-llama-cpp on the generated bench model, interleaved with the same
// consultation against the same server with its prefix cache off (every prompt evaluated from the
// start). The workstation writes each turn's prompt as the previous prompt plus the new turn and
// asks for `cache_prompt`, so with the cache the time to the first token stays flat over turns.
// Ratios against the baseline beside it, medians of the runs:
//   time to first token turn 8 ÷ turn 1, with the server's prefix cache and without it.
// With --json the last line is {"cachedTurn8OverTurn1", "uncachedTurn8OverTurn1", "cachedOverUncachedTurn8"}.
import { randomUUID } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import type { SamplingSettings } from '../../electron/contract/sampling.ts'
import { disposeLlamaRuntime, loadLlamaRuntime } from '../../electron/core/inference/llama-runtime.ts'
import { RemoteInferenceEngine } from '../../electron/core/inference/remote/remote-engine.ts'
import { writeTestModel } from '../../electron/core/models/test-model.ts'
import { startOpenAiTestServer } from '../support/openai-server.ts'
import { formatRatio, interleaved, median, ratio, roundForJson } from './bench-stats.ts'

const { values: cli } = parseArgs({ options: { json: { type: 'boolean' }, runs: { type: 'string' } }, strict: true })
const runs = Number(cli.runs ?? 3)
if (!Number.isInteger(runs) || runs < 1) {
  process.stderr.write('usage: node tests/bench/remote.bench.ts [--json] [--runs N]\n')
  process.exit(2)
}

const sampling: SamplingSettings = { temperature: 0, topK: 0, topP: 1, minP: 0, repeatPenalty: 1, maxTokens: 24, seed: 1 }
/** The engine benchmark's messages: by turn 8 the history holds about 1,500 tokens. */
const turnMessages = [
  '医生您好，我今年五十二岁，最近三天一直头痛，主要是后脑勺和两边太阳穴胀痛，下午和晚上更明显，有时候还会恶心想吐，但是没有真正吐出来，晚上也睡不好。',
  '我以前有高血压病史，大概有六七年了，一直在吃降压药，平时早上量血压大概一百四十左右，这几天没有量，家里的血压计坏了，不知道是不是血压又高了。',
  '另外我父亲以前有脑出血，我有点担心自己也会这样。我平时抽烟，一天大概半包，喝酒不多，最近工作压力比较大，经常加班到很晚，吃饭也不太规律。',
  '头痛的时候没有发烧，也没有手脚发麻或者说话不清楚，看东西有时候有点模糊，但是休息一下就好了。吃了止痛药能缓解一些，但是过几个小时又开始痛。',
  '我还有糖尿病，是前年体检发现的，医生让我控制饮食，没有吃降糖药，最近一次查空腹血糖是七点几，我不知道头痛和血糖有没有关系，需要注意什么。',
  '这两天还有一点胸闷，爬楼梯的时候比较明显，休息一会儿就好了，没有胸痛，也没有出冷汗。心电图以前做过一次，医生说有一点心肌缺血，但没有吃药。',
  '我想问一下，现在需要马上去医院做检查吗？如果要去的话，应该挂哪个科，需要做哪些检查，比如头部CT、血压监测或者血糖检查，检查之前要不要空腹？',
  '最后想问一下，平时生活上我应该注意什么，降压药要不要调整剂量，能不能自己先加一片，还有抽烟一定要马上戒掉吗？饮食上有什么需要特别注意的吗？',
]
const out = (line: string) => process.stdout.write(`${line}\n`)

const dir = await mkdtemp(join(tmpdir(), 'huatuo-bench-remote-'))
const llama = await loadLlamaRuntime({ gpu: false, threads: 1 })
try {
  const modelPath = join(dir, 'bench.gguf')
  await writeTestModel({ out: modelPath, size: 'bench', name: 'HuatuoGPT2-7B', seed: 5 })
  const model = await llama.loadModel({ modelPath, gpuLayers: 0 })
  const servers = await Promise.all(
    [true, false].map(async (prefixCache) => {
      const context = await model.createContext({ contextSize: 4096, sequences: 1, threads: 1 })
      const server = await startOpenAiTestServer({ llama, model, context, dialect: 'llama-server', modelName: 'HuatuoGPT2-7B', prefixCache })
      const engine = new RemoteInferenceEngine({ server: { url: server.url }, api: 'llama-server', model: null, promptFormat: null, contextSize: null, maxConcurrent: 1 })
      await engine.connect()
      return { server, engine, context }
    }),
  )

  let visit = 0
  const consultation = async (engine: RemoteInferenceEngine): Promise<number[]> => {
    const session = await engine.openConsultation({ consultationId: randomUUID(), history: [] })
    const ttft: number[] = []
    // Each consultation opens with its own words, so no run finds another's turns in the cache.
    const opening = `（门诊号 MZ-${1000 + visit++}）`
    for (const [index, text] of turnMessages.entries()) {
      const answer = await session.send({ answerId: `t${index}`, patientText: index === 0 ? opening + text : text, sampling })
      ttft.push(answer.timing.timeToFirstTokenMs ?? NaN)
    }
    await session.close()
    return ttft
  }
  // One consultation of each before measuring: the first requests warm the runtime.
  for (const { engine } of servers) await consultation(engine)
  const [cached = [], uncached = []] = await interleaved(runs, servers.map(({ engine }) => () => consultation(engine)))
  const last = turnMessages.length - 1
  const at = (side: number[][], turn: number) => median(side.map((run) => run[turn] ?? NaN))
  const cachedRatio = ratio(at(cached, last), at(cached, 0))
  const uncachedRatio = ratio(at(uncached, last), at(uncached, 0))
  const cachedOverUncached = ratio(at(cached, last), at(uncached, last))
  const promptTokens = servers[0]!.server.requests.filter((r) => r.path === '/tokenize').length
  out(`remote engine over a loopback llama-server (node-llama-cpp, bench model, 1 thread), ${runs} runs, medians; ${promptTokens} prompts counted with /tokenize`)
  out(`  with the prefix cache: turn 1 ${at(cached, 0).toFixed(0)} ms, turn 8 ${at(cached, last).toFixed(0)} ms`)
  out(`  without it:            turn 1 ${at(uncached, 0).toFixed(0)} ms, turn 8 ${at(uncached, last).toFixed(0)} ms`)
  out(`time to first token turn 8 ÷ turn 1, server prefix cache (what the workstation asks for): ${formatRatio(cachedRatio)}`)
  out(`time to first token turn 8 ÷ turn 1, no prefix cache (baseline): ${formatRatio(uncachedRatio)}`)
  out(`turn 8 with the cache ÷ without: ${formatRatio(cachedOverUncached)}`)
  if (cli.json) {
    out(JSON.stringify({ cachedTurn8OverTurn1: roundForJson(cachedRatio), uncachedTurn8OverTurn1: roundForJson(uncachedRatio), cachedOverUncachedTurn8: roundForJson(cachedOverUncached) }))
  }
  for (const { server, engine, context } of servers) {
    await engine.dispose()
    await server.close()
    await context.dispose()
  }
  await model.dispose()
} finally {
  await disposeLlamaRuntime(llama)
  await rm(dir, { recursive: true, force: true })
}
