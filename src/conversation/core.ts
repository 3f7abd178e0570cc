import type { ConversationCore, InboundMessage, Reply } from './types.ts'
import type { ConversationState } from './state.ts'
import { keyIndex, type CoreDeps, type Ctx } from './context.ts'
import { detectText, parseAction, type Intent } from './detect.ts'
import { aspectReply, followUpReply, openCard, ordinalReply, searchReply, sectionReply } from './intents/procedure.ts'
import { complaintReply, frustratedReply, hoursReply, smallTalkReply } from './intents/support.ts'
import { fieldReply, fieldsReply, officeReply, staffReply } from './intents/info.ts'
import { MENU, T } from './texts.ts'

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
}

function dispatch (ctx: Ctx, intent: Intent): Promise<Reply[]> | Reply[] {
  return (handlers[intent.kind] as (c: Ctx, i: Intent) => Promise<Reply[]> | Reply[])(ctx, intent)
}

/**
 * The channel-independent conversation core. State is loaded per (channel, user), handed to the intent
 * handler, and saved after it (expiring after 30 idle minutes).
 */
export function createConversation (deps: CoreDeps): ConversationCore {
  const now = deps.now ?? Date.now
  const byKey = keyIndex(deps.catalogue.procedures)
  const findCode = (t: string): string | null => deps.dossiers?.findCode(t) ?? null

  return {
    async handle (msg: InboundMessage): Promise<Reply[]> {
      const prev = await deps.states.get(msg.channel, msg.userId)
      const state: ConversationState = { ...(prev ?? {}), updatedAt: now() }
      const ctx: Ctx = { msg, state, deps, byKey }
      const replies: Reply[] = []
      let intent: Intent
      if (msg.action !== undefined && msg.action !== '') {
        intent = parseAction(msg.action)
      } else {
        let text = msg.text ?? ''
        if (text.length > MAX_TEXT_CHARS) {
          text = text.slice(0, MAX_TEXT_CHARS)
          replies.push({ text: T.tooLong })
        }
        intent = detectText(text, prev, findCode)
      }
      // A pending second-factor question lasts for one answer only.
      if (intent.kind !== 'dossierFactor') state.awaitingFactorFor = undefined
      replies.push(...await dispatch(ctx, intent))
      await deps.states.set(msg.channel, msg.userId, state)
      return replies
    },
  }
}
