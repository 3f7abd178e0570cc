/**
 * Group commit: rows added during one turn of the event loop are written together by one `write` call
 * (one statement, one commit), and every `add` resolves (or rejects) with that write. Under load many
 * requests finish in the same turn, so per-message commits become one per turn. Rows with the same key
 * in one batch collapse to the last one. Batches are written one at a time, in order.
 */
export interface GroupCommit<K, T> {
  add (key: K, row: T): Promise<void>
  /** Resolves once everything added so far is written (or has failed). */
  flush (): Promise<void>
}

interface Waiter { resolve: () => void, reject: (err: unknown) => void }

export function createGroupCommit<K, T> (write: (rows: T[]) => Promise<void>): GroupCommit<K, T> {
  let rows = new Map<K, T>()
  let waiters: Waiter[] = []
  let running: Promise<void> | null = null

  function run (): Promise<void> {
    if (running !== null) return running
    running = (async () => {
      // Let the rest of this turn (other requests) add theirs first.
      await new Promise<void>((resolve) => setImmediate(resolve))
      while (rows.size > 0) {
        const batch = [...rows.values()]
        const batchWaiters = waiters
        rows = new Map()
        waiters = []
        try {
          await write(batch)
          for (const w of batchWaiters) w.resolve()
        } catch (err) {
          for (const w of batchWaiters) w.reject(err)
        }
      }
    })().finally(() => {
      running = null
      // Added between the loop's last check and here.
      if (rows.size > 0) run().catch(() => {}) // never rejects: write errors go to the waiters
    })
    return running
  }

  return {
    add (key, row) {
      rows.delete(key)
      rows.set(key, row)
      return new Promise<void>((resolve, reject) => {
        waiters.push({ resolve, reject })
        run().catch(() => {})
      })
    },
    async flush () {
      while (running !== null || rows.size > 0) await run()
    },
  }
}
