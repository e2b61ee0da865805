// One streamed generation on the hospital inference server. Stop (the signal) aborts the request
// and keeps what arrived; a failure after text arrived keeps it too, as `interrupted` with the
// failure's code; a failure before any text rejects with that code.
import type { IncomingMessage } from 'node:http'
import { WorkstationError } from '../../errors.ts'
import {
  buildGenerationRequest,
  interpretOllamaLine,
  interpretOpenAiEvent,
  MalformedEventError,
  type RemoteApiStyle,
  type RemoteFinish,
  type RemoteGenerationRequest,
  type RemoteUsage,
  type StreamStep,
} from './dialects.ts'
import { inStreamError, openRequest, readBody, socketError, statusError, type OpenedRequest, type RemoteServer } from './server.ts'
import { NdjsonParser, SseParser } from './stream-parser.ts'

export interface RemoteStreamResult {
  text: string
  status: 'complete' | 'stopped' | 'interrupted'
  endReason: RemoteFinish | 'stopped' | 'error'
  /** Token counts as the server reported them; null where it did not. */
  usage: RemoteUsage | null
  timeToFirstTokenMs: number | null
  /** From the request to the last piece of text (with the first, the rate of generation). */
  timeToLastTokenMs: number | null
  /** Set when status is `interrupted`. */
  error?: WorkstationError
}

export interface RemoteStreamOptions {
  signal?: AbortSignal
  /** Each piece of text as it arrives (not coalesced here). */
  onText?: (text: string) => void
}

export function streamGeneration(
  server: RemoteServer,
  style: RemoteApiStyle,
  generation: RemoteGenerationRequest,
  options: RemoteStreamOptions = {},
): Promise<RemoteStreamResult> {
  const built = buildGenerationRequest(style, generation)
  const started = performance.now()
  return new Promise<RemoteStreamResult>((resolve, reject) => {
    let text = ''
    let usage: RemoteStreamResult['usage'] = null
    let finish: RemoteFinish | undefined
    let done = false
    let firstTokenMs: number | null = null
    let lastTokenMs: number | null = null
    let settled = false
    let opened: OpenedRequest | undefined
    let responded = false

    const result = (status: RemoteStreamResult['status'], endReason: RemoteStreamResult['endReason']): RemoteStreamResult => ({
      text,
      status,
      endReason,
      usage,
      timeToFirstTokenMs: firstTokenMs,
      timeToLastTokenMs: lastTokenMs,
    })
    const settle = (): boolean => {
      if (settled) return false
      settled = true
      opened?.done()
      options.signal?.removeEventListener('abort', onAbort)
      opened?.request.destroy()
      return true
    }
    const fail = (error: WorkstationError): void => {
      if (!settle()) return
      if (text === '') reject(error)
      else resolve({ ...result('interrupted', 'error'), error })
    }
    const onAbort = (): void => {
      if (settle()) resolve(result('stopped', 'stopped'))
    }
    const complete = (): void => {
      if (settle()) resolve(result('complete', finish ?? 'end-token'))
    }

    const apply = (step: StreamStep): void => {
      if (step.error) return fail(inStreamError(step.error))
      if (step.text !== '') {
        firstTokenMs ??= Math.round(performance.now() - started)
        lastTokenMs = Math.round(performance.now() - started)
        text += step.text
        options.onText?.(step.text)
      }
      if (step.usage) usage = step.usage
      if (step.finish) finish = step.finish
      if (step.done) done = true
    }
    const interpret = built.stream === 'sse' ? interpretOpenAiEvent : interpretOllamaLine

    const onResponse = (response: IncomingMessage): void => {
      responded = true
      opened?.touch()
      if (response.statusCode !== 200) {
        void readBody(response).then((body) => fail(statusError(response.statusCode ?? 0, response.headers, body)))
        return
      }
      const parser = built.stream === 'sse' ? new SseParser() : new NdjsonParser()
      const handle = (items: Array<{ data: string } | string>): void => {
        for (const item of items) {
          if (settled) return
          try {
            apply(interpret(typeof item === 'string' ? item : item.data))
          } catch (error) {
            if (error instanceof MalformedEventError) return fail(new WorkstationError('REMOTE_MALFORMED', error.message))
            throw error
          }
          // Ollama ends with done: true; OpenAI-style servers with [DONE]. Either way the answer is whole.
          if (done) return complete()
        }
      }
      response.on('data', (chunk: Buffer) => {
        if (settled) return
        opened?.touch()
        handle(parser.push(chunk))
      })
      response.on('end', () => {
        if (settled) return
        handle(parser.end())
        // A server that sent a finish reason and then closed cleanly without [DONE] still finished.
        if (!settled && finish !== undefined) return complete()
        fail(new WorkstationError('REMOTE_STREAM_CUT', 'the stream ended before the answer did'))
      })
      response.on('error', () => fail(new WorkstationError('REMOTE_STREAM_CUT', 'the connection broke during the answer')))
      response.on('close', () => {
        if (!response.complete) fail(new WorkstationError('REMOTE_STREAM_CUT', 'the connection closed during the answer'))
      })
    }

    if (options.signal?.aborted) return resolve(result('stopped', 'stopped'))
    try {
      opened = openRequest(server, 'POST', built.path, built.body, onResponse, fail)
    } catch (error) {
      settled = true
      reject(error as Error)
      return
    }
    // A socket error once the answer has started streaming is a cut stream, not an unreachable server.
    opened.request.on('error', (error) =>
      fail(responded ? new WorkstationError('REMOTE_STREAM_CUT', 'the connection broke during the answer') : socketError(error)),
    )
    options.signal?.addEventListener('abort', onAbort, { once: true })
  })
}
