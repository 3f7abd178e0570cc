import { sql } from 'kysely'
import type { Db } from './connect.ts'

/** The OA's current token pair. */
export interface ZaloTokenPair {
  accessToken: string
  refreshToken: string
  /** Epoch ms when the access token expires; absent when unknown (tokens seeded from the environment). */
  expiresAt?: number
  refreshedAt?: number
}

/** Where the Zalo token pair lives. */
export interface ZaloTokenStore {
  get (): Promise<ZaloTokenPair | undefined>
  /** Stores `pair` only when no pair is stored yet (seed from the environment). */
  seed (pair: ZaloTokenPair): Promise<void>
  /** Replaces the pair; resolves once committed. */
  save (pair: ZaloTokenPair): Promise<void>
  /**
   * Runs `fn` as the only refresher among all instances (PostgreSQL advisory lock, held until `fn`
   * ends; in the embedded engine one process owns the data, so an in-process queue).
   */
  exclusive<T> (fn: () => Promise<T>): Promise<T>
}

/** Embedded engine: one process, so an in-process queue per database is the lock. */
const localLocks = new WeakMap<Db, Promise<unknown>>()

/** Arbitrary constant: the advisory lock key of the Zalo token refresh. */
const REFRESH_LOCK = 7_411_002

/** The Zalo token pair in `zalo_tokens` (one row). */
export function createZaloTokenStore (db: Db): ZaloTokenStore {
  const k = db.kysely
  const row = (p: ZaloTokenPair) => ({ id: 1, access_token: p.accessToken, refresh_token: p.refreshToken, expires_at: p.expiresAt ?? null, refreshed_at: p.refreshedAt ?? null })
  return {
    async get () {
      const r = await k.selectFrom('zalo_tokens').selectAll().where('id', '=', 1).executeTakeFirst()
      if (r === undefined) return undefined
      return {
        accessToken: r.access_token,
        refreshToken: r.refresh_token,
        ...(r.expires_at !== null ? { expiresAt: Number(r.expires_at) } : {}),
        ...(r.refreshed_at !== null ? { refreshedAt: Number(r.refreshed_at) } : {}),
      }
    },
    async seed (pair) {
      await k.insertInto('zalo_tokens').values(row(pair)).onConflict((oc) => oc.column('id').doNothing()).execute()
    },
    async save (pair) {
      const r = row(pair)
      await k.insertInto('zalo_tokens').values(r).onConflict((oc) => oc.column('id').doUpdateSet({
        access_token: r.access_token, refresh_token: r.refresh_token, expires_at: r.expires_at, refreshed_at: r.refreshed_at,
      })).execute()
    },
    async exclusive (fn) {
      if (db.engine !== 'postgres') {
        const run = (localLocks.get(db) ?? Promise.resolve()).then(fn, fn)
        localLocks.set(db, run.catch(() => {}))
        return await run
      }
      // A session-level lock on one pooled connection, released on the same connection.
      return await k.connection().execute(async (conn) => {
        await sql`SELECT pg_advisory_lock(${REFRESH_LOCK})`.execute(conn)
        try {
          return await fn()
        } finally {
          await sql`SELECT pg_advisory_unlock(${REFRESH_LOCK})`.execute(conn)
        }
      })
    },
  }
}

/** Last interaction times of Zalo users (for Zalo's 48 h / 7 day reply window). */
export interface ZaloUserStore {
  touch (userId: string, at: number): Promise<void>
  lastInteraction (userId: string): Promise<number | undefined>
}

/** Zalo users' last interactions in `zalo_users`. */
export function createZaloUserStore (db: Db): ZaloUserStore {
  const k = db.kysely
  return {
    async touch (userId, at) {
      await k.insertInto('zalo_users').values({ user_id: userId, last_interaction_at: at })
        .onConflict((oc) => oc.column('user_id').doUpdateSet({ last_interaction_at: at })).execute()
    },
    async lastInteraction (userId) {
      const r = await k.selectFrom('zalo_users').select('last_interaction_at').where('user_id', '=', userId).executeTakeFirst()
      return r === undefined ? undefined : Number(r.last_interaction_at)
    },
  }
}
