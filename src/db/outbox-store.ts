import { sql, type Kysely } from 'kysely'
import type { ChannelName, Reply } from '../conversation/types.ts'
import type { NoticeMeta } from '../outbox/notice.ts'
import type { CancelFilter, OutboxItem, OutboxStatus } from '../outbox/types.ts'
import type { Db } from './connect.ts'
import type { Database } from './schema.ts'

/** One queued message as stored, with its delivery state. */
export interface OutboxRow extends OutboxItem {
  seq: number
  status: OutboxStatus
  /** Replies already delivered (never sent again). */
  delivered: number
  /** Failed attempts of the current reply that counted (429s with retry_after do not). */
  attempts: number
  createdAt: number
  updatedAt: number
  nextAttemptAt: number
  reason?: string
}

/** What a claim asks for. */
export interface ClaimRequest {
  channels: readonly string[]
  now: number
  /** Who claims (instance id); the claim lasts `leaseMs`, after which another instance may take the item. */
  owner: string
  leaseMs: number
  /** Minimum gap between two messages to one chat. */
  paceMs: number
  limit: number
}

/** The outbox's queue operations (see src/outbox/outbox.ts for the delivery loop). */
export interface OutboxStore {
  /** Adds an item unless its `dedupeKey` is already known (any status, until pruned). */
  insert (item: OutboxItem, at: number): Promise<{ id: string, duplicate: boolean }>
  /**
   * Claims due items: only the first pending item of each chat and lane (so per-chat order holds across
   * instances), not claimed by anyone else, and only when the chat's pace allows. PostgreSQL: `FOR UPDATE
   * SKIP LOCKED`, so instances never claim the same item.
   */
  claim (request: ClaimRequest): Promise<OutboxRow[]>
  /**
   * Records that reply number `delivered - 1` was accepted by the platform (and the chat's last send); with
   * `done` the item is 'sent' and its claim ends in the same commit. False if the claim was lost.
   */
  markDelivered (id: string, owner: string, delivered: number, at: number, leaseMs: number, done?: boolean): Promise<boolean>
  /** Ends a claim with a new state (unless the item was cancelled meanwhile). */
  release (id: string, owner: string, patch: { status: OutboxStatus, attempts: number, nextAttemptAt: number, reason?: string, at: number }): Promise<void>
  /** Marks one recipient's pending items whose key starts with `keyPrefix` as 'cancelled'; returns how many. */
  cancel (filter: CancelFilter, reason: string, at: number): Promise<number>
  /** Earliest time something pending may become due (ignores claims), or undefined when nothing is pending. */
  nextDueAt (channels: readonly string[], paceMs: number): Promise<number | undefined>
  get (id: string): Promise<OutboxRow | undefined>
  /** Items in insertion order, optionally of some statuses (tests, admin). */
  list (statuses?: readonly OutboxStatus[], limit?: number): Promise<OutboxRow[]>
  /** Deletes sent and cancelled items older than `sentBefore` and problems older than `problemsBefore`; returns how many. */
  prune (sentBefore: number, problemsBefore: number): Promise<number>
  /** Forgets every claim (embedded engine at start-up: no other process can hold one). */
  clearClaims (): Promise<void>
  /** Adds already-built rows as they are (JSON import). */
  importRows (rows: readonly OutboxRow[]): Promise<void>
}

type Raw = {
  seq: number,
  id: string,
  channel: string,
  user_id: string,
  kind: string,
  replies: string,
  dedupe_key: string | null,
  status: string,
  delivered: number,
  attempts: number,
  created_at: number,
  updated_at: number,
  next_attempt_at: number,
  reason: string | null,
  notice: string | null,
  lane: string
}

const toRow = (r: Raw): OutboxRow => ({
  seq: Number(r.seq),
  id: r.id,
  channel: r.channel as ChannelName,
  userId: r.user_id,
  kind: r.kind as OutboxItem['kind'],
  replies: JSON.parse(r.replies) as Reply[],
  ...(r.dedupe_key !== null ? { dedupeKey: r.dedupe_key } : {}),
  status: r.status as OutboxStatus,
  delivered: Number(r.delivered),
  attempts: Number(r.attempts),
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
  nextAttemptAt: Number(r.next_attempt_at),
  ...(r.reason !== null ? { reason: r.reason } : {}),
  ...(r.notice !== null && r.notice !== undefined ? { notice: JSON.parse(r.notice) as NoticeMeta } : {}),
  ...(r.lane !== '' && r.lane !== undefined ? { lane: r.lane } : {}),
})

const COLUMNS = ['o.seq', 'o.id', 'o.channel', 'o.user_id', 'o.kind', 'o.replies', 'o.dedupe_key', 'o.status', 'o.delivered',
  'o.attempts', 'o.created_at', 'o.updated_at', 'o.next_attempt_at', 'o.reason', 'o.notice', 'o.lane'] as const

