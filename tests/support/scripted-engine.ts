// An engine process for tests only: it speaks the real engine protocol, but instead of a model it
// replays a script (answers in chunks, with thinking and pauses), so a test can show chosen text in
// the window — Markdown, HuatuoGPT-o1's thinking, hostile markup. Selected only by `huatuo serve
// --scripted-engine SCRIPT` from the source tree; the app has no tests/ folder and never reaches it.
import { readFileSync } from 'node:fs'
import type { EngineMethod } from '../../electron/contract/engine-protocol.ts'
import type { ConsultationTurnText, LoadedModelStatus, ModelAnswer } from '../../electron/contract/inference.ts'
import { connectToParent } from '../../electron/core/inference/local/engine-port.ts'

export interface ScriptedAnswer {
  thinking?: string
  /** The answer's text as it streams, one delta per chunk. */
  chunks: string[]
  /** Between chunks. */
  pauseMs?: number
  /** Instead of a pause: chunks sent on a fixed schedule, this many a second (the UI benchmark's rate). */
  deltasPerSecond?: number
}

/** A record draft as the model would write it (sections as `{text, sources}`), streamed in chunks of its JSON. */
export interface ScriptedDraft {
  value: Record<string, unknown>
  /** How many pieces its JSON text streams in (progress events); default 6. */
  chunks?: number
  pauseMs?: number
}

export interface EngineScript {
  modelName: string
  answers: ScriptedAnswer[]
  /** Record drafts, in turn; a draft that does not match the request's schema is refused as the grammar would never let it out. */
  drafts?: ScriptedDraft[]
}

const script = JSON.parse(readFileSync(process.env['HUATUO_SCRIPTED_ENGINE'] ?? '', 'utf8')) as EngineScript
const port = connectToParent()
const histories = new Map<string, ConsultationTurnText[]>()
const stopping = new Set<string>()
let loaded: LoadedModelStatus | null = null
let next = 0
let nextDraft = 0

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function answer(consultationId: string, answerId: string, patientText: string | null): Promise<ModelAnswer> {
  const scripted = script.answers[next++ % script.answers.length]!
  stopping.delete(consultationId)
  const started = Date.now()
  let text = ''
  const thinking = scripted.thinking ?? ''
  if (thinking !== '') port.post({ kind: 'event', event: { type: 'consultation.delta', consultationId, answerId, text: '', thinking } })
  let firstTokenMs: number | null = null
  const interval = scripted.deltasPerSecond ? 1000 / scripted.deltasPerSecond : null
  for (const [index, chunk] of scripted.chunks.entries()) {
    if (stopping.has(consultationId)) break
    await sleep(interval === null ? (scripted.pauseMs ?? 20) : Math.max(0, started + (index + 1) * interval - Date.now()))
    firstTokenMs ??= Date.now() - started
    text += chunk
    port.post({ kind: 'event', event: { type: 'consultation.delta', consultationId, answerId, text: chunk, thinking: '' } })
  }
  const stopped = stopping.delete(consultationId)
  const history = histories.get(consultationId) ?? []
  if (patientText !== null) history.push({ role: 'patient', text: patientText }, { role: 'model', text })
  histories.set(consultationId, history)
  const seconds = Math.max(0.001, (Date.now() - started) / 1000)
  return {
    answerId,
    text,
    thinking,
    status: stopped ? 'stopped' : 'complete',
    endReason: stopped ? 'stopped' : 'end-token',
    timing: { promptTokens: 1, evaluatedPromptTokens: 1, generatedTokens: scripted.chunks.length, timeToFirstTokenMs: firstTokenMs, tokensPerSecond: scripted.chunks.length / seconds },
  }
}

/**
 * A scripted record draft: its JSON streams as `structured.delta` progress, then the value returns
 * as the grammar would have parsed it. Every cited number must be in the schema's enum for its
 * section (the real grammar's guarantee), so a test script cannot cite what the model was not shown.
 */
