import type { EvaluationProgress } from '../core/evaluation/evaluation-runner.ts'
import type { CliIO } from './output.ts'

const words = {
  'zh-CN': { eta: '预计剩余', rate: '词元/秒' },
  en: { eta: 'ETA', rate: 'tokens/s' },
} as const

function duration(seconds: number): string {
  const s = Math.round(seconds)
  const h = Math.floor(s / 3600)
  const m = Math.floor((s % 3600) / 60)
  const rest = String(s % 60).padStart(2, '0')
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`
}

/** The run's progress line: items done, ETA and tokens/s. */
export function formatEvaluationProgress(progress: EvaluationProgress, locale: CliIO['locale']): string {
  const w = words[locale]
  const fraction = progress.total === 0 ? 1 : progress.done / progress.total
  const width = 30
  const filled = Math.round(fraction * width)
  const eta = progress.etaSeconds === null ? '--:--' : duration(progress.etaSeconds)
  const rate = progress.tokensPerSecond === null ? '--' : progress.tokensPerSecond.toFixed(1)
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${progress.done}/${progress.total}  ${w.eta} ${eta}  ${rate} ${w.rate}`
}

/**
 * On a terminal: one line on stderr, redrawn in place. Otherwise (logs, pipes): a plain line at
 * most every 10 items and at the end, so a long run's log still shows that it moves.
 */
export function evaluationProgressBar(io: CliIO, isTerminal: boolean): { update(progress: EvaluationProgress): void; done(): void } {
  let drawn = false
  let lastLogged = -1
  return {
    update(progress) {
      const line = formatEvaluationProgress(progress, io.locale)
      if (isTerminal) {
        drawn = true
        io.err(`\r\x1b[K${line}`)
      } else if (progress.done === progress.total || progress.done - lastLogged >= 10 || lastLogged < 0) {
        lastLogged = progress.done
        io.err(`${line}\n`)
      }
    },
    done() {
      if (drawn) io.err('\n')
    },
  }
}
