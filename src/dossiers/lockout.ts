/**
 * Counts wrong second factors per dossier code: `max` failures within `windowMs` lock the code's
 * detail view for `lockMs`, whoever asks (so guessing cannot be spread over many addresses).
 * Kept in memory: a restart clears it, which at worst gives an attacker one more round of `max` tries.
 */
export interface AttemptLimiter {
  /** Milliseconds until the lock on `key` ends; 0 when not locked. */
  lockedFor (key: string): number
  /** Records a failure; returns the tries left before a lock (0 = now locked). */
  fail (key: string): number
  reset (key: string): void
}

/** Limits of the lock-out; defaults: 5 failures within 1 hour lock for 1 hour. */
export interface AttemptLimiterOptions {
  max?: number
  windowMs?: number
  lockMs?: number
  now: () => Date
}

interface Entry { failures: number[], lockedUntil: number }

/** In-memory attempt limiter (see {@link AttemptLimiter}). */
export function createAttemptLimiter (options: AttemptLimiterOptions): AttemptLimiter {
  const max = options.max ?? 5
  const windowMs = options.windowMs ?? 3600_000
  const lockMs = options.lockMs ?? 3600_000
  const entries = new Map<string, Entry>()
  const now = (): number => options.now().getTime()

  const sweep = (t: number): void => {
    if (entries.size < 10_000) return
    for (const [k, e] of entries) {
      if (e.lockedUntil <= t && e.failures.every((f) => f <= t - windowMs)) entries.delete(k)
    }
  }

  return {
    lockedFor (key) {
      const e = entries.get(key)
      return e === undefined ? 0 : Math.max(0, e.lockedUntil - now())
    },
    fail (key) {
      const t = now()
      sweep(t)
      const e = entries.get(key) ?? { failures: [], lockedUntil: 0 }
      e.failures = e.failures.filter((f) => f > t - windowMs)
      e.failures.push(t)
      if (e.failures.length >= max) {
        e.lockedUntil = t + lockMs
        e.failures = []
      }
      entries.set(key, e)
      return e.lockedUntil > t ? 0 : max - e.failures.length
    },
    reset (key) { entries.delete(key) },
  }
}
