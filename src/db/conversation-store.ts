import type { ConversationState, StateStore } from '../conversation/state.ts'
import { STATE_TTL_MS } from '../conversation/state.ts'
import type { ChannelName } from '../conversation/types.ts'
import type { UnansweredEntry, UnansweredLog, UnansweredReason } from '../conversation/unanswered.ts'
import { fold } from '../catalogue/normalize.ts'
import { scrubQuestion } from '../conversation/unanswered.ts'
import type { Db } from './connect.ts'

/** Conversation state per (channel, user) in `conversations`; idle ones expire and are pruned on writes. */
export function createConversationStateStore (db: Db, now: () => number = Date.now): StateStore & { prune (): Promise<number> } {
  const k = db.kysely
  let lastPrune = 0
  const prune = async (): Promise<number> => {
    const r = await k.deleteFrom('conversations').where('updated_at', '<', now() - STATE_TTL_MS).executeTakeFirst()
    return Number(r.numDeletedRows)
  }
  return {
    async get (channel: ChannelName, userId: string) {
      const r = await k.selectFrom('conversations').select(['state', 'updated_at']).where('channel', '=', channel).where('user_id', '=', userId).executeTakeFirst()
      if (r === undefined || now() - Number(r.updated_at) > STATE_TTL_MS) return undefined
      return JSON.parse(r.state) as ConversationState
    },
    async set (channel, userId, state) {
      await k.insertInto('conversations').values({ channel, user_id: userId, state: JSON.stringify(state), updated_at: state.updatedAt })
        .onConflict((oc) => oc.columns(['channel', 'user_id']).doUpdateSet({ state: JSON.stringify(state), updated_at: state.updatedAt })).execute()
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

/** The staff log of unanswered questions in `unanswered` (scrubbed of numbers; see scrubQuestion). */
export function createUnansweredStore (db: Db, now: () => number = Date.now): UnansweredLog {
  const k = db.kysely
  let writes = 0
  return {
    async record (text, channel, more = {}) {
      const clean = scrubQuestion(text)
      if (clean === '') return
      await k.insertInto('unanswered').values({
        text: clean, channel, at: new Date(now()).toISOString(), reason: more.reason ?? null, procedure_id: more.procedureId ?? null, folded: fold(clean),
      }).execute()
      if (++writes % 100 === 0) {
        const cut = await k.selectFrom('unanswered').select('id').orderBy('id', 'desc').offset(UNANSWERED_KEPT).limit(1).executeTakeFirst()
        if (cut !== undefined) await k.deleteFrom('unanswered').where('id', '<=', cut.id).execute()
      }
    },
    async list (limit = 100) {
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
