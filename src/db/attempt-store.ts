import type { Db } from './connect.ts'
import type { AttemptStore } from '../dossiers/attempt-store.ts'

/** Failure counters in `attempts` (the {@link AttemptStore} of src/dossiers/lockout.ts), shared by every instance and kept across restarts. */
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
