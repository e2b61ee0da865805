import type { DatabaseSync, StatementSync } from 'node:sqlite'
import type { Clock } from './record-time.ts'
import { storageFailure } from './sqlite-failures.ts'

/**
 * One open connection and what every service needs from it: cached prepared statements, the
 * clock, and transactions. A service never opens BEGIN itself: `transaction` nests with savepoints,
 * so an import can wrap many services' changes in one transaction.
 */
export class RecordDatabase {
  readonly db: DatabaseSync
  readonly now: Clock
  private readonly statements = new Map<string, StatementSync>()
  private depth = 0

  constructor(db: DatabaseSync, now: Clock) {
    this.db = db
    this.now = now
  }

  statement(sql: string): StatementSync {
    let statement = this.statements.get(sql)
    if (statement === undefined) {
      statement = this.db.prepare(sql)
      this.statements.set(sql, statement)
    }
    return statement
  }

  /**
   * Runs `work` (synchronous) as one logical change: all of it is stored, or none of it. The outer
   * level takes the write lock up front (BEGIN IMMEDIATE), so a busy database fails here, before any
   * work, rather than at COMMIT.
   */
  transaction<T>(operation: string, work: () => T): T {
    const depth = this.depth
    const savepoint = `change_${depth}`
    try {
      this.db.exec(depth === 0 ? 'BEGIN IMMEDIATE' : `SAVEPOINT ${savepoint}`)
    } catch (error) {
      throw storageFailure(error, operation)
    }
    this.depth = depth + 1
    try {
      const result = work()
      this.db.exec(depth === 0 ? 'COMMIT' : `RELEASE ${savepoint}`)
      return result
    } catch (error) {
      // SQLITE_FULL and some I/O errors roll the whole transaction back by themselves.
      if (this.db.isTransaction) {
        try {
          this.db.exec(depth === 0 ? 'ROLLBACK' : `ROLLBACK TO ${savepoint}; RELEASE ${savepoint}`)
        } catch {
          // The original failure is the one to report.
        }
      }
      throw storageFailure(error, operation)
    } finally {
      this.depth = depth
    }
  }

  /** Reads (and anything outside a transaction) still get stable codes for a full or locked disk. */
  read<T>(operation: string, work: () => T): T {
    try {
      return work()
    } catch (error) {
      throw storageFailure(error, operation)
    }
  }
}