/** The outbox queue in the `outbox` and `outbox_chats` tables. */
export function createOutboxStore (db: Db): OutboxStore {
  const k = db.kysely
  const pgsql = db.engine === 'postgres'
  /**
   * A transaction that SQLite commits relaxed (Db.relaxed) and PostgreSQL fully. better-sqlite3 is
   * synchronous: an fsync there stops the whole server (every chat and webhook) for its duration, so only
   * writes whose loss would lose something acknowledged pay for one; PostgreSQL's commits wait without
   * blocking anyone, and its claims and delivery marks are shared by instances.
   */
  const sqliteRelaxed = <T>(fn: (tx: Kysely<Database>) => Promise<T>): Promise<T> => pgsql
    ? k.transaction().execute(fn)
    : db.relaxed((c) => c.transaction().execute(fn))
  return {
    async insert (item, at) {
      const inserted = await k.insertInto('outbox').values({
        id: item.id,
        channel: item.channel,
        user_id: item.userId,
        kind: item.kind,
        replies: JSON.stringify(item.replies),
        dedupe_key: item.dedupeKey ?? null,
        status: 'pending',
        delivered: 0,
        attempts: 0,
        created_at: at,
        updated_at: at,
        next_attempt_at: 0,
        claimed_until: 0,
        notice: item.notice !== undefined ? JSON.stringify(item.notice) : null,
        lane: item.lane ?? '',
      }).onConflict((oc) => oc.column('dedupe_key').doNothing()).returning('id').executeTakeFirst()
      if (inserted !== undefined) return { id: inserted.id, duplicate: false }
      const existing = await k.selectFrom('outbox').select('id').where('dedupe_key', '=', item.dedupeKey ?? '').executeTakeFirst()
      if (existing === undefined) throw new Error('outbox: insert conflicted but no item holds the key')
      return { id: existing.id, duplicate: true }
    },

    async claim ({ channels, now, owner, leaseMs, paceMs, limit }) {
      if (channels.length === 0) return []
      // SQLite: claims are forgotten at start (one process per DATA_DIR), so a claim needs no fsync (see
      // sqliteRelaxed). PostgreSQL: other instances rely on the claim, so it is committed fully.
      return await sqliteRelaxed(async (tx) => {
        // The first pending item of each chat and lane (per-chat order), then the due ones among those.
        let q = tx.with('heads', (w) => w.selectFrom('outbox').select((eb) => eb.fn.min('seq').as('seq'))
          .where('status', '=', 'pending').where('channel', 'in', [...channels]).groupBy(['channel', 'user_id', 'lane']))
          .selectFrom('outbox as o')
          .innerJoin('heads as h', 'h.seq', 'o.seq')
          .leftJoin('outbox_chats as c', (j) => j.onRef('c.channel', '=', 'o.channel').onRef('c.user_id', '=', 'o.user_id'))
          .select([...COLUMNS])
          .where('o.next_attempt_at', '<=', now)
          .where('o.claimed_until', '<=', now)
          .where((eb) => eb.or([eb('c.last_sent_at', 'is', null), eb('c.last_sent_at', '<=', now - paceMs)]))
          // Items not yet begun first: when replies come faster than the platform's rate allows, a new
          // question's answer goes before the rest of an earlier, already started one (its next part, the
          // satisfaction question), which waits its per-chat pace anyway.
          .orderBy(sql`case when o.delivered > 0 then 1 else 0 end`)
          .orderBy('o.seq')
          .limit(limit)
        if (pgsql) q = q.forUpdate(['o']).skipLocked()
        const rows = await q.execute() as Raw[]
        if (rows.length === 0) return []
        await tx.updateTable('outbox').set({ claimed_by: owner, claimed_until: now + leaseMs })
          .where('id', 'in', rows.map((r) => r.id)).execute()
        return rows.map(toRow)
      })
    },

    async markDelivered (id, owner, delivered, at, leaseMs, done = false) {
      // SQLite: relaxed (see sqliteRelaxed). A crash or kill of the process loses nothing; a power failure
      // before the next full commit (the next queued message) may send the replies delivered since once more.
      return await sqliteRelaxed(async (tx) => {
        const r = await tx.updateTable('outbox')
          .set(done
            ? { delivered, attempts: 0, reason: null, updated_at: at, status: 'sent', claimed_by: null, claimed_until: 0 }
            : { delivered, attempts: 0, reason: null, updated_at: at, claimed_until: at + leaseMs })
          .where('id', '=', id).where('claimed_by', '=', owner).where('status', '=', 'pending')
          .returning(['channel', 'user_id']).executeTakeFirst()
        if (r === undefined) return false
        await tx.insertInto('outbox_chats').values({ channel: r.channel, user_id: r.user_id, last_sent_at: at })
          .onConflict((oc) => oc.columns(['channel', 'user_id']).doUpdateSet({ last_sent_at: at })).execute()
        return true
      })
    },

    async release (id, owner, patch) {
      await k.updateTable('outbox').set({
        status: patch.status,
        attempts: patch.attempts,
        next_attempt_at: patch.nextAttemptAt,
        reason: patch.reason ?? null,
        updated_at: patch.at,
        claimed_by: null,
        claimed_until: 0,
      }).where('id', '=', id).where('claimed_by', '=', owner).where('status', '=', 'pending').execute()
    },

    async cancel ({ channel, userId, keyPrefix }, reason, at) {
      const r = await k.updateTable('outbox').set({ status: 'cancelled', reason, updated_at: at, claimed_by: null, claimed_until: 0 })
        .where('status', '=', 'pending').where('channel', '=', channel).where('user_id', '=', userId)
        .where(sql<string>`substr(dedupe_key, 1, ${keyPrefix.length})`, '=', keyPrefix)
        .executeTakeFirst()
      return Number(r.numUpdatedRows)
    },

    async nextDueAt (channels, paceMs) {
      if (channels.length === 0) return undefined
      const later = pgsql ? sql<number>`greatest(o.next_attempt_at, o.claimed_until, coalesce(c.last_sent_at, 0) + ${paceMs})` : sql<number>`max(o.next_attempt_at, o.claimed_until, coalesce(c.last_sent_at, 0) + ${paceMs})`
      const r = await k.with('heads', (w) => w.selectFrom('outbox').select((eb) => eb.fn.min('seq').as('seq'))
        .where('status', '=', 'pending').where('channel', 'in', [...channels]).groupBy(['channel', 'user_id', 'lane']))
        .selectFrom('outbox as o')
        .innerJoin('heads as h', 'h.seq', 'o.seq')
        .leftJoin('outbox_chats as c', (j) => j.onRef('c.channel', '=', 'o.channel').onRef('c.user_id', '=', 'o.user_id'))
        .select((eb) => eb.fn.min(later).as('due'))
        .executeTakeFirst()
      return r?.due === null || r?.due === undefined ? undefined : Number(r.due)
    },

    async get (id) {
      const r = await k.selectFrom('outbox as o').select([...COLUMNS]).where('o.id', '=', id).executeTakeFirst()
      return r === undefined ? undefined : toRow(r as Raw)
    },

    async list (statuses, limit = 1000) {
      let q = k.selectFrom('outbox as o').select([...COLUMNS]).orderBy('o.seq').limit(limit)
      if (statuses !== undefined) q = q.where('o.status', 'in', [...statuses])
      return (await q.execute() as Raw[]).map(toRow)
    },

    async prune (sentBefore, problemsBefore) {
      let total = 0
      for (const [statuses, before] of [[['sent', 'cancelled'], sentBefore], [['failed', 'undeliverable'], problemsBefore]] as const) {
        for (;;) {
          const batch = k.selectFrom('outbox').select('seq').where('status', 'in', [...statuses]).where('updated_at', '<', before).limit(1000)
          const r = await k.deleteFrom('outbox').where('seq', 'in', batch).executeTakeFirst()
          const n = Number(r.numDeletedRows)
          total += n
          if (n < 1000) break
        }
      }
      await k.deleteFrom('outbox_chats').where('last_sent_at', '<', sentBefore).execute()
      return total
    },

    async clearClaims () {
      await k.updateTable('outbox').set({ claimed_by: null, claimed_until: 0 }).where('claimed_until', '>', 0).execute()
    },

    async importRows (rows) {
      const values = rows.map((r) => ({
        id: r.id,
        channel: r.channel,
        user_id: r.userId,
        kind: r.kind,
        replies: JSON.stringify(r.replies),
        dedupe_key: r.dedupeKey ?? null,
        status: r.status,
        delivered: r.delivered,
        attempts: r.attempts,
        created_at: r.createdAt,
        updated_at: r.updatedAt,
        next_attempt_at: r.nextAttemptAt,
        reason: r.reason ?? null,
        claimed_until: 0,
        notice: r.notice !== undefined ? JSON.stringify(r.notice) : null,
        lane: r.lane ?? '',
      }))
      await k.transaction().execute(async (tx) => {
        for (let i = 0; i < values.length; i += 500) {
          await tx.insertInto('outbox').values(values.slice(i, i + 500)).onConflict((oc) => oc.doNothing()).execute()
        }
      })
    },
  }
}
