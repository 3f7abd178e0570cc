import { randomUUID } from 'node:crypto'
import type { Db } from './connect.ts'

/**
 * Delivery ids (Telegram `update_id`, Zalo `msg_id`) per source. `add` inserts under a unique key, so among
 * several instances exactly one sees `true` for a re-delivered update; `finish` marks it handled (its reply
 * queued). An id added but never finished — the process died in between, so the platform got no 200 and
 * delivers it again — is taken again by the next process instead of being dropped as a duplicate.
 */
export interface SeenIds {
  /** Records `id`; false when it was already seen (drop the delivery). */
  add (id: string): Promise<boolean>
  /** The delivery `id` was handled: a later delivery of it is a duplicate whoever receives it. */
  finish (id: string): Promise<void>
}

/**
 * With several instances (PostgreSQL), another live one may still be handling an unfinished id: it is
 * taken over only after this long (telegraf's handler timeout is 8 s). The embedded engine allows one
 * process per data directory, so there an unfinished id of another process is always a dead one's.
 */
const TAKE_OVER_MS = 30_000

/** Seen ids of `source` in `seen_updates`, forgotten after `keepMs` (default 7 days). */
export function createSeenIdsStore (db: Db, source: string, options: { now?: () => number, keepMs?: number } = {}): SeenIds {
  const k = db.kysely
  const now = options.now ?? Date.now
  const keepMs = options.keepMs ?? 7 * 24 * 60 * 60 * 1000
  // This process: an unfinished id of another owner was left by a crash (or is in another instance's hands).
  const owner = randomUUID()
  let lastPrune = 0
  return {
    async add (id) {
      const t = now()
      // A relaxed commit (Db.relaxed): what follows an accepted update — queueing its reply in the outbox —
      // is a full commit, which makes this one durable too before the platform gets its 200. Where
      // nothing is queued, a power failure can at worst forget an id the platform will not send again.
      const r = await db.relaxed((c) => c.insertInto('seen_updates').values({ source, id, at: t, done: 0, owner })
        .onConflict((oc) => oc.columns(['source', 'id']).doNothing()).executeTakeFirst())
      if (t - lastPrune > 60 * 60 * 1000) {
        lastPrune = t
        await k.deleteFrom('seen_updates').where('source', '=', source).where('at', '<', t - keepMs).execute()
      }
      if (Number(r.numInsertedOrUpdatedRows ?? 0) > 0) return true
      // Seen before: take it over when a dead process left it unfinished (one conditional update, so of
      // several instances receiving it at once exactly one does).
      const taken = await db.relaxed((c) => {
        const stale = c.updateTable('seen_updates').set({ at: t, owner })
          .where('source', '=', source).where('id', '=', id).where('done', '=', 0).where('owner', '<>', owner)
        return (db.engine === 'postgres' ? stale.where('at', '<', t - TAKE_OVER_MS) : stale).executeTakeFirst()
      })
      return Number(taken.numUpdatedRows) > 0
    },
    async finish (id) {
      await db.relaxed((c) => c.updateTable('seen_updates').set({ done: 1 }).where('source', '=', source).where('id', '=', id).execute())
    },
  }
}
