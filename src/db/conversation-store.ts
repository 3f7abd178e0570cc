import type { ConversationState, StateStore } from '../conversation/state.ts'
import { STATE_TTL_MS } from '../conversation/state.ts'
import type { ChannelName } from '../conversation/types.ts'
import type { UnansweredEntry, UnansweredLog, UnansweredReason } from '../conversation/unanswered.ts'
import { fold } from '../catalogue/normalize.ts'
import { scrubQuestion } from '../conversation/unanswered.ts'
import type { Insertable } from 'kysely'
import type { Db } from './connect.ts'
import { createGroupCommit } from './group-commit.ts'
import type { Database } from './schema.ts'

/** Most conversation states kept in memory by the SQLite store (the rest are read from the database). */
export const CACHED_STATES = 20_000

/** The database state store; `prune` deletes idle conversations (also done on writes, once a minute). */
export interface ConversationStateStore extends StateStore {
  prune (): Promise<number>
}

/**
 * Conversation state per (channel, user) in `conversations`; idle ones expire and are pruned on writes.
 * The per-message cost does not grow with the number of conversations: one keyed read and one upsert,
 * and the upserts of one event-loop turn share one statement and one relaxed commit (see Db.relaxed:
 * this state lives 30 idle minutes; losing the last turn's to a power failure costs a repeated question).
 * `set` resolves once committed. On SQLite (one process per DATA_DIR) the states written by this process
 * are also kept in memory (at most {@link CACHED_STATES}, oldest dropped), so a message usually reads
 * none; on PostgreSQL another instance may have answered the previous message, so it is always read.
 */
export function createConversationStateStore (db: Db, now: () => number = Date.now): ConversationStateStore {
  const k = db.kysely
  const cache = db.engine === 'sqlite' ? new Map<string, { doc: string, updatedAt: number }>() : undefined
  let lastPrune = 0
  type Row = Insertable<Database['conversations']>
  const upserts = createGroupCommit<string, Row>((rows) => db.relaxed((c) => c.insertInto('conversations').values(rows)
    .onConflict((oc) => oc.columns(['channel', 'user_id']).doUpdateSet((eb) => ({ state: eb.ref('excluded.state'), updated_at: eb.ref('excluded.updated_at') })))
    .execute().then(() => {})))
  const prune = async (): Promise<number> => {
    const cut = now() - STATE_TTL_MS
    if (cache !== undefined) for (const [key, s] of cache) if (s.updatedAt < cut) cache.delete(key)
    const r = await k.deleteFrom('conversations').where('updated_at', '<', cut).executeTakeFirst()
    return Number(r.numDeletedRows)
  }
  return {
    async get (channel: ChannelName, userId: string) {
      const hit = cache?.get(`${channel}:${userId}`)
      // The JSON as written: each caller gets its own copy.
      if (hit !== undefined) return now() - hit.updatedAt > STATE_TTL_MS ? undefined : JSON.parse(hit.doc) as ConversationState
      const r = await k.selectFrom('conversations').select(['state', 'updated_at']).where('channel', '=', channel).where('user_id', '=', userId).executeTakeFirst()
      if (r === undefined || now() - Number(r.updated_at) > STATE_TTL_MS) return undefined
      return JSON.parse(r.state) as ConversationState
    },
    async set (channel, userId, state) {
      const key = `${channel}:${userId}`
      const doc = JSON.stringify(state)
      if (cache !== undefined) {
        cache.delete(key)
        cache.set(key, { doc, updatedAt: state.updatedAt })
        if (cache.size > CACHED_STATES) cache.delete(cache.keys().next().value as string)
      }
      try {
        await upserts.add(key, { channel, user_id: userId, state: doc, updated_at: state.updatedAt })
      } catch (err) {
        cache?.delete(key)
        throw err
      }
      if (now() - lastPrune > 60_000) {
        lastPrune = now()
        await prune()
      }
    },
    prune,
  }
}

/** How many unanswered questions are kept (oldest deleted first). */
export const UNANSWERED_KEPT = 5000

/** The database unanswered log: `record` never waits for the database. */
export interface UnansweredStore extends UnansweredLog {
  /** Resolves once everything recorded so far is committed (or has failed and been reported). */
  flush (): Promise<void>
}

