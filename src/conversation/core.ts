import type { ConversationCore, InboundMessage, Reply } from './types.ts'
import { TRANSCRIPT_LINES, type ConversationState } from './state.ts'
import type { UnansweredLog } from './unanswered.ts'
import { staticContacts } from '../catalogue/contacts.ts'
import { botLine, endReply, handoffReply, redactLine, ticketReply } from './intents/handoff.ts'
import { commentReply, surveyReply, voteReply } from './intents/feedback.ts'
import { keyIndex, type CoreDeps, type Ctx } from './context.ts'
import { detectText, parseAction, type Intent } from './detect.ts'
import { aspectReply, followUpReply, openCard, ordinalReply, searchReply, sectionReply } from './intents/procedure.ts'
import { canHandOff, complaintReply, frustratedReply, hoursReply, smallTalkReply } from './intents/support.ts'
import { fieldReply, fieldsReply, officeReply, staffReply, withoutUnit } from './intents/info.ts'
import { HANDOFF_BUTTONS, MENU, T } from './texts.ts'

/** Messages longer than this are cut (a citizen's question never needs more). */
export const MAX_TEXT_CHARS = 2000

type Handlers = { [K in Intent['kind']]: (ctx: Ctx, intent: Extract<Intent, { kind: K }>) => Promise<Reply[]> | Reply[] }

const noDossiers = (): Reply[] => [{ text: T.dossierUnavailable, buttons: MENU }]

/** One handler per intent; the mapped type makes a missing handler a compile error. */
const handlers: Handlers = {
  empty: () => [{ text: T.emptyText, buttons: MENU }],
  greeting: () => [{ text: T.greeting, buttons: MENU }],
  help: () => [{ text: T.help, buttons: MENU }],
  thanks: () => [{ text: T.thanks }],
  bye: () => [{ text: T.bye }],
  searchPrompt: () => [{ text: T.askSearch }],
  dossierPrompt: () => [{ text: T.askDossier }],
  dossier: (ctx, i) => ctx.deps.dossiers?.lookup(i.code, ctx.msg, ctx.state) ?? noDossiers(),
  dossierFactor: (ctx, i) => ctx.deps.dossiers?.verify(i.code, i.factor, ctx.msg, ctx.state) ?? noDossiers(),
  dossierDetail: (ctx, i) => ctx.deps.dossiers?.askFactor(i.code, ctx.state) ?? noDossiers(),
  dossierSubscribe: (ctx, i) => ctx.deps.dossiers?.subscribe(i.code, ctx.msg, i.on) ?? noDossiers(),
  dossierConsent: (ctx, i) => ctx.deps.dossiers?.consent(i.code, ctx.msg) ?? noDossiers(),
  dossierStopAll: (ctx) => ctx.deps.dossiers?.unsubscribeAll(ctx.msg, ctx.state) ?? noDossiers(),
  fields: (ctx, i) => fieldsReply(ctx, i.page),
  field: (ctx, i) => fieldReply(ctx, i.index, i.page),
  offices: (ctx) => officeReply(ctx, ''),
  office: (ctx, i) => officeReply(ctx, i.query),
  staff: (ctx) => staffReply(ctx),
  smallTalk: (ctx) => smallTalkReply(ctx),
  frustrated: (ctx) => frustratedReply(ctx),
  complaint: (ctx, i) => complaintReply(ctx, i.text),
  hours: (ctx) => hoursReply(ctx),
  followUp: (ctx, i) => followUpReply(ctx, i.topic, i.text),
  outOfScope: (_ctx, i) => [{ text: i.text, buttons: MENU.slice(0, 2) }],
  open: (ctx, i) => {
    const p = ctx.byKey.get(i.key)
    return p === undefined ? [{ text: T.unknownAction, buttons: MENU }] : openCard(ctx, p)
  },
  section: (ctx, i) => {
    if (i.key !== undefined) {
      const p = ctx.byKey.get(i.key)
      return p === undefined ? [{ text: T.unknownAction, buttons: MENU }] : sectionReply(ctx, p, i.section)
    }
    return aspectReply(ctx, i.section, i.rest ?? '')
  },
  ordinal: (ctx, i) => ordinalReply(ctx, i.index),
  search: (ctx, i) => searchReply(ctx, i.text),
  unknownAction: () => [{ text: T.unknownAction, buttons: MENU }],
  handoff: (ctx, i) => handoffReply(ctx, i.reason),
  // Outside a ticket (inside one, ticketReply closes it).
  handoffEnd: (ctx) => endReply(ctx, undefined),
  vote: (ctx, i) => voteReply(ctx, i.id, i.vote),
  voteSkip: () => [{ text: T.surveySkip, buttons: MENU }],
}

function dispatch (ctx: Ctx, intent: Intent): Promise<Reply[]> | Reply[] {
  return (handlers[intent.kind] as (c: Ctx, i: Intent) => Promise<Reply[]> | Reply[])(ctx, intent)
}

/** Typed messages that count as questions in the weekly statistics (not greetings, picks or answers). */
const QUESTION_KINDS = new Set<Intent['kind']>(['search', 'section', 'followUp', 'office', 'hours', 'dossier', 'dossierPrompt', 'outOfScope', 'complaint', 'staff'])
/**
 * Typed messages that are not the optional comment after a vote: requests the bot acts on. A search is
 * a comment only when it finds no procedure surely (a new question is answered, not swallowed).
 */
const NOT_A_COMMENT = new Set<Intent['kind']>(['dossier', 'dossierFactor', 'handoff', 'handoffEnd', 'empty', 'greeting', 'help', 'bye',
  'section', 'followUp', 'office', 'hours', 'outOfScope', 'staff', 'ordinal', 'dossierPrompt'])

