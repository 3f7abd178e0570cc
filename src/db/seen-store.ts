import type { Db } from './connect.ts'

/**
 * Delivery ids already handled (Telegram `update_id`, Zalo `msg_id`) per source. `add` inserts under a
 * unique key, so among several instances exactly one sees `true` for a re-delivered update.
 */
export interface SeenIds {
  /** Records `id`; false when it was already seen (drop the delivery). */
  add (id: string): Promise<boolean>
}

/** Seen ids of `source` in `seen_updates`, forgotten after `keepMs` (default 7 days). */
export function createSeenIdsStore (db: Db, source: string, options: { now?: () => number, keepMs?: number } = {}): SeenIds {
  const k = db.kysely
  const now = options.now ?? Date.now
  const keepMs = options.keepMs ?? 7 * 24 * 60 * 60 * 1000
  let lastPrune = 0
  return {
    async add (id) {
      const t = now()
      // A relaxed commit (Db.relaxed): what follows an accepted update — queueing its reply in the outbox —
      // is a full commit, which makes this one durable too before the platform gets its 200. Where
      // nothing is queued, a power failure can at worst forget an id the platform will not send again.
      const r = await db.relaxed((c) => c.insertInto('seen_updates').values({ source, id, at: t })
        .onConflict((oc) => oc.columns(['source', 'id']).doNothing()).executeTakeFirst())
      if (t - lastPrune > 60 * 60 * 1000) {
        lastPrune = t
        await k.deleteFrom('seen_updates').where('source', '=', source).where('at', '<', t - keepMs).execute()
      }
      return Number(r.numInsertedOrUpdatedRows ?? 0) > 0
    },
  }
}
