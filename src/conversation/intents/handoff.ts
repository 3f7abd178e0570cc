import type { AnswerEta, Ctx } from '../context.ts'
import type { Intent } from '../detect.ts'
import type { TicketReason, Ticket } from '../../handoff/types.ts'
import { formatVnDate, localDateKey, localParts } from '../../dossiers/time.ts'
import { redactPersonal } from '../redact.ts'
import { HANDOFF_BUTTONS, MENU, T } from '../texts.ts'
import type { Reply } from '../types.ts'
import { openCard, sectionReply } from './procedure.ts'
import { canHandOff, contactLines } from './support.ts'
import { staffReply } from './info.ts'

/** Longest line kept in a ticket or a transcript. */
export const TICKET_LINE_CHARS = 1000

/** A citizen's text as kept for staff: redacted like the unanswered log. */
export const redactLine = (text: string, max = TICKET_LINE_CHARS): string => redactPersonal(text).slice(0, max)

const hhmm = (t: number): string => {
  const m = localParts(new Date(t)).minutes
  return `${Math.floor(m / 60)}:${String(m % 60).padStart(2, '0')}`
}

/** "Cán bộ đang trong giờ làm việc, dự kiến trả lời trước 14:30 hôm nay." or the next working day's time. */
export function etaText (eta: AnswerEta, now: number): string {
  const today = localDateKey(new Date(eta.expectedAt)) === localDateKey(new Date(now))
  const when = `trước ${hhmm(eta.expectedAt)} ${today ? 'hôm nay' : formatVnDate(new Date(eta.expectedAt))}`
  if (eta.inHours) return `Cán bộ đang trong giờ làm việc, dự kiến trả lời Anh/Chị ${when}.`
  const why = eta.holiday !== undefined
    ? `Hôm nay là ngày nghỉ lễ (${eta.holiday})`
    : eta.weekend ? 'Hôm nay là ngày nghỉ cuối tuần' : eta.lunchBreak ? 'Bây giờ là giờ nghỉ trưa' : 'Bây giờ là ngoài giờ làm việc'
  return `${why}, nên cán bộ sẽ trả lời trong giờ làm việc, dự kiến ${when}.`
}

/** The request for a person: a ticket with the conversation so far, the honest waiting time, the contacts. */
export async function handoffReply (ctx: Ctx, reason: TicketReason): Promise<Reply[]> {
  const port = ctx.deps.handoff
  if (port === undefined || !canHandOff(ctx)) return staffReply(ctx)
  const typed = ctx.msg.action === undefined ? (ctx.msg.text ?? '').trim() : ''
  const transcript = (ctx.state.transcript ?? []).map((l) => ({ at: l.at, author: l.from, text: l.text }))
  if (typed !== '') transcript.push({ at: (ctx.deps.now ?? Date.now)(), author: 'citizen', text: redactLine(typed) })
  const { ticket, created } = await port.open({
    channel: ctx.msg.channel,
    userId: ctx.msg.userId,
    reason,
    ...(ctx.state.procedureId !== undefined ? { procedureId: ctx.state.procedureId } : {}),
    ...(ctx.state.dossierCode !== undefined ? { dossierCode: ctx.state.dossierCode } : {}),
    transcript,
  })
  if (!created && typed !== '') await port.note(ticket.id, 'citizen', redactLine(typed))
  return [waitingReply(ctx, ticket, created)]
}

/** Where the citizen's request stands: just opened, waiting (with the expected time) or taken by an officer. */
function waitingReply (ctx: Ctx, ticket: Ticket, created: boolean): Reply {
  const now = (ctx.deps.now ?? Date.now)()
  const status = ticket.status === 'claimed' ? T.handoffClaimed : etaText(ctx.deps.handoff!.eta(), now)
  const text = [created ? T.handoffOpened : T.handoffAgain, status, T.handoffMeanwhile, '', T.handoffUrgent, ...contactLines(ctx.contacts)].join('\n')
  return { text, buttons: [HANDOFF_BUTTONS.end] }
}

/** «kết thúc»: the ticket closes and the chat is the bot's again; without a ticket, a goodbye. */
export async function endReply (ctx: Ctx, ticket: Ticket | undefined): Promise<Reply[]> {
  if (ticket === undefined || ctx.deps.handoff === undefined) return [{ text: T.bye }]
  await ctx.deps.handoff.end(ticket.id)
  ctx.outcome = { kind: 'ticket', ticketId: ticket.id, ...(ticket.procedureId !== undefined ? { procedureId: ticket.procedureId } : {}) }
  return [{ text: T.ticketEnded, buttons: MENU }]
}

const DOSSIER_KINDS = new Set<Intent['kind']>(['dossier', 'dossierFactor', 'dossierDetail', 'dossierSubscribe'])

/** What the bot said, as one short line for the ticket (first line, redacted: a detail view names the applicant). */
export function botLine (replies: readonly Reply[]): string {
  const first = (replies[0]?.text ?? '').split('\n').find((l) => l.trim() !== '') ?? ''
  return redactLine(first, 200)
}

/**
 * While a ticket is open, the citizen's messages go to it. The bot still answers a dossier code, a
 * button press and an obvious procedure question (the search is sure), marked as its own; everything
 * else is acknowledged as forwarded.
 */
export async function ticketReply (
  ctx: Ctx,
  intent: Intent,
  ticket: Ticket,
  dispatch: (ctx: Ctx, intent: Intent) => Promise<Reply[]> | Reply[]
): Promise<Reply[]> {
  const port = ctx.deps.handoff!
  if (intent.kind === 'handoffEnd') return endReply(ctx, ticket)
  const typed = ctx.msg.action === undefined ? (ctx.msg.text ?? '').trim() : ''
  if (typed !== '') await port.note(ticket.id, 'citizen', redactLine(typed))
  if (intent.kind === 'handoff' || intent.kind === 'staff') return [waitingReply(ctx, ticket, false)]
  let answer: Reply[] | undefined
  if (DOSSIER_KINDS.has(intent.kind) || ctx.msg.action !== undefined) {
    answer = await dispatch(ctx, intent)
  } else if (intent.kind === 'search' || (intent.kind === 'section' && intent.key === undefined && (intent.rest ?? '') !== '')) {
    const query = intent.kind === 'search' ? intent.text : intent.rest ?? ''
    const found = ctx.deps.search.query(query, { limit: 1 })
    const p = found.confidence === 'sure' ? ctx.deps.catalogue.byId.get(found.results[0]!.id) : undefined
    if (p !== undefined) answer = intent.kind === 'section' ? sectionReply(ctx, p, intent.section) : openCard(ctx, p)
  }
  if (answer === undefined || answer.length === 0) return [{ text: T.forwarded, buttons: [HANDOFF_BUTTONS.end] }]
  const context = {
    ...(ctx.state.procedureId !== undefined && ctx.state.procedureId !== ticket.procedureId ? { procedureId: ctx.state.procedureId } : {}),
    ...(ctx.state.dossierCode !== undefined && ctx.state.dossierCode !== ticket.dossierCode ? { dossierCode: ctx.state.dossierCode } : {}),
  }
  await port.note(ticket.id, 'bot', botLine(answer), Object.keys(context).length > 0 ? context : undefined)
  const [first, ...rest] = answer
  return [{ ...first!, text: `${T.botMark}\n${first!.text}` }, ...rest]
}
