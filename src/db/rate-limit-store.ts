import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit'
import type { Db } from './connect.ts'

type Incr = (key: string, callback: (error: Error | null, result?: { current: number, ttl: number }) => void, timeWindow?: number, max?: number) => void

/**
 * Fixed-window request counters in `rate_limits`, for @fastify/rate-limit's `store` option: shared by
 * every instance on one PostgreSQL (a client cannot multiply its allowance by hitting several instances)
 * and kept across restarts. One upsert per counted request; stale rows are pruned now and then.
 * Counter keys are namespaced per route by `child()`, as the plugin's own store does.
 */
export function createRateLimitStore (db: Db, now: () => number = Date.now): FastifyRateLimitStoreCtor {
  const k = db.kysely
  let lastPrune = 0
  const incr = (prefix: string): Incr => (key, callback, timeWindow = 60_000) => {
    const t = now()
    const full = `${prefix}${key}`
    k.insertInto('rate_limits').values({ key: full, window_start: t, count: 1 })
      .onConflict((oc) => oc.column('key').doUpdateSet((eb) => ({
        count: eb.case().when(eb('rate_limits.window_start', '<=', t - timeWindow)).then(1).else(eb('rate_limits.count', '+', 1)).end(),
        window_start: eb.case().when(eb('rate_limits.window_start', '<=', t - timeWindow)).then(t).else(eb.ref('rate_limits.window_start')).end(),
      })))
      .returning(['count', 'window_start'])
      .executeTakeFirstOrThrow()
      .then((row) => {
        callback(null, { current: Number(row.count), ttl: Math.max(0, Number(row.window_start) + timeWindow - t) })
        // After answering: the request that happens to trigger the pruning does not wait for it.
        if (t - lastPrune > 10 * 60_000) {
          lastPrune = t
          k.deleteFrom('rate_limits').where('window_start', '<', t - 24 * 60 * 60_000).execute().catch(() => { lastPrune = 0 })
        }
      }, (err: unknown) => { callback(err instanceof Error ? err : new Error(String(err))) })
  }
  const make = (prefix: string): FastifyRateLimitStore => ({
    incr: incr(prefix),
    child: (route) => make(`${route.method ?? ''}${route.path ?? route.url ?? ''}:`),
  } as FastifyRateLimitStore)
  // The plugin constructs the store with `new`: a class whose instances are the global (prefix-less) store.
  return class DbRateLimitStore {
    constructor () { return make('') }
  } as unknown as FastifyRateLimitStoreCtor
}
