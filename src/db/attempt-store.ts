import type { Db } from './connect.ts'

export interface AttemptStore {
  /** Records one failure under `key` at `at` (ms epoch); returns the failures under `key` in (at - windowMs, at]. */
  recordFailure (key: string, at: number, windowMs: number): Promise<number>
  /** Failures under `key` in (at - windowMs, at]. */
  countFailures (key: string, at: number, windowMs: number): Promise<number>
  /** Forgets every failure under `key`. */
  clear (key: string): Promise<void>
}

/** Failure counters in `attempts`, shared by every instance and kept across restarts. */
export function createAttemptStore (db: Db, options: { keepMs?: number } = {}): AttemptStore & { prune (before: number): Promise<number> } {
  const k = db.kysely
  const keepMs = options.keepMs ?? 7 * 24 * 60 * 60 * 1000
  let lastPrune = 0
  const count = async (key: string, at: number, windowMs: number): Promise<number> => {
    const r = await k.selectFrom('attempts').select((eb) => eb.fn.countAll<number>().as('n'))
      .where('key', '=', key).where('at', '>', at - windowMs).where('at', '<=', at).executeTakeFirstOrThrow()
    return Number(r.n)
  }
  const prune = async (before: number): Promise<number> => {
    const r = await k.deleteFrom('attempts').where('at', '<', before).executeTakeFirst()
    return Number(r.numDeletedRows)
  }
  return {
    async recordFailure (key, at, windowMs) {
      await k.insertInto('attempts').values({ key, at }).execute()
      if (at - lastPrune > 60 * 60 * 1000) {
        lastPrune = at
        await prune(at - keepMs)
      }
      return await count(key, at, windowMs)
    },
    countFailures: count,
    async clear (key) { await k.deleteFrom('attempts').where('key', '=', key).execute() },
    prune,
  }
}

/** In-memory AttemptStore (tests, terminal chat). */
export function createMemoryAttemptStore (): AttemptStore {
  const map = new Map<string, number[]>()
  const count = (key: string, at: number, windowMs: number): number => (map.get(key) ?? []).filter((t) => t > at - windowMs && t <= at).length
  return {
    async recordFailure (key, at, windowMs) {
      const list = (map.get(key) ?? []).filter((t) => t > at - 7 * 24 * 3600_000)
      list.push(at)
      map.set(key, list)
      return count(key, at, windowMs)
    },
    countFailures: async (key, at, windowMs) => count(key, at, windowMs),
    async clear (key) { map.delete(key) },
  }
}