/** A button press as a transcript line, for staff reading a ticket. */
function actionLine (ctx: Ctx, intent: Intent): string {
  switch (intent.kind) {
    case 'open': return `(bấm chọn: ${ctx.byKey.get(intent.key)?.title ?? 'thủ tục'})`
    case 'section': return `(bấm xem: ${intent.key !== undefined ? ctx.byKey.get(intent.key)?.title ?? '' : ''} — ${intent.section})`
    case 'dossier': case 'dossierDetail': case 'dossierPrompt': return '(tra cứu hồ sơ)'
    case 'dossierSubscribe': return '(đăng ký nhận thông báo hồ sơ)'
    case 'greeting': case 'help': return '(mở trò chuyện)'
    case 'fields': case 'field': return '(xem thủ tục theo lĩnh vực)'
    case 'offices': case 'office': return '(xem địa chỉ, giờ làm việc)'
    case 'handoff': return '(bấm «Gặp cán bộ»)'
    case 'vote': return intent.vote === 1 ? '(bấm 👍)' : '(bấm 👎)'
    default: return '(bấm nút)'
  }
}

/**
 * The channel-independent conversation core. State is loaded per (channel, user), handed to the intent
 * handler, and saved after it (expiring after 30 idle minutes). With the handoff feature, a chat with an
 * open ticket is routed to it (see ticketReply); a card, a dossier answer or an ended ticket is followed
 * once per conversation by the satisfaction question; typed questions are counted for the statistics.
 */
export function createConversation (deps: CoreDeps): ConversationCore {
  const now = deps.now ?? Date.now
  const byKey = keyIndex(deps.catalogue.procedures)
  const findCode = (t: string): string | null => deps.dossiers?.findCode(t) ?? null
  const contacts = deps.contacts ?? staticContacts(deps.catalogue.offices)

  return {
    async handle (msg: InboundMessage): Promise<Reply[]> {
      const prev = await deps.states.get(msg.channel, msg.userId)
      const state: ConversationState = { ...(prev ?? {}), updatedAt: now() }
      // Handlers see an unanswered log that also marks this message as missed.
      const unanswered: UnansweredLog = { record: async (...a) => { ctx.missed = true; await deps.unanswered.record(...a) }, list: (l) => deps.unanswered.list(l) }
      const ctx: Ctx = { msg, state, deps: { ...deps, unanswered }, byKey, contacts: await contacts.list() }
      const ticket = deps.handoff !== undefined && msg.channel !== 'terminal' ? await deps.handoff.active(msg.channel, msg.userId) : undefined
      const replies: Reply[] = []
      let intent: Intent
      let typed = ''
      if (msg.action !== undefined && msg.action !== '') {
        intent = parseAction(msg.action)
      } else {
        typed = msg.text ?? ''
        if (typed.length > MAX_TEXT_CHARS) {
          typed = typed.slice(0, MAX_TEXT_CHARS)
          replies.push({ text: T.tooLong })
        }
        intent = detectText(typed, prev, findCode, (t) => withoutUnit(deps.catalogue.offices.units, t))
      }
      // A pending second-factor question lasts for one answer only; so does the offer to comment.
      if (intent.kind !== 'dossierFactor') state.awaitingFactorFor = undefined
      const commentFor = state.commentFor
      state.commentFor = undefined
      // The dossier port sets state.dossierCode only when it answered with a dossier.
      const dossierBefore = state.dossierCode
      if (intent.kind === 'dossier' || intent.kind === 'dossierFactor') state.dossierCode = undefined

      const isComment = commentFor !== undefined && typed.trim() !== '' && !NOT_A_COMMENT.has(intent.kind) &&
        !(intent.kind === 'search' && deps.search.query(intent.text, { limit: 1 }).confidence === 'sure')
      if (isComment) {
        replies.push(...await commentReply(ctx, commentFor!, typed))
      } else if (ticket !== undefined && intent.kind !== 'vote' && intent.kind !== 'voteSkip') {
        replies.push(...await ticketReply(ctx, intent, ticket, dispatch))
      } else {
        replies.push(...await dispatch(ctx, intent))
      }

      if (intent.kind === 'dossier' || intent.kind === 'dossierFactor') {
        if (state.dossierCode !== undefined) ctx.outcome = { kind: 'dossier' }
        else state.dossierCode = dossierBefore
      }
      const inTicket = ticket !== undefined && intent.kind !== 'handoffEnd'
      // At most once per conversation, never while an officer has the chat.
      if (deps.feedback !== undefined && ctx.outcome !== undefined && state.surveyed !== true && !inTicket && intent.kind !== 'handoff') {
        replies.push(await surveyReply(ctx, ctx.outcome))
      }
      const question = typed.trim() !== '' && QUESTION_KINDS.has(intent.kind) && ticket === undefined && !isComment
      if (question) {
        state.misses = ctx.missed === true ? (state.misses ?? 0) + 1 : 0
        deps.feedback?.count(msg.channel, ctx.missed !== true)
        // Repeated misses: a person is offered (the menu's «Gặp cán bộ» is there too, but easy to miss).
        if (state.misses >= 2 && intent.kind !== 'complaint' && canHandOff(ctx)) replies.push({ text: T.offerHandoff, buttons: [HANDOFF_BUTTONS.afterFailures] })
      }
      const t = now()
      const lines = [
        { at: t, from: 'citizen' as const, text: typed.trim() !== '' ? redactLine(typed, 300) : actionLine(ctx, intent) },
        ...(replies.length > 0 ? [{ at: t, from: 'bot' as const, text: botLine(replies) }] : []),
      ]
      state.transcript = [...(state.transcript ?? []), ...lines].slice(-TRANSCRIPT_LINES)
      await deps.states.set(msg.channel, msg.userId, state)
      return replies
    },
  }
}
