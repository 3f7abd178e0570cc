import { sql } from 'kysely'
import type { ChannelName } from '../conversation/types.ts'
import type {
  ClaimResult, FeedbackRow, FeedbackSubject, HandoffStore, Ticket, TicketAuthor, TicketMessage, TicketReason, TicketStatus,
} from '../handoff/types.ts'
import type { Db } from './connect.ts'
import type { Database } from './schema.ts'

type TicketRaw = Omit<Database['handoff_tickets'], 'id'> & { id: number }
type MessageRaw = Omit<Database['handoff_messages'], 'id'> & { id: number }
type FeedbackRaw = Omit<Database['feedback'], 'id'> & { id: number }

function toTicket (r: TicketRaw): Ticket {
  const t: Ticket = {
    id: Number(r.id),
    channel: r.channel as ChannelName,
    userId: r.user_id,
    status: r.status as TicketStatus,
    reason: r.reason as TicketReason,
    openedAt: Number(r.opened_at),
    expectedAt: Number(r.expected_at),
    updatedAt: Number(r.updated_at),
  }
  if (r.procedure_id !== null) t.procedureId = r.procedure_id
  if (r.dossier_code !== null) t.dossierCode = r.dossier_code
  if (r.claimed_by !== null) t.claimedBy = r.claimed_by
  if (r.claimed_at !== null) t.claimedAt = Number(r.claimed_at)
  if (r.first_reply_at !== null) t.firstReplyAt = Number(r.first_reply_at)
  if (r.closed_at !== null) t.closedAt = Number(r.closed_at)
  if (r.closed_by !== null) t.closedBy = r.closed_by
  return t
}

const toMessage = (r: MessageRaw): TicketMessage => ({
  id: Number(r.id),
  ticketId: Number(r.ticket_id),
  at: Number(r.at),
  author: r.author as TicketAuthor,
  text: r.text,
  ...(r.staff !== null ? { staff: r.staff } : {}),
  ...(r.outbox_id !== null ? { outboxId: r.outbox_id } : {}),
})

function toFeedback (r: FeedbackRaw): FeedbackRow {
  const f: FeedbackRow = { id: Number(r.id), channel: r.channel as ChannelName, userId: r.user_id, subject: r.subject as FeedbackSubject, askedAt: Number(r.asked_at) }
  if (r.procedure_id !== null) f.procedureId = r.procedure_id
  if (r.ticket_id !== null) f.ticketId = Number(r.ticket_id)
  if (r.vote !== null) f.vote = Number(r.vote) === 1 ? 1 : 0
  if (r.voted_at !== null) f.votedAt = Number(r.voted_at)
  if (r.comment !== null) f.comment = r.comment
  return f
}

/** Chats whose handoff state is kept in memory on the embedded engine (see `active`). */
const ACTIVE_CACHE = 20_000
/** One cache per database, shared by every handoff store over it. */
const activeCaches = new WeakMap<Db, Map<string, Ticket | null>>()

