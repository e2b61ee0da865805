import { randomUUID } from 'node:crypto'
import type { ConsultationTurnText, EngineEvent, ModelAnswer, ModelLoadRequest } from '../../contract/inference.ts'
import type { SamplingSettings } from '../../contract/sampling.ts'
import { isWorkstationError, WorkstationError } from '../../core/errors.ts'
import type { ConsultationSession } from '../../core/inference/engine.ts'
import { triagePatientMessage } from '../../core/clinical/triage/triage.ts'
import { checkedActor } from '../../core/records/actor.ts'
import { formatFlag } from '../red-flag-text.ts'
import { readFirstLine, SecretInput } from '../secret-input.ts'
import type { ChatEngine } from './chat-stored.ts'
import { getPromptFormat } from '../../core/inference/prompt-formats/index.ts'
import { configuredInferenceThreads } from '../../core/inference/threads.ts'
import { readGgufModelLayout } from '../../core/gguf/gguf-model-layout.ts'
import { parseCommandArgs } from '../args.ts'
import { remoteEngineFromArgs, remoteEngineFor, remoteServerOptions, remoteServerUsage } from '../remote-server-args.ts'
import { reportFailure, type CliIO } from '../output.ts'
import { LineInput } from './chat-input.ts'
import { AnswerPrinter, terminalStyle } from './chat-terminal.ts'
import { chatCommand, chatStrings, isYes } from './chat-text.ts'

/** The engine process entry for the terminal: the local engine, deaf to the terminal's Ctrl-C. */

const usage = `usage: huatuo chat --model FILE [--db FILE --actor STAFF_ID] [--format FORMAT] [--threads N] [--context N] [--seed N] [--max-tokens N]
       huatuo chat --server URL [--server-model NAME] [--api STYLE] [--format FORMAT] [--seed N] [--max-tokens N]

A consultation in the terminal, like the seed's streaming demo: type the patient's words, the
model's answer streams back. Every patient line is checked for red flags first (the workstation's
deterministic triage rules); any flag is printed above the answer with what to do. Reads lines from
the terminal or from a pipe.
  clear           start the consultation over
  stop            quit (so do Ctrl-D, the end of piped input, and Ctrl-C at the prompt)
  /regen          regenerate the last answer
  Ctrl-C          while an answer is being written: stop it, keeping what was written

  --model FILE    a GGUF model
  --format FORMAT huatuo-v1, huatuo-ii, gguf-template, chatml or llama3 (default: detected from the model)
  --threads N     CPU threads for inference (default: HUATUO_THREADS, else chosen for this machine)
  --context N     tokens per consultation (default: the engine's choice for the model)
  --seed N        sampling seed: the same seed and conversation give the same answers
                  (each /regen then uses the next seed)
  --max-tokens N  longest answer, in tokens (default: the prompt format's)
  --db FILE       keep the consultation in this record database, as the window does (messages, red
                  flags, answers), so it can be found, noted, drafted and exported later; the model
                  is added to the workstation's model library first
  --actor ID      with --db: the clinician holding the consultation; their PIN is read first from
                  standard input (without echo on a terminal, the first line of a pipe)
${remoteServerUsage(18)}
With --server, --format says how prompts are written (huatuo-v1 and huatuo-ii as the workstation's
exact text, the others as chat messages the server templates), and --context is the server's context
where it does not say it.
`

export interface ChatOptions {
  /** A GGUF model file; empty with `server`. */
  modelPath: string
  /** The hospital inference server instead of a model file. */
  server?: NonNullable<ReturnType<typeof remoteEngineFromArgs>>
  /** Kept in the record database, as the clinician `actor`. */
  store?: { db: string; actor: string }
  promptFormat?: ModelLoadRequest['promptFormat']
  threads: number
  contextSize?: number
  seed?: number
  maxTokens?: number
}

/** How `huatuo chat` gets an engine; the local engine process unless a caller supplies another. */
export type EngineStarter = (options: { threads: number }) => Promise<ChatEngine>

