// Paging of every list that crosses a process boundary: keyset cursors, bounded pages.
import { z } from 'zod'

/** Every list pages by keyset cursor; no call returns more rows than this. */
export const maxPageSize = 200

export interface Page<T> {
  items: T[]
  /** Opaque; pass it back for the next page. Null on the last page. */
  nextCursor: string | null
}

export const pageRequestSchema = z
  .object({
    /** Opaque, from the previous page's `nextCursor`. */
    cursor: z.string().min(1).max(1000).optional(),
    /** 1–200; each list has its own default. */
    limit: z.number().int().min(1).max(maxPageSize).optional(),
  })
  .strict()
export type PageRequest = z.infer<typeof pageRequestSchema>

/** An id the records store hands out (patients, consultations). */
export const recordIdSchema = z.string().min(1).max(200)