/** The handoff store over its tables (both engines): see {@link HandoffStore}. */
export function createHandoffStore (db: Db): HandoffStore {
  const k = db.kysely
  const get = async (id: number): Promise<Ticket | undefined> => {
    const r = await k.selectFrom('handoff_tickets').selectAll().where('id', '=', id).executeTakeFirst()
    return r === undefined ? undefined : toTicket(r as TicketRaw)
  }
  // Every message asks whether its chat is with a person. On the embedded engine this process is the only
  // writer (one process per data directory), so the answers are kept, and any change to a ticket forgets
  // them all (tickets change seldom: a citizen asks for a person, staff claim or close). PostgreSQL is
  // shared by instances: asked every time.
  const activeCache = db.engine === 'sqlite' ? activeCaches.get(db) ?? activeCaches.set(db, new Map()).get(db) : undefined
  // Bumped by every ticket change: an answer read while one was under way is not kept.
  let generation = 0
  const forget = (): void => { generation++; activeCache?.clear() }
  const selectActive = async (channel: ChannelName, userId: string): Promise<Ticket | undefined> => {
    const r = await k.selectFrom('handoff_tickets').selectAll().where('channel', '=', channel).where('user_id', '=', userId)
      .where('status', '<>', 'closed').executeTakeFirst()
    return r === undefined ? undefined : toTicket(r as TicketRaw)
  }
  const active = async (channel: ChannelName, userId: string): Promise<Ticket | undefined> => {
    if (activeCache === undefined) return await selectActive(channel, userId)
    const key = `${channel}\u0000${userId}`
    const known = activeCache.get(key)
    if (known !== undefined) return known === null ? undefined : { ...known }
    const before = generation
    const ticket = await selectActive(channel, userId)
    if (activeCache.size >= ACTIVE_CACHE) activeCache.clear()
    if (generation === before) activeCache.set(key, ticket ?? null)
    return ticket === undefined ? undefined : { ...ticket }
  }

  const store: HandoffStore = {
    async open (n) {
      // A lost race (the chat's ticket closed between the two statements) is tried once more.
      for (let attempt = 0; attempt < 3; attempt++) {
        const created = await k.transaction().execute(async (tx) => {
          const row = await tx.insertInto('handoff_tickets').values({
            channel: n.channel,
            user_id: n.userId,
            status: 'open',
            reason: n.reason,
            procedure_id: n.procedureId ?? null,
            dossier_code: n.dossierCode ?? null,
            opened_at: n.openedAt,
            expected_at: n.expectedAt,
            updated_at: n.openedAt,
          }).onConflict((oc) => oc.doNothing()).returning('id').executeTakeFirst()
          if (row === undefined) return undefined
          const id = Number(row.id)
          if (n.transcript.length > 0) {
            await tx.insertInto('handoff_messages').values(n.transcript.map((m) => ({ ticket_id: id, at: m.at, author: m.author, staff: null, text: m.text, outbox_id: null }))).execute()
          }
          return id
        })
        if (created !== undefined) return { ticket: (await get(created))!, created: true }
        const existing = await active(n.channel, n.userId)
        if (existing !== undefined) return { ticket: existing, created: false }
      }
      throw new Error('handoff: could not open a ticket (conflicting writes)')
    },

    active,
    get,

    async list (statuses, limit = 200) {
      const rows = await k.selectFrom('handoff_tickets').selectAll().where('status', 'in', [...statuses])
        .orderBy('opened_at').orderBy('id').limit(Math.min(Math.max(1, limit), 1000)).execute()
      return rows.map((r) => toTicket(r as TicketRaw))
    },

    async openedSince (since) {
      const rows = await k.selectFrom('handoff_tickets').selectAll().where('opened_at', '>=', since).orderBy('opened_at').execute()
      return rows.map((r) => toTicket(r as TicketRaw))
    },

    async addMessage (m) {
      const r = await k.insertInto('handoff_messages').values({
        ticket_id: m.ticketId, at: m.at, author: m.author, staff: m.staff ?? null, text: m.text, outbox_id: m.outboxId ?? null,
      }).returning('id').executeTakeFirstOrThrow()
      await k.updateTable('handoff_tickets').set({ updated_at: m.at }).where('id', '=', m.ticketId).execute()
      return { ...m, id: Number(r.id) }
    },

    async setOutboxId (messageId, outboxId) {
      await k.updateTable('handoff_messages').set({ outbox_id: outboxId }).where('id', '=', messageId).execute()
    },

    async deleteMessage (messageId) {
      await k.deleteFrom('handoff_messages').where('id', '=', messageId).execute()
    },

    async messages (ticketId, limit = 500) {
      const rows = await k.selectFrom('handoff_messages').selectAll().where('ticket_id', '=', ticketId)
        .orderBy('id', 'desc').limit(Math.min(Math.max(1, limit), 2000)).execute()
      return rows.reverse().map((r) => toMessage(r as MessageRaw))
    },

    async setContext (id, context, at) {
      const set: { procedure_id?: string, dossier_code?: string, updated_at: number } = { updated_at: at }
      if (context.procedureId !== undefined) set.procedure_id = context.procedureId
      if (context.dossierCode !== undefined) set.dossier_code = context.dossierCode
      await k.updateTable('handoff_tickets').set(set).where('id', '=', id).execute()
    },

    async claim (id, staff, at): Promise<ClaimResult> {
      const r = await k.updateTable('handoff_tickets').set({ status: 'claimed', claimed_by: staff, claimed_at: at, updated_at: at })
        .where('id', '=', id).where('status', '=', 'open').executeTakeFirst()
      const ticket = await get(id)
      if (ticket === undefined) return { result: 'missing' }
      if (Number(r.numUpdatedRows) === 1) return { result: 'won', ticket }
      if (ticket.status === 'closed') return { result: 'closed' }
      if (ticket.claimedBy === staff) return { result: 'mine', ticket }
      return { result: 'taken', claimedBy: ticket.claimedBy ?? '' }
    },

    async markReplied (id, at) {
      await k.updateTable('handoff_tickets').set({ first_reply_at: at, updated_at: at }).where('id', '=', id).where('first_reply_at', 'is', null).execute()
    },

    async close (id, by, at, onlyBy) {
      let q = k.updateTable('handoff_tickets').set({ status: 'closed', closed_at: at, closed_by: by, updated_at: at })
        .where('id', '=', id).where('status', '<>', 'closed')
      if (onlyBy !== undefined) q = q.where((eb) => eb.or([eb('claimed_by', 'is', null), eb('claimed_by', '=', onlyBy)]))
      const r = await q.executeTakeFirst()
      const ticket = await get(id)
      if (ticket === undefined) return { result: 'missing' }
      if (Number(r.numUpdatedRows) === 1) return { result: 'closed', ticket }
      if (ticket.status === 'closed') return { result: 'already' }
      return { result: 'taken', claimedBy: ticket.claimedBy ?? '' }
    },

    async ask (row) {
      // That a question was asked is not the citizen's write (their vote is, and is committed fully): a
      // relaxed commit, so the first card of every conversation does not pay an fsync (see Db.relaxed).
      const r = await db.relaxed((c) => c.insertInto('feedback').values({
        channel: row.channel, user_id: row.userId, subject: row.subject, procedure_id: row.procedureId ?? null, ticket_id: row.ticketId ?? null, asked_at: row.askedAt,
      }).returning('id').executeTakeFirstOrThrow())
      return Number(r.id)
    },

    async vote (id, channel, userId, vote, at) {
      const r = await k.updateTable('feedback').set({ vote, voted_at: at })
        .where('id', '=', id).where('channel', '=', channel).where('user_id', '=', userId).where('vote', 'is', null).executeTakeFirst()
      return Number(r.numUpdatedRows) === 1
    },

    async comment (id, channel, userId, text) {
      const r = await k.updateTable('feedback').set({ comment: text })
        .where('id', '=', id).where('channel', '=', channel).where('user_id', '=', userId).where('vote', 'is not', null).executeTakeFirst()
      return Number(r.numUpdatedRows) === 1
    },

    async feedbackSince (since) {
      const rows = await k.selectFrom('feedback').selectAll().where('asked_at', '>=', since).orderBy('id').execute()
      return rows.map((r) => toFeedback(r as FeedbackRaw))
    },

    async addQuestions (counts) {
      // Statistics, written every few seconds in the background: a relaxed commit.
      await db.relaxed(async (q) => {
        for (const c of counts) {
          if (c.questions === 0 && c.answered === 0) continue
          await q.insertInto('question_counts').values(c)
            .onConflict((oc) => oc.columns(['week', 'channel']).doUpdateSet({
              questions: sql`question_counts.questions + ${c.questions}`,
              answered: sql`question_counts.answered + ${c.answered}`,
            })).execute()
        }
      })
    },

    async questionCounts (fromWeek) {
      const rows = await k.selectFrom('question_counts').selectAll().where('week', '>=', fromWeek).orderBy('week').orderBy('channel').execute()
      return rows.map((r) => ({ week: r.week, channel: r.channel, questions: Number(r.questions), answered: Number(r.answered) }))
    },
  }
  // Every change to a ticket forgets the kept answers, before it starts and once it is done (a read that
  // overlapped it is then not kept either: see `generation`).
  for (const name of ['open', 'addMessage', 'setContext', 'claim', 'markReplied', 'close'] as const) {
    const change = store[name] as (...args: unknown[]) => Promise<unknown>
    ;(store as unknown as Record<string, unknown>)[name] = async (...args: unknown[]) => {
      forget()
      try {
        return await change(...args)
      } finally {
        forget()
      }
    }
  }
  return store
}
