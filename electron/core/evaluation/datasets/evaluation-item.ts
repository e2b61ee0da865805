// What every dataset reader yields: items in the dataset's own order, and the rows it had to skip.

/** One question to answer in a fresh context. */
export interface EvaluationItem {
  /** Stable across reads of the same file: the dataset's own id, else its line or item number. */
  id: string
  /** What the prediction line records as the question (for exams: the stem, options apart). */
  question: string
  /** The patient's turn the model receives (for exams: HuatuoGPT-II's prompt with the options). */
  prompt: string
  /** Absent for an unscored dataset (KUAKE-QIC); several when any of them is a right answer. */
  reference?: string | string[]
  /** Multiple-choice exams: letter → option text; `reference` is then the correct letter. */
  options?: Record<string, string>
}

/**
 * A row the reader could not use. `line` for line-based files (1-based), `item` for a JSON array
 * (1-based). `reason` names fields and ids, never the row's clinical text.
 */
export interface SkippedRow {
  file: string
  line?: number
  item?: number
  reason: string
}

export interface DatasetContents {
  items: EvaluationItem[]
  skipped: SkippedRow[]
  /** Every file read, in a fixed order: the dataset's hash covers them all. */
  files: string[]
}

/** Collects items, refusing a repeated id (a resumed run tells items apart by id). */
export class ItemCollector {
  readonly items: EvaluationItem[] = []
  readonly skipped: SkippedRow[] = []
  readonly #ids = new Set<string>()

  add(item: EvaluationItem, where: Omit<SkippedRow, 'reason'>): void {
    if (this.#ids.has(item.id)) {
      this.skip(where, `id ${item.id} repeats an earlier item`)
      return
    }
    this.#ids.add(item.id)
    this.items.push(item)
  }

  skip(where: Omit<SkippedRow, 'reason'>, reason: string): void {
    this.skipped.push({ ...where, reason })
  }
}
