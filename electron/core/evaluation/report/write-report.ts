import { createHash } from 'node:crypto'
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { basename, dirname, join, resolve } from 'node:path'
import { WorkstationError } from '../../errors.ts'
import { buildEvaluationReport } from './build-report.ts'
import type { EvaluationReport } from './evaluation-report.ts'
import { parsePredictionLines } from '../prediction-lines.ts'
import { evaluationReportHtml } from './report-html.ts'
import { parseRunHeader } from './run-header-reader.ts'
import type { RunScorer } from './run-scorer.ts'
import { reviewOfRun } from './report-review.ts'

// `huatuo eval report`: the run's folder in, report.json and report.html out. The report describes the
// predictions as they are now, so writing it again (a resumed run went further) replaces the old one.

export const REPORT_JSON_FILE = 'report.json'
export const REPORT_HTML_FILE = 'report.html'

export interface WrittenReport {
  report: EvaluationReport
  jsonPath: string
  htmlPath: string
}

export async function writeEvaluationReport(options: { predictionsPath: string; outDir?: string; reviewDir?: string; scorer: RunScorer; now?: Date }): Promise<WrittenReport> {
  const predictionsPath = resolve(options.predictionsPath)
  const bytes = await readInput(predictionsPath)
  const runHeaderText = await readOptional(join(dirname(predictionsPath), 'run.json'))
  const report = buildEvaluationReport({
    predictionsFile: { name: basename(predictionsPath), sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.byteLength },
    lines: parsePredictionLines(bytes.toString('utf8')),
    header: parseRunHeader(runHeaderText),
    scorer: options.scorer,
    generatedAt: options.now ?? new Date(),
  })
  if (options.reviewDir !== undefined) report.blindReview = await reviewOfRun(options.reviewDir, report.predictionsFile.sha256)
  const outDir = resolve(options.outDir ?? dirname(predictionsPath))
  try {
    await mkdir(outDir, { recursive: true, mode: 0o700 })
  } catch (error) {
    throw writeFailure(outDir, error)
  }
  const jsonPath = join(outDir, REPORT_JSON_FILE)
  const htmlPath = join(outDir, REPORT_HTML_FILE)
  await replaceFile(jsonPath, `${JSON.stringify(report, null, 2)}\n`)
  await replaceFile(htmlPath, evaluationReportHtml(report))
  return { report, jsonPath, htmlPath }
}

async function readInput(path: string): Promise<Buffer> {
  try {
    return await readFile(path)
  } catch (error) {
    throw new WorkstationError('INPUT_UNREADABLE', `${path}: ${(error as Error).message}`, { cause: error })
  }
}

/** run.json is optional: a predictions file copied out of its run folder still gets a report. */
async function readOptional(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw new WorkstationError('INPUT_UNREADABLE', `${path}: ${(error as Error).message}`, { cause: error })
  }
}

/** Whole or not at all: a reader never sees half a report. */
async function replaceFile(path: string, text: string): Promise<void> {
  try {
    await writeFile(`${path}.tmp`, text, { mode: 0o600, flush: true })
    await rename(`${path}.tmp`, path)
  } catch (error) {
    throw writeFailure(path, error)
  }
}

function writeFailure(path: string, error: unknown): WorkstationError {
  const code = (error as NodeJS.ErrnoException).code
  return new WorkstationError(code === 'ENOSPC' || code === 'EDQUOT' ? 'DISK_FULL' : 'OUTPUT_UNWRITABLE', `${path}: ${(error as Error).message}`, { cause: error })
}
