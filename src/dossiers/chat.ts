import type { DossierPort, Requester } from '../conversation/context.ts'
import type { ConversationState } from '../conversation/state.ts'
import type { Reply } from '../conversation/types.ts'
import { extractDossierCode, extractShortDossierCode, normalizeDossierCode } from './code.ts'
import {
  renderAmbiguousCode, renderAskFactor, renderDetail, renderLocked, renderNotFound, renderPublicView, renderSubscribed,
  renderSubscriptionFull, renderTemplateConsent, renderTemplatesUnavailable, renderUnsubscribed, renderUnsubscribedAll, renderWrongFactor,
} from './messages.ts'
import type { DossierService } from './service.ts'

const who = (r: Requester): Requester => ({ channel: r.channel, userId: r.userId })
/** Verification key of a chat user: the same key makes later subscriptions "verified". */
export const chatRequesterKey = (r: Requester): string => `${r.channel}:${r.userId}`

/**
 * The dossier feature as the conversation core sees it (`DossierPort` in src/conversation/context.ts):
 * code recognition, anonymous lookup, the second-factor dialogue and subscriptions, all as Reply[].
 * Updates `state.dossierCode` and `state.awaitingFactorFor` (kept after a wrong factor so the citizen
 * can try again, cleared otherwise).
 */
export function createDossierPort (service: DossierService, options: { zaloTemplates?: boolean } = {}): DossierPort {
  const templates = options.zaloTemplates === true
  /** The full code, or the reply when a code typed without its agency id matches none or several. */
  const resolve = async (code: string): Promise<string | Reply[]> => {
    const full = await service.resolveCode(code)
    if (full === 'ambiguous') return [renderAmbiguousCode(code)]
    return full ?? [renderNotFound(code)]
  }
  return {
    findCode: (text) => extractDossierCode(text) ?? extractShortDossierCode(text),

    async lookup (typed, requester, state) {
      const code = await resolve(typed)
      if (typeof code !== 'string') return code
      const view = await service.publicView(code)
      if (view === null) return [renderNotFound(normalizeDossierCode(code))]
      state.dossierCode = view.code
      // The lookup code (or last 4 phone digits) may come as the very next message.
      state.awaitingFactorFor = view.code
      return [renderPublicView(view, { subscribed: await service.isSubscribed(view.code, who(requester)) })]
    },

    async askFactor (typed, state: ConversationState) {
      const code = await resolve(typed)
      if (typeof code !== 'string') return code
      const view = await service.publicView(code)
      if (view === null) return [renderNotFound(normalizeDossierCode(code))]
      state.awaitingFactorFor = view.code
      return [renderAskFactor(view.code)]
    },

    async verify (typed, factor, requester, state): Promise<Reply[]> {
      const code = await resolve(typed)
      if (typeof code !== 'string') return code
      // Web sessions are free to rotate: their wrong factors count against the client's address.
      const client = requester.channel === 'web' && requester.clientAddress !== undefined ? `ip:${requester.clientAddress}` : undefined
      const r = await service.verify(code, factor, chatRequesterKey(requester), undefined, client)
      state.awaitingFactorFor = r.result === 'wrong' ? normalizeDossierCode(code) : undefined
      switch (r.result) {
        case 'ok': {
          state.dossierCode = r.view.code
          return [renderDetail(r.view, { subscribed: await service.isSubscribed(r.view.code, who(requester)) })]
        }
        case 'wrong': return [renderWrongFactor(r.attemptsLeft)]
        case 'locked': return [renderLocked(r.retryAfterSeconds)]
        case 'not_found': return [renderNotFound(normalizeDossierCode(code))]
      }
    },

    async subscribe (code, requester, on) {
      const c = normalizeDossierCode(code)
      if (on) {
        const r = await service.subscribe(c, who(requester))
        if (r === 'not_found') return [renderNotFound(c)]
        if (r === 'full') return [renderSubscriptionFull(c)]
        const consented = requester.channel === 'zalo' && r === 'already' && await service.hasTemplateConsent(c, who(requester))
        return [renderSubscribed(c, requester.channel, { templates, consented })]
      }
      const r = await service.unsubscribe(c, who(requester))
      if (r === 'not_found') return [renderNotFound(c)]
      return [renderUnsubscribed(c, { deskPhone: templates && await service.deskConsent(c) !== undefined })]
    },

    async consent (code, requester) {
      const c = normalizeDossierCode(code)
      if (!templates || requester.channel !== 'zalo') return [renderTemplatesUnavailable(c)]
      const r = await service.consentToTemplates(c, who(requester))
      if (r.result !== 'consented') return [r.result === 'full' ? renderSubscriptionFull(c) : renderNotFound(c)]
      return [renderTemplateConsent(c, r.phone)]
    },

    async unsubscribeAll (requester, state) {
      return [renderUnsubscribedAll(await service.unsubscribeAll(who(requester), state.dossierCode))]
    },
  }
}
