// Entry point of the engine process: node-llama-cpp lives here, away from the window and the
// database writer, so a llama.cpp abort() ends only this process. Started by
// child_process.fork (CLI, browser host) or Electron's utilityProcess.fork (the app).
import { engineRequestSchemas, isEngineMethod, type EngineMethod, type EngineParams, type EngineResults } from '../../../contract/engine-protocol.ts'
import { WorkstationError } from '../../errors.ts'
import { connectToParent } from './engine-port.ts'
import { LlamaConsultationEngine, type EngineFaults } from './llama-consultation-engine.ts'

// A terminal's Ctrl-C reaches the whole foreground process group; what it means (stop one answer)
// is the workstation's decision. The engine ends when its parent goes (disconnect) or is killed.
process.on('SIGINT', () => {})

/** Test-only faults, named in HUATUO_ENGINE_FAULTS (comma-separated). */
function faultsFromEnvironment(value: string | undefined): EngineFaults {
  const names = new Set((value ?? '').split(',').map((name) => name.trim()))
  return { failGpuLoad: names.has('gpu-load') }
}

/** Test-only: 'low-memory' in HUATUO_ENGINE_FAULTS makes the engine see 40 MiB of free RAM. */
const lowMemory = (process.env['HUATUO_ENGINE_FAULTS'] ?? '').split(',').some((name) => name.trim() === 'low-memory')

const port = connectToParent()
const engine = new LlamaConsultationEngine({
  emit: (event) => port.post({ kind: 'event', event }),
  faults: faultsFromEnvironment(process.env['HUATUO_ENGINE_FAULTS']),
  ...(lowMemory ? { freeRamBytes: () => 40 * 2 ** 20 } : {}),
})
/** Requests in progress, so `cancel` can withdraw or stop them. */
const inProgress = new Map<number, AbortController>()

/** Every request is checked against its schema before the engine sees it. */
function paramsOf<M extends EngineMethod>(method: M, params: unknown): EngineParams<M> {
  const parsed = engineRequestSchemas[method].safeParse(params)
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(params)'} ${issue.message}`)
    throw new WorkstationError('ENGINE_PROTOCOL', `${method}: ${problems.join('; ')}`)
  }
  return parsed.data as EngineParams<M>
}

async function dispatch(method: EngineMethod, params: unknown, signal: AbortSignal): Promise<EngineResults[EngineMethod]> {
  switch (method) {
    case 'load':
      return engine.load(paramsOf('load', params), signal)
    case 'unload':
      return paramsOf('unload', params), engine.unload().then(() => null)
    case 'status':
      return paramsOf('status', params), engine.status()
    case 'openConsultation':
      return engine.openConsultation(paramsOf('openConsultation', params)), null
    case 'closeConsultation':
      return engine.closeConsultation(paramsOf('closeConsultation', params).consultationId), null
    case 'history':
      return engine.history(paramsOf('history', params).consultationId)
    case 'send':
      return engine.send(paramsOf('send', params), signal)
    case 'regenerate':
      return engine.regenerate(paramsOf('regenerate', params), signal)
    case 'editPatientMessage':
      return engine.editPatientMessage(paramsOf('editPatientMessage', params), signal)
    case 'stop':
      return engine.stop(paramsOf('stop', params).consultationId), null
    case 'cancel':
      return inProgress.get(paramsOf('cancel', params).requestId)?.abort(), null
    case 'generateStructured':
      return engine.generateStructured(paramsOf('generateStructured', params), signal)
  }
}

port.onMessage((message) => {
  const request = message as { kind?: unknown; id?: unknown; method?: unknown; params?: unknown }
  if (request?.kind !== 'request' || typeof request.id !== 'number') return
  const id = request.id
  if (!isEngineMethod(request.method)) {
    port.post({ kind: 'response', id, ok: false, error: new WorkstationError('ENGINE_PROTOCOL', `unknown method ${String(request.method)}`).toPayload() })
    return
  }
  const controller = new AbortController()
  inProgress.set(id, controller)
  dispatch(request.method, request.params ?? {}, controller.signal)
    .then((result) => port.post({ kind: 'response', id, ok: true, result }))
    .catch((error: unknown) => {
      const failure = error instanceof WorkstationError ? error : new WorkstationError('INTERNAL', error instanceof Error ? error.message : String(error))
      port.post({ kind: 'response', id, ok: false, error: failure.toPayload() })
    })
    .finally(() => inProgress.delete(id))
})

port.onDisconnect(() => {
  void engine.dispose().finally(() => process.exit(0))
})

port.post({ kind: 'ready', pid: process.pid })