function integerOption(value: string | undefined, option: string, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (value === undefined) return undefined
  if (!/^[0-9]+$/.test(value) || Number(value) < min || Number(value) > max)
    throw new WorkstationError('USAGE', `${option} must be an integer from ${min} to ${max}`)
  return Number(value)
}

function parseChatOptions(args: string[]): ChatOptions | 'help' {
  const { values } = parseCommandArgs(args, {
    model: { type: 'string' },
    format: { type: 'string' },
    threads: { type: 'string' },
    context: { type: 'string' },
    seed: { type: 'string' },
    'max-tokens': { type: 'string' },
    db: { type: 'string' },
    actor: { type: 'string' },
    ...remoteServerOptions,
    help: { type: 'boolean', short: 'h' },
  })
  if (values.help) return 'help'
  const contextOption = integerOption(values.context, '--context', 64)
  const server = remoteEngineFromArgs(values, {
    ...(values.format !== undefined ? { promptFormat: values.format } : {}),
    ...(contextOption !== undefined ? { contextSize: contextOption } : {}),
  })
  if (server !== null && values.model !== undefined) throw new WorkstationError('USAGE', 'give --model FILE or --server URL, not both')
  if (server !== null && values.db !== undefined) {
    throw new WorkstationError('USAGE', '--db keeps consultations of the workstation: set the server in the hospital configuration (remoteEngine) and use the window, or chat with --server without --db')
  }
  if (server === null && values.model === undefined) throw new WorkstationError('USAGE', '--model FILE (or --server URL) is required')
  const options: ChatOptions = {
    modelPath: values.model ?? '',
    ...(server !== null ? { server } : {}),
    threads: integerOption(values.threads, '--threads', 1, 1024) ?? configuredInferenceThreads(),
  }
  // An unknown format is refused before any model is read.
  if (values.format !== undefined) options.promptFormat = getPromptFormat(values.format).id
  if (contextOption !== undefined) options.contextSize = contextOption
  const seed = integerOption(values.seed, '--seed', 0, 0xffffffff)
  if (seed !== undefined) options.seed = seed
  const maxTokens = integerOption(values['max-tokens'], '--max-tokens', 1)
  if (maxTokens !== undefined) options.maxTokens = maxTokens
  if ((values.db === undefined) !== (values.actor === undefined)) throw new WorkstationError('USAGE', '--db FILE and --actor STAFF_ID go together: a stored consultation is held by a clinician')
  if (values.db !== undefined && values.actor !== undefined) options.store = { db: values.db, actor: checkedActor(values.actor) }
  return options
}

export async function run(args: string[], io: CliIO): Promise<number> {
  let options: ChatOptions | 'help'
  try {
    options = parseChatOptions(args)
  } catch (error) {
    if (isWorkstationError(error, 'USAGE')) io.err(usage)
    return reportFailure(io, error, false)
  }
  if (options === 'help') {
    io.out(usage)
    return 0
  }
  const store = options.store
  if (store) {
    // The PIN before anything else: hidden on a terminal, the first line of a pipe (the rest stays for the consultation).
    let pin: string | null
    try {
      const secrets = new SecretInput(io)
      pin = secrets.terminal ? await secrets.read(`PIN (${store.actor}): `) : await readFirstLine(io.stdin)
      secrets.close()
      if (pin === null) throw new WorkstationError('USAGE', `standard input ended before: PIN (${store.actor})`)
    } catch (error) {
      return reportFailure(io, error, false)
    }
    const given = pin.trim()
    return runChat(options, io, async ({ threads }) => {
      const { startStoredChat } = await import('./chat-stored.ts')
      return startStoredChat({ db: store.db, actor: store.actor, pin: given, threads, io })
    })
  }
  const server = options.server
  if (server) return runChat(options, io, () => remoteEngineFor(server, io.shell?.secretKeeper))
  return runChat(options, io, async (engineOptions) => {
    // Loaded on use: `huatuo chat --help` and usage errors do not pull in node-llama-cpp.
    const { startLocalEngine } = await import('../../core/inference/local/local-engine.ts')
    // Inside the app (`--cli chat`), the engine runs as the app's utilityProcess.
    return startLocalEngine({ ...engineOptions, ...(io.shell?.engineLauncher ? { launcher: io.shell.engineLauncher } : {}) })
  })
}

