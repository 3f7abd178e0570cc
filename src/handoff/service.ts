import type { Catalogue } from '../catalogue/load.ts'
import type { ContactDirectory } from '../catalogue/contacts.ts'
import type { HandoffPort } from '../conversation/context.ts'
import { cardReplies } from '../conversation/intents/procedure.ts'
import { surveyButtons } from '../conversation/intents/feedback.ts'
import type { StateStore } from '../conversation/state.ts'
import { HANDOFF_BUTTONS, MENU, T } from '../conversation/texts.ts'
import type { Reply } from '../conversation/types.ts'
import type { ZaloUserStore } from '../db/zalo-store.ts'
import type { AuditLog } from '../dossiers/audit.ts'
import type { WorkingCalendar } from '../dossiers/calendar.ts'
import { normalizeDossierCode } from '../dossiers/code.ts'
import { renderPublicView } from '../dossiers/messages.ts'
import type { DossierStore } from '../dossiers/store.ts'
import { toVnIso } from '../dossiers/time.ts'
import { toPublicView } from '../dossiers/views.ts'
import type { Outbox, OutboxStatus } from '../outbox/types.ts'
import { zaloWindow, ZALO_FREE_WINDOW_MS, ZALO_MAX_WINDOW_MS, type ZaloWindow } from '../../bots/zalo/users.ts'
import { answerEta } from './eta.ts'
import type { HandoffStore, Ticket, TicketMessage } from './types.ts'

/** Longest officer reply. */
export const MAX_STAFF_TEXT = 2000

/** What the handoff service needs; everything is a real part, only `now` is a clock. */
export interface HandoffDeps {
  store: HandoffStore
  outbox: Outbox
  /** Delivery state of an outbox item (the console shows whether an officer's reply arrived). */
  outboxStatus: (id: string) => Promise<OutboxStatus | undefined>
  /** Conversation state: the satisfaction question after a closed ticket is asked once per conversation. */
  states: StateStore
  calendar: WorkingCalendar
  catalogue: Catalogue
  contacts: ContactDirectory
  dossiers: DossierStore
  audit: AuditLog
  /** Zalo users' last interactions (Zalo's 48 h / 7 day window). */
  zaloUsers: ZaloUserStore
  now: () => number
}

/** Zalo's reply window of a ticket's citizen (absent for other channels). */
export interface ZaloWindowInfo {
  window: ZaloWindow
  lastInteractionAt?: number
  /** Free replies until then (48 h after the last interaction). */
  freeUntil?: number
  /** No reply at all after then (7 days): the officer must phone. */
  closesAt?: number
  canReply: boolean
}

/** A ticket in the staff inbox list. */
export interface TicketSummary extends Ticket {
  /** Minutes the citizen has waited for a first reply (until now when there is none yet). */
  waitingMinutes: number
  procedureTitle?: string
  lastMessage?: Pick<TicketMessage, 'at' | 'author' | 'text'>
}

/** A ticket with everything shown beside it in the console. */
export interface TicketDetail {
  ticket: TicketSummary
  messages: Array<TicketMessage & { delivery?: OutboxStatus }>
  procedure?: { id: string, title: string, card: string }
  /** Staff-side dossier status (the phone is for staff, to call the citizen). */
  dossier?: { code: string, procedureTitle: string, status: number, statusLabel: string, dueAt: string, overdue: boolean, nextStep: string, phone: string }
  zalo?: ZaloWindowInfo
}

/** Why a staff action did not happen (HTTP: missing 404, bad_request 400, the others 409). */
export type StaffRefusal = { error: 'missing' | 'closed' | 'taken' | 'outside_window' | 'bad_request', message: string, claimedBy?: string }
export type StaffOutcome<T> = { ok: true, value: T } | ({ ok: false } & StaffRefusal)

const refuse = <T>(error: StaffRefusal['error'], message: string, claimedBy?: string): StaffOutcome<T> =>
  ({ ok: false, error, message, ...(claimedBy !== undefined ? { claimedBy } : {}) })
const TAKEN = (by: string): string => `Cán bộ ${by} đã nhận yêu cầu này; Anh/Chị không trả lời được.`
const CLOSED = 'Yêu cầu này đã kết thúc.'
const MISSING = 'Không có yêu cầu này.'
const OUTSIDE = 'Đã quá 7 ngày kể từ lần cuối công dân nhắn Zalo: Zalo không cho gửi tin nhắn nữa. Vui lòng gọi điện cho công dân.'

