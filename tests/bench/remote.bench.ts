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
import { turnMessages } from './consultation-turns.ts'

const { values: cli } = parseArgs({ options: { json: { type: 'boolean' }, runs: { type: 'string' } }, strict: true })
const runs = Number(cli.runs ?? 3)
if (!Number.isInteger(runs) || runs < 1) {
  process.stderr.write('usage: node tests/bench/remote.bench.ts [--json] [--runs N]\n')
  process.exit(2)
}

const sampling: SamplingSettings = { temperature: 0, topK: 0, topP: 1, minP: 0, repeatPenalty: 1, maxTokens: 24, seed: 1 }
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
