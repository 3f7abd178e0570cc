import type { FastifyBaseLogger } from 'fastify'
import type { Reply } from '../../src/conversation/types.ts'
import type { ChannelSender, SendResult } from '../../src/outbox/types.ts'
import type { ZaloApiResult, ZaloClient } from './client.ts'
import { prepareZaloReplies, toZaloMessage } from './render.ts'
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
 * The outbox's sender for Zalo. Refuses (permanently, 'outside-zalo-window') users whose last
 * interaction is older than 7 days, so queued notifications never hit Zalo's -230.
 */
export function createZaloSender (options: {
  client: ZaloClient
  users: ZaloUsers
  logger: FastifyBaseLogger
  now?: () => number
}): ChannelSender {
  const { client, users } = options
  const now = options.now ?? Date.now
  const log = options.logger.child({ channel: 'zalo' })
  return {
    channel: 'zalo',
    async send (userId: string, reply: Reply): Promise<SendResult> {
      const last = await users.lastInteraction(userId)
      if (last !== undefined && now() - last > ZALO_MAX_WINDOW_MS) {
        return { ok: false, retry: false, reason: 'outside-zalo-window' }
      }
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
    },
  }
}
