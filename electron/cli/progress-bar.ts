import type { ModelTransferProgress } from '../contract/models.ts'
import { formatBytes } from './format.ts'
import type { CliIO } from './output.ts'

const phases = {
  'zh-CN': { copying: '复制', hashing: '校验', downloading: '下载', checking: '检查模型' },
  en: { copying: 'copying', hashing: 'hashing', downloading: 'downloading', checking: 'checking the model' },
} as const


/**
 * A one-line progress bar on a terminal's stderr, redrawn at most 10 times a second; nothing when
 * stderr is not a terminal (logs and pipes get the final result only).
 */
export function progressBar(io: CliIO, isTerminal: boolean): { update(progress: ModelTransferProgress): void; done(): void } {
  let lastDraw = 0
  let drawn = false
  const started = performance.now()
  return {
    update(progress) {
      if (!isTerminal) return
      const now = performance.now()
      if (now - lastDraw < 100 && progress.doneBytes < progress.totalBytes) return
      lastDraw = now
      drawn = true
      const label = phases[io.locale][progress.phase]
      if (progress.totalBytes <= 0) {
        io.err(`\r\x1b[K${label} ${progress.file}`)
        return
      }
      const fraction = Math.min(1, progress.doneBytes / progress.totalBytes)
      const width = 30
      const filled = Math.round(fraction * width)
      const rate = progress.doneBytes / Math.max(0.001, (now - started) / 1000)
      io.err(
        `\r\x1b[K${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}% ` +
          `${formatBytes(progress.doneBytes)} / ${formatBytes(progress.totalBytes)}  ${formatBytes(rate)}/s`,
      )
    },
    done() {
      if (drawn) io.err('\r\x1b[K')
    },
  }
}