/** Waits for a promise, but no longer than `ms`: quitting must not hang on a stuck engine. */
async function bounded(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  await Promise.race([
    promise.catch(() => undefined),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms)
      timer.unref()
    }),
  ])
  clearTimeout(timer)
}

type TurnOutcome = 'answered' | 'crashed'

/** The terminal consultation, written against the InferenceEngine interface. */
export async function runChat(options: ChatOptions, io: CliIO, startEngine: EngineStarter): Promise<number> {
  const s = chatStrings(io.locale)
  const style = terminalStyle(io.isTTY && !process.env['NO_COLOR'])
  const stdinIsTTY = Boolean((io.stdin as { isTTY?: boolean }).isTTY)
  const terminal = stdinIsTTY && io.isTTY

  let engine: ChatEngine | undefined
  let unsubscribe: (() => void) | undefined
  let input: LineInput | undefined
  try {
    // The workstation's own file check first: an unreadable or damaged file fails in an instant,
    // with its code, before an engine process is started.
    if (!options.server) await readGgufModelLayout(options.modelPath)

    const live = await startEngine({ threads: options.threads })
    engine = live
    let printer: AnswerPrinter | undefined
    let engineCrashed = false
    let lastProgress = -1
    unsubscribe = live.onEvent((event: EngineEvent) => {
      if (event.type === 'consultation.delta') {
        if (printer !== undefined && event.answerId === printer.answerId) printer.delta(event.thinking, event.text)
      } else if (event.type === 'model.progress') {
        const percent = Math.floor(event.loadedFraction * 100)
        if (io.isTTY && percent !== lastProgress) io.err(`\r${s.loading} ${percent}%`)
        lastProgress = percent
      } else if (event.type === 'model.gpu-fallback') {
        io.err(`${event.code}: ${new WorkstationError('GPU_FALLBACK').localized(io.locale)} (${event.reason})\n`)
      } else if (event.type === 'engine.crashed') {
        engineCrashed = true
      }
    })

    if (!io.isTTY) io.err(`${s.loading}…\n`)
    const request: ModelLoadRequest = { modelPath: options.modelPath, threads: options.threads }
    if (options.promptFormat !== undefined) request.promptFormat = options.promptFormat
    if (options.contextSize !== undefined) request.contextSize = options.contextSize
    const loaded = await live.load(request)
    if (io.isTTY) io.err('\r\x1b[K')
    io.err(`${s.loaded(loaded)}\n`)

    const sampling: SamplingSettings = {}
    if (options.seed !== undefined) sampling.seed = options.seed
    if (options.maxTokens !== undefined) sampling.maxTokens = options.maxTokens

    const consultationId = randomUUID()
    let session: ConsultationSession = await live.openConsultation({ consultationId, history: [] })
    /** What was said, kept here too: after a crash the engine's copy is gone. */
    let transcript: ConsultationTurnText[] = []
    let running: AbortController | undefined

    input = new LineInput({
      input: io.stdin,
      output: process.stdout,
      terminal,
      onInterrupt: () => {
        // Ctrl-C stops the answer being written; with none running it quits.
        if (running !== undefined) running.abort()
        else input?.close()
      },
    })
    const lines = input

    let regenerations = 0
    const answer = async (kind: { regen: true } | { regen: false; patientText: string }): Promise<TurnOutcome> => {
      const answerId = randomUUID()
      // With a fixed seed, each /regen takes the next seed: a new answer, still reproducible.
      const regenSampling = kind.regen && sampling.seed !== undefined ? { ...sampling, seed: (sampling.seed + ++regenerations) >>> 0 } : sampling
      const controller = new AbortController()
      // Red flags first, above the answer: the deterministic rules, not the model, and in the terminal's language.
      if (!kind.regen) for (const flag of triagePatientMessage(kind.patientText, {})) io.out(`${style.alert(flag.level, formatFlag(flag, io.locale))}\n`)
      printer = new AnswerPrinter(answerId, io.out, style, io.locale, terminal)
      running = controller
      const shown = printer
      try {
        const result: ModelAnswer = kind.regen
          ? await session.regenerate({ answerId, sampling: regenSampling, signal: controller.signal })
          : await session.send({ answerId, patientText: kind.patientText, sampling, signal: controller.signal })
        shown.finish(result)
        if (result.status === 'interrupted' || result.endReason === 'crashed') {
          // Keep the partial answer: after a restart the consultation goes on from it.
          transcript = kind.regen ? replaceLastAnswer(transcript, result.text) : appendTurn(transcript, kind.patientText, result.text)
          reportFailure(io, result.error ? WorkstationError.fromPayload(result.error) : new WorkstationError('MODEL_CRASHED'), false)
          return 'crashed'
        }
        if (result.status === 'error' && result.error) reportFailure(io, WorkstationError.fromPayload(result.error), false)
        try {
          transcript = await session.history()
        } catch {
          transcript = kind.regen ? replaceLastAnswer(transcript, result.text) : appendTurn(transcript, kind.patientText, result.text)
        }
        return 'answered'
      } catch (error) {
        shown.abandon()
        if (isWorkstationError(error, 'REQUEST_CANCELLED')) return 'answered'
        reportFailure(io, error, false)
        return isWorkstationError(error, 'MODEL_CRASHED') ? 'crashed' : 'answered'
      } finally {
        running = undefined
        printer = undefined
      }
    }

    /** After a crash: offer a fresh engine, reloaded, with the consultation so far. */
    const offerRestart = async (): Promise<boolean> => {
      if (!terminal) io.out(s.restartQuestion)
      const reply = await lines.next(s.restartQuestion)
      if (!terminal) io.out('\n')
      if (reply === undefined || !isYes(reply)) return false
      io.err(`${s.restarting}\n`)
      await live.restart()
      session = await live.openConsultation({ consultationId, history: transcript })
      engineCrashed = false
      io.err(`${s.restarted}\n`)
      return true
    }

    io.out(`${s.greeting}\n`)
    for (;;) {
      const line = await lines.next(`\n${s.userPrompt}`)
      if (line === undefined) break
      const command = chatCommand(line)
      if (command === 'stop') break
      if (command === 'help') {
        io.out(`${s.greeting}\n`)
        continue
      }
      if (command === undefined && line.trim() === '') continue
      if (engineCrashed) {
        // The engine died while nobody was waiting on it: say so before this request is lost.
        reportFailure(io, new WorkstationError('MODEL_CRASHED'), false)
        if (!(await offerRestart())) return 1
      }
      if (command === 'clear') {
        await session.close().catch(() => undefined)
        session = await live.openConsultation({ consultationId: randomUUID(), history: [] })
        transcript = []
        if (terminal) io.out('\x1b[2J\x1b[H')
        io.out(`${s.cleared}\n${s.greeting}\n`)
        continue
      }
      if (command === 'regen' && !transcript.some((turn) => turn.role === 'model')) {
        reportFailure(io, new WorkstationError('NOTHING_TO_REGENERATE'), false)
        continue
      }
      const outcome = await answer(command === 'regen' ? { regen: true } : { regen: false, patientText: line })
      if (outcome === 'crashed') {
        engineCrashed = true
        if (!(await offerRestart())) return 1
      }
    }
    return 0
  } catch (error) {
    if (io.isTTY) io.err('\r\x1b[K')
    return reportFailure(io, error, false)
  } finally {
    input?.close()
    unsubscribe?.()
    if (engine) await bounded(engine.dispose(), 5000)
  }
}

function appendTurn(transcript: ConsultationTurnText[], patientText: string, modelText: string): ConsultationTurnText[] {
  // A patient message with nothing answered is left out: the history must alternate.
  if (modelText === '') return transcript
  return [...transcript, { role: 'patient', text: patientText }, { role: 'model', text: modelText }]
}

function replaceLastAnswer(transcript: ConsultationTurnText[], modelText: string): ConsultationTurnText[] {
  const last = transcript.at(-1)
  if (modelText === '' || last?.role !== 'model') return transcript
  return [...transcript.slice(0, -1), { role: 'model', text: modelText }]
}