/** The handoff feature: the conversation's port (tickets) and the staff inbox's operations. */
export interface HandoffService {
  port: HandoffPort
  list (): Promise<TicketSummary[]>
  detail (id: number): Promise<TicketDetail | undefined>
  claim (id: number, staff: string): Promise<StaffOutcome<Ticket>>
  reply (id: number, staff: string, text: string): Promise<StaffOutcome<TicketMessage>>
  /** One click: the procedure card or the dossier status (anonymous view) to the citizen. */
  send (id: number, staff: string, what: { procedureId: string } | { dossierCode: string }): Promise<StaffOutcome<TicketMessage>>
  close (id: number, staff: string, admin: boolean): Promise<StaffOutcome<Ticket>>
}

/** Builds the service. Staff actions are audit-logged (ticket id only, never the text). */
export function createHandoffService (deps: HandoffDeps): HandoffService {
  const { store, now } = deps

  const summary = async (t: Ticket): Promise<TicketSummary> => {
    const [last] = (await store.messages(t.id, 1))
    const title = t.procedureId === undefined ? undefined : deps.catalogue.byId.get(t.procedureId)?.title
    return {
      ...t,
      waitingMinutes: Math.max(0, Math.round(((t.firstReplyAt ?? t.closedAt ?? now()) - t.openedAt) / 60_000)),
      ...(title !== undefined ? { procedureTitle: title } : {}),
      ...(last !== undefined ? { lastMessage: { at: last.at, author: last.author, text: last.text } } : {}),
    }
  }

  async function zaloInfo (t: Ticket): Promise<ZaloWindowInfo | undefined> {
    if (t.channel !== 'zalo') return undefined
    const last = await deps.zaloUsers.lastInteraction(t.userId)
    const window = zaloWindow(last, now())
    return {
      window,
      ...(last !== undefined ? { lastInteractionAt: last, freeUntil: last + ZALO_FREE_WINDOW_MS, closesAt: last + ZALO_MAX_WINDOW_MS } : {}),
      canReply: window !== 'closed',
    }
  }

  const audit = (staff: string, action: string, ticket: number): Promise<void> =>
    deps.audit.append({ at: toVnIso(new Date(now())), staff, action, code: '', details: { ticket } })

  /** Takes the ticket for `staff` unless another officer has it; refuses closed tickets and a closed Zalo window. */
  async function own (id: number, staff: string): Promise<StaffOutcome<Ticket>> {
    const c = await store.claim(id, staff, now())
    if (c.result === 'missing') return refuse('missing', MISSING)
    if (c.result === 'closed') return refuse('closed', CLOSED)
    if (c.result === 'taken') return refuse('taken', TAKEN(c.claimedBy), c.claimedBy)
    if (c.result === 'won') await audit(staff, 'ticket-claim', id)
    const z = await zaloInfo(c.ticket)
    if (z !== undefined && !z.canReply) return refuse('outside_window', OUTSIDE)
    return { ok: true, value: c.ticket }
  }

  /** Records the officer's line, then queues its delivery (the line is removed again if queueing fails). */
  async function deliver (t: Ticket, staff: string, line: string, replies: Reply[]): Promise<TicketMessage> {
    const at = now()
    const message = await store.addMessage({ ticketId: t.id, at, author: 'staff', staff, text: line })
    try {
      const { id } = await deps.outbox.enqueue({ channel: t.channel, userId: t.userId, replies, kind: 'reply', dedupeKey: `handoff:${message.id}` })
      await store.setOutboxId(message.id, id)
      await store.markReplied(t.id, at)
      return { ...message, outboxId: id }
    } catch (err) {
      await store.deleteMessage(message.id)
      throw err
    }
  }

  const port: HandoffPort = {
    active: (channel, userId) => store.active(channel, userId),
    async open (request) {
      const openedAt = now()
      return await store.open({ ...request, openedAt, expectedAt: answerEta(deps.calendar, openedAt).expectedAt })
    },
    async note (ticketId, author, text, context) {
      await store.addMessage({ ticketId, at: now(), author, text })
      if (context !== undefined) await store.setContext(ticketId, context, now())
    },
    async end (ticketId) {
      return (await store.close(ticketId, 'citizen', now())).result === 'closed'
    },
    eta: () => answerEta(deps.calendar, now()),
  }

  return {
    port,

    async list () {
      return await Promise.all((await store.list(['open', 'claimed'])).map(summary))
    },

    async detail (id) {
      const t = await store.get(id)
      if (t === undefined) return undefined
      const messages = await Promise.all((await store.messages(id)).map(async (m) => {
        const delivery = m.outboxId === undefined ? undefined : await deps.outboxStatus(m.outboxId)
        return delivery === undefined ? m : { ...m, delivery }
      }))
      const p = t.procedureId === undefined ? undefined : deps.catalogue.byId.get(t.procedureId)
      const contacts = await deps.contacts.list()
      const d = t.dossierCode === undefined ? undefined : await deps.dossiers.get(t.dossierCode)
      const view = d === undefined ? undefined : toPublicView(d, { catalogue: deps.catalogue, calendar: deps.calendar, now: new Date(now()) })
      const zalo = await zaloInfo(t)
      return {
        ticket: await summary(t),
        messages,
        ...(p !== undefined ? { procedure: { id: p.id, title: p.title, card: cardReplies(p, contacts, now()).map((r) => r.text).join('\n\n') } } : {}),
        ...(d !== undefined && view !== undefined
          ? { dossier: { code: d.code, procedureTitle: view.procedure.title, status: view.status, statusLabel: view.statusLabel, dueAt: view.dueAt, overdue: view.overdue, nextStep: view.nextStep, phone: d.phone } }
          : {}),
        ...(zalo !== undefined ? { zalo } : {}),
      }
    },

    async claim (id, staff) {
      const c = await store.claim(id, staff, now())
      if (c.result === 'missing') return refuse('missing', MISSING)
      if (c.result === 'closed') return refuse('closed', CLOSED)
      if (c.result === 'taken') return refuse('taken', TAKEN(c.claimedBy), c.claimedBy)
      if (c.result === 'won') await audit(staff, 'ticket-claim', id)
      return { ok: true, value: c.ticket }
    },

    async reply (id, staff, raw) {
      const text = raw.normalize('NFC').trim()
      if (text === '' || text.length > MAX_STAFF_TEXT) return refuse('bad_request', `Nội dung trả lời từ 1 đến ${MAX_STAFF_TEXT} ký tự.`)
      const owned = await own(id, staff)
      if (!owned.ok) return owned
      const message = await deliver(owned.value, staff, text, [{ text: `${T.staffMark}\n${text}`, buttons: [HANDOFF_BUTTONS.end] }])
      await audit(staff, 'ticket-reply', id)
      return { ok: true, value: message }
    },

    async send (id, staff, what) {
      let replies: Reply[]
      let line: string
      let context: { procedureId?: string, dossierCode?: string }
      if ('procedureId' in what) {
        const p = deps.catalogue.byId.get(what.procedureId)
        if (p === undefined) return refuse('bad_request', 'Không có thủ tục này.')
        replies = cardReplies(p, await deps.contacts.list(), now())
        line = `(đã gửi thông tin thủ tục: ${p.title})`
        context = { procedureId: p.id }
      } else {
        const d = await deps.dossiers.get(normalizeDossierCode(what.dossierCode))
        if (d === undefined) return refuse('bad_request', 'Không có hồ sơ này.')
        replies = [renderPublicView(toPublicView(d, { catalogue: deps.catalogue, calendar: deps.calendar, now: new Date(now()) }))]
        line = '(đã gửi tình trạng hồ sơ)'
        context = { dossierCode: d.code }
      }
      const owned = await own(id, staff)
      if (!owned.ok) return owned
      const [first, ...rest] = replies
      const message = await deliver(owned.value, staff, line, [{ ...first!, text: `${T.staffMark}\n${first!.text}` }, ...rest])
      await store.setContext(id, context, now())
      await audit(staff, 'procedure' in context ? 'ticket-send-card' : 'ticket-send-dossier', id)
      return { ok: true, value: message }
    },

    async close (id, staff, admin) {
      const r = await store.close(id, staff, now(), admin ? undefined : staff)
      if (r.result === 'missing') return refuse('missing', MISSING)
      if (r.result === 'already') return refuse('closed', CLOSED)
      if (r.result === 'taken') return refuse('taken', TAKEN(r.claimedBy), r.claimedBy)
      const t = r.ticket
      await audit(staff, 'ticket-close', id)
      // The chat is the bot's again; the satisfaction question once per conversation.
      const replies: Reply[] = [{ text: T.ticketClosedByStaff, buttons: MENU }]
      const state = await deps.states.get(t.channel, t.userId)
      if (state?.surveyed !== true) {
        const askId = await store.ask({ channel: t.channel, userId: t.userId, subject: 'ticket', ticketId: t.id, askedAt: now(), ...(t.procedureId !== undefined ? { procedureId: t.procedureId } : {}) })
        replies.push({ text: T.survey, buttons: surveyButtons(askId) })
        await deps.states.set(t.channel, t.userId, { ...(state ?? {}), surveyed: true, updatedAt: now() })
      }
      await deps.outbox.enqueue({ channel: t.channel, userId: t.userId, replies, kind: 'reply', dedupeKey: `handoff:close:${t.id}` })
      return { ok: true, value: t }
    },
  }
}