/** Options of createUnansweredStore. */
export interface UnansweredStoreOptions {
  /** Called when a batch of questions could not be written (they are dropped: it is a staff log). */
  onError?: (err: unknown, lost: number) => void
}

type UnansweredRow = Insertable<Database['unanswered']>

/**
 * The staff log of unanswered questions in `unanswered` (scrubbed of numbers; see scrubQuestion).
 * `record` only queues: the reply to the citizen never waits for this log. Queued questions are written
 * in the background, all those of one turn of the event loop in one relaxed commit (Db.relaxed: they
 * survive a crash of the process, not a power failure before the next full commit); a failed write is
 * reported through `onError`. `list` and `flush` wait for the queue; call `flush` before closing the
 * database (compose.ts does on shutdown).
 */
export function createUnansweredStore (db: Db, now: () => number = Date.now, options: UnansweredStoreOptions = {}): UnansweredStore {
  const k = db.kysely
  const onError = options.onError ?? (() => {})
  let queue: UnansweredRow[] = []
  let writing: Promise<void> | null = null
  let writes = 0

  async function write (rows: UnansweredRow[]): Promise<void> {
    await db.relaxed(async (c) => {
      for (let i = 0; i < rows.length; i += 200) await c.insertInto('unanswered').values(rows.slice(i, i + 200)).execute()
      writes += rows.length
      if (writes >= 100) {
        writes = 0
        const cut = await c.selectFrom('unanswered').select('id').orderBy('id', 'desc').offset(UNANSWERED_KEPT).limit(1).executeTakeFirst()
        if (cut !== undefined) await c.deleteFrom('unanswered').where('id', '<=', cut.id).execute()
      }
    })
  }

  /** Writes what is queued, batch after batch, until the queue is empty. */
  function drain (): Promise<void> {
    if (writing !== null) return writing
    writing = (async () => {
      // Let the rest of this turn (other requests) queue theirs first: one commit for all of them.
      await new Promise<void>((resolve) => setImmediate(resolve))
      while (queue.length > 0) {
        const rows = queue
        queue = []
        try {
          await write(rows)
        } catch (err) {
          onError(err, rows.length)
        }
      }
    })().finally(() => {
      writing = null
      // Queued between the loop's last check and here.
      if (queue.length > 0) drain().catch(() => {}) // never rejects: failures go to onError
    })
    return writing
  }

  async function flush (): Promise<void> {
    while (writing !== null || queue.length > 0) await drain()
  }

  return {
    async record (text, channel, more = {}) {
      const clean = scrubQuestion(text)
      if (clean === '') return
      queue.push({ text: clean, channel, at: new Date(now()).toISOString(), reason: more.reason ?? null, procedure_id: more.procedureId ?? null, folded: fold(clean) })
      drain().catch(() => {})
    },
    flush,
    async list (limit = 100) {
      await flush()
      const [total, items, top] = await Promise.all([
        k.selectFrom('unanswered').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
        k.selectFrom('unanswered').select(['text', 'channel', 'at', 'reason', 'procedure_id']).orderBy('id', 'desc').limit(limit).execute(),
        // Questions typed with and without tone marks count as one; the first typed form is shown.
        k.selectFrom('unanswered').select((eb) => ['folded', eb.fn.min('id').as('first'), eb.fn.countAll<number>().as('count')])
          .groupBy('folded').orderBy('count', 'desc').orderBy('folded').limit(20).execute(),
      ])
      const firstIds = top.map((t) => Number(t.first))
      const shown = firstIds.length === 0
        ? []
        : await k.selectFrom('unanswered').select(['id', 'text']).where('id', 'in', firstIds).execute()
      const textOf = new Map(shown.map((r) => [Number(r.id), r.text]))
      return {
        total: Math.min(Number(total.n), UNANSWERED_KEPT),
        items: items.map((i) => ({
          text: i.text,
          channel: i.channel as UnansweredEntry['channel'],
          at: i.at,
          ...(i.reason !== null ? { reason: i.reason as UnansweredReason } : {}),
          ...(i.procedure_id !== null ? { procedureId: i.procedure_id } : {}),
        })),
        top: top.map((t) => ({ text: textOf.get(Number(t.first)) ?? t.folded, count: Number(t.count) })),
      }
    },
  }
}