async function draft(params: Record<string, unknown>): Promise<unknown> {
  const drafts = script.drafts ?? []
  if (drafts.length === 0) throw new Error('the script has no record drafts')
  const scripted = drafts[nextDraft++ % drafts.length]!
  const schema = params['jsonSchema'] as { properties: Record<string, { properties?: { sources?: { items?: { enum?: number[] } } } }> }
  for (const [key, field] of Object.entries(scripted.value)) {
    const allowed = schema.properties[key]?.properties?.sources?.items?.enum
    const cited = (field as { sources?: unknown })?.sources
    if (Array.isArray(cited) && cited.some((n) => !(allowed ?? []).includes(n as number))) throw new Error(`scripted draft cites ${JSON.stringify(cited)} for ${key}; the schema allows ${JSON.stringify(allowed)}`)
  }
  const text = JSON.stringify(scripted.value)
  const pieces = scripted.chunks ?? 6
  const started = Date.now()
  const requestKey = params['requestKey']
  for (let i = 1; i <= pieces; i++) {
    await sleep(scripted.pauseMs ?? 150)
    if (typeof requestKey === 'string') {
      const end = Math.round((text.length * i) / pieces)
      const start = Math.round((text.length * (i - 1)) / pieces)
      port.post({ kind: 'event', event: { type: 'structured.delta', requestKey, text: text.slice(start, end), generatedTokens: end, budgetTokens: text.length * 2 } })
    }
  }
  const seconds = Math.max(0.001, (Date.now() - started) / 1000)
  return {
    value: scripted.value,
    text,
    timing: { promptTokens: 1, evaluatedPromptTokens: 1, generatedTokens: text.length, timeToFirstTokenMs: 1, tokensPerSecond: text.length / seconds },
  }
}

async function handle(method: EngineMethod, params: Record<string, unknown>): Promise<unknown> {
  switch (method) {
    case 'load':
      loaded = {
        modelPath: String(params['modelPath']),
        loadSeconds: 0,
        name: script.modelName,
        promptFormat: 'gguf-template',
        contextSize: 4096,
        sequences: 1,
        backend: 'cpu',
        deviceNames: [],
        gpuLayers: 0,
        totalLayers: 1,
        threads: 1,
        freeRamBytes: 0,
        freeVramBytes: 0,
      }
      return loaded
    case 'unload':
      loaded = null
      return null
    case 'status':
      return { state: loaded ? 'ready' : 'idle', model: loaded, enginePid: process.pid }
    case 'openConsultation':
      histories.set(String(params['consultationId']), [...((params['history'] as ConsultationTurnText[]) ?? [])])
      return null
    case 'closeConsultation':
      histories.delete(String(params['consultationId']))
      return null
    case 'history':
      return histories.get(String(params['consultationId'])) ?? []
    case 'send':
    case 'editPatientMessage':
      return answer(String(params['consultationId']), String(params['answerId']), String(params['patientText']))
    case 'regenerate':
      return answer(String(params['consultationId']), String(params['answerId']), null)
    case 'stop':
      stopping.add(String(params['consultationId']))
      return null
    case 'cancel':
      return null
    case 'generateStructured':
      return draft(params)
  }
}

port.onMessage((message) => {
  const request = message as { kind?: unknown; id?: unknown; method?: unknown; params?: unknown }
  if (request?.kind !== 'request' || typeof request.id !== 'number') return
  const id = request.id
  handle(request.method as EngineMethod, (request.params ?? {}) as Record<string, unknown>).then(
    (result) => port.post({ kind: 'response', id, ok: true, result }),
    (error: unknown) => port.post({ kind: 'response', id, ok: false, error: { code: 'INTERNAL', message: 'scripted engine', detail: String(error) } }),
  )
})
port.onDisconnect(() => process.exit(0))
port.post({ kind: 'ready', pid: process.pid })
