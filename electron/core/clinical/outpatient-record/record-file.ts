import { readFile } from 'node:fs/promises'
import type { z } from 'zod'
import { outpatientRecordFileSchema, type OutpatientRecordFile } from '../../../contract/outpatient-record.ts'
import { WorkstationError } from '../../errors.ts'

/**
 * "patient.sex: Invalid option…" for each problem: the field and what is wrong with it, never the
 * value itself (it may be clinical text).
 */
function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .slice(0, 10)
    .map((issue) => `${issue.path.map(String).join('.') || '(record)'}: ${issue.message}`)
    .join('; ')
}

/** Checks a record (from a file, or assembled from the store) against the record file format. */
export function checkedRecordFile(value: unknown): OutpatientRecordFile {
  const parsed = outpatientRecordFileSchema.safeParse(value)
  if (!parsed.success) throw new WorkstationError('RECORD_FILE_INVALID', describeIssues(parsed.error.issues))
  return parsed.data
}

/** A record file that is signed or amended, with its signing time: the only kind an exporter renders. */
export type SignedRecordFile = OutpatientRecordFile & { status: 'signed' | 'amended'; signedAt: string }

/** The one check every exporter makes of a record file: a draft (or one without its signing time) is refused with RECORD_NOT_SIGNED. */
export function signedRecordFile(record: OutpatientRecordFile): SignedRecordFile {
  const { status, signedAt } = record
  if (status === 'draft' || signedAt === undefined) throw new WorkstationError('RECORD_NOT_SIGNED')
  return { ...record, status, signedAt }
}

export function parseRecordFile(text: string): OutpatientRecordFile {
  let json: unknown
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''))
  } catch (error) {
    // JSON.parse's message quotes the text around the fault; only its position is kept.
    const position = /position (\d+)/.exec(error instanceof Error ? error.message : '')?.[1]
    throw new WorkstationError('RECORD_FILE_INVALID', `not JSON${position === undefined ? '' : ` (at character ${position})`}`)
  }
  return checkedRecordFile(json)
}

export async function readRecordFile(path: string): Promise<OutpatientRecordFile> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    throw new WorkstationError('INPUT_UNREADABLE', (error as NodeJS.ErrnoException).code ?? 'unreadable', { cause: error })
  }
  return parseRecordFile(text)
}
