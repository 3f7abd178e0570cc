/**
 * Counters of wrong second factors, by key, in sliding time windows. The lock-out policy
 * (lockout.ts) reads and writes only through this interface, so the counters can live in the database
 * and survive restarts; {@link createMemoryAttemptStore} is the in-memory implementation (tests, and
 * the default until a persistent one is wired).
 */
export interface AttemptStore {
  /** Records one failure under `key` at `at` (ms epoch); returns the failures under `key` in (at - windowMs, at]. */
  recordFailure (key: string, at: number, windowMs: number): Promise<number>
  /** Failures under `key` in (at - windowMs, at]. */
  countFailures (key: string, at: number, windowMs: number): Promise<number>
  /** Forgets every failure under `key`. */
  clear (key: string): Promise<void>
}

/** Bounds of the in-memory store. */
export interface MemoryAttemptStoreOptions {
  /** Failures older than this are dropped (default 48 h: longer than any window the policy asks for). */
  retentionMs?: number
  /** At most this many timestamps are kept per key, the newest (default 1,000). */
  maxPerKey?: number
  /** At most this many keys; beyond it, keys whose failures are all past retention are swept (default 100,000). */
  maxKeys?: number
}

/** In-memory {@link AttemptStore}: sorted timestamps per key, bounded in age, per key and in keys. */
export function createMemoryAttemptStore (options: MemoryAttemptStoreOptions = {}): AttemptStore {
  const retentionMs = options.retentionMs ?? 48 * 3600_000
  const maxPerKey = options.maxPerKey ?? 1000
  const maxKeys = options.maxKeys ?? 100_000
  const entries = new Map<string, number[]>()

  const count = (list: number[] | undefined, at: number, windowMs: number): number => {
    if (list === undefined) return 0
    let n = 0
    for (let i = list.length - 1; i >= 0; i--) {
      const t = list[i] as number
      if (t <= at - windowMs) break
      if (t <= at) n++
    }
    return n
  }
  const sweep = (at: number): void => {
    if (entries.size < maxKeys) return
    for (const [k, list] of entries) if ((list[list.length - 1] ?? 0) <= at - retentionMs) entries.delete(k)
    // Still full (a flood of distinct keys): drop the oldest-inserted keys.
    for (const k of entries.keys()) {
      if (entries.size < maxKeys) break
      entries.delete(k)
    }
  }

  return {
    async recordFailure (key, at, windowMs) {
      let list = entries.get(key)
      if (list === undefined) {
        sweep(at)
        list = []
        entries.set(key, list)
      }
      let i = list.length
      while (i > 0 && (list[i - 1] as number) > at) i--
      list.splice(i, 0, at)
      const cutoff = at - retentionMs
      let drop = 0
      while (drop < list.length && (list[drop] as number) <= cutoff) drop++
      if (list.length - drop > maxPerKey) drop = list.length - maxPerKey
      if (drop > 0) list.splice(0, drop)
      return count(list, at, windowMs)
    },
    async countFailures (key, at, windowMs) {
      return count(entries.get(key), at, windowMs)
    },
    async clear (key) {
      entries.delete(key)
    },
  }
}
