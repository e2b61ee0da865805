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
}

export interface EngineScript {
  modelName: string
  answers: ScriptedAnswer[]
}

const script = JSON.parse(readFileSync(process.env['HUATUO_SCRIPTED_ENGINE'] ?? '', 'utf8')) as EngineScript
const port = connectToParent()
const histories = new Map<string, ConsultationTurnText[]>()
const stopping = new Set<string>()
let loaded: LoadedModelStatus | null = null
let next = 0

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function answer(consultationId: string, answerId: string, patientText: string | null): Promise<ModelAnswer> {
  const scripted = script.answers[next++ % script.answers.length]!
  stopping.delete(consultationId)
  const started = Date.now()
  let text = ''
  const thinking = scripted.thinking ?? ''
  if (thinking !== '') port.post({ kind: 'event', event: { type: 'consultation.delta', consultationId, answerId, text: '', thinking } })
  let firstTokenMs: number | null = null
  for (const chunk of scripted.chunks) {
    if (stopping.has(consultationId)) break
    await sleep(scripted.pauseMs ?? 20)
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
      throw new Error('the scripted engine writes no structured drafts')
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
