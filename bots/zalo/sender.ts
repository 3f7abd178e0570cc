import type { FastifyBaseLogger } from 'fastify'
import type { Reply } from '../../src/conversation/types.ts'
import type { NoticeAudience } from '../../src/outbox/notice.ts'
import type { ChannelSender, SendContext, SendResult } from '../../src/outbox/types.ts'
import type { ZaloApiResult, ZaloClient } from './client.ts'
import { prepareZaloReplies, toZaloMessage } from './render.ts'
import type { ZaloTemplateDelivery } from './template-delivery.ts'
import { ZaloTokenError } from './tokens.ts'
import { ZALO_MAX_WINDOW_MS, type ZaloUsers } from './users.ts'

/** Zalo error codes that must not be retried, with the reason recorded for staff. */
const PERMANENT: Record<number, string> = {
  [-230]: 'outside-zalo-window',
  [-232]: 'outside-zalo-window',
  [-201]: 'invalid-request',
  [-210]: 'parameter-too-long',
}

/** Maps an OA API answer to the outbox's vocabulary (-32 and 5xx → retry; see PERMANENT). */
export function classifyZaloResult (result: ZaloApiResult): SendResult {
  if (result.error === 0) return { ok: true }
  if (result.status >= 500 || result.status === 429) return { ok: false, retry: true, reason: `zalo-http-${result.status}` }
  if (result.error === undefined) return { ok: false, retry: true, reason: `zalo-http-${result.status}` }
  if (result.error === -32) return { ok: false, retry: true, reason: 'rate-limited' }
  const permanent = PERMANENT[result.error]
  if (permanent !== undefined) return { ok: false, retry: false, reason: permanent }
  return { ok: false, retry: true, reason: `zalo-error:${result.error}` }
}

/**
 * The outbox's sender for Zalo. A customer-service message needs the user's last interaction within 7
 * days; a user seen longer ago is refused without calling Zalo ('outside-zalo-window').
 *
 * Dossier notices (items with `notice`) are first checked with `audience` (unsubscribed → cancelled on
 * every route). Within the window the free-form message stays the first choice; when the window is closed
 * (or Zalo answers -230/-232) the notice goes as a ZBS template message through `templates`, by user id
 * or by phone as the citizen agreed. A notice of the desk (`desk:<code>`) only ever goes by template.
 */
export function createZaloSender (options: {
  client: ZaloClient
  users: ZaloUsers
  logger: FastifyBaseLogger
  now?: () => number
  /** Template delivery, when templates are configured. */
  templates?: ZaloTemplateDelivery
  /** Send-time check of dossier notices (subscriptions and consent). */
  audience?: NoticeAudience
}): ChannelSender {
  const { client, users, templates, audience } = options
  const now = options.now ?? Date.now
  const log = options.logger.child({ channel: 'zalo' })

  async function freeForm (userId: string, reply: Reply): Promise<SendResult> {
    for (const part of prepareZaloReplies([reply])) {
      let result: SendResult
      try {
        result = classifyZaloResult(await client.sendMessage(userId, toZaloMessage(part)))
      } catch (err) {
        const reason = err instanceof ZaloTokenError ? 'token-refresh-failed' : 'network-error'
        log.warn({ err, reason }, 'zalo send failed')
        result = { ok: false, retry: true, reason }
      }
      if (!result.ok) return result
    }
    return { ok: true }
  }

  const windowOpen = async (userId: string): Promise<boolean> => {
    const last = await users.lastInteraction(userId)
    return last === undefined || now() - last <= ZALO_MAX_WINDOW_MS
  }

  return {
    channel: 'zalo',
    async send (userId: string, reply: Reply, context?: SendContext): Promise<SendResult> {
      const notice = context?.notice
      if (notice === undefined || audience === undefined) {
        if (!await windowOpen(userId)) return { ok: false, retry: false, reason: 'outside-zalo-window' }
        return await freeForm(userId, reply)
      }
      const recipients = await audience.resolve(notice, 'zalo', userId)
      if (recipients === null) return { ok: false, retry: false, reason: 'unsubscribed', cancel: true }
      if (notice.audience === 'subscriber' && await windowOpen(userId)) {
        const r = await freeForm(userId, reply)
        if (r.ok || r.retry || r.reason !== 'outside-zalo-window') return r
      }
      // One template covers the whole notice (notices have one reply).
      if ((context?.index ?? 0) > 0) return { ok: true }
      if (templates === undefined) return { ok: false, retry: false, reason: notice.audience === 'desk' ? 'no-template-configured' : 'outside-zalo-window' }
      return await templates.deliver(notice, userId, recipients, context?.itemId ?? `${notice.code}:${notice.historyIndex}`)
    },
  }
}
