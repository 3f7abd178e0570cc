import { TelegramError, type Telegram } from 'telegraf'
import type { Reply } from '../../src/conversation/types.ts'
import type { ChannelSender, SendResult } from '../../src/outbox/types.ts'
import { prepareTelegramReplies, toSendMessagePayload } from './render.ts'

type CallSignal = NonNullable<Parameters<Telegram['callApi']>[2]>['signal']

/** How long one Bot API call may take before it counts as a network failure. */
const CALL_TIMEOUT_MS = 15_000

/**
 * Maps a failed Bot API call to the outbox's vocabulary: 429 → retry after `retry_after`; 5xx and
 * network errors → retry with backoff; 403 (blocked, deactivated, kicked) and other 4xx → permanent.
 */
export function classifyTelegramError (err: unknown): SendResult {
  if (!(err instanceof TelegramError)) return { ok: false, retry: true, reason: 'network-error' }
  const code = err.code
  const description = (err.description ?? '').toLowerCase()
  if (code === 429) {
    const seconds = err.parameters?.retry_after
    return { ok: false, retry: true, reason: 'rate-limited', ...(typeof seconds === 'number' ? { afterMs: seconds * 1000 } : {}) }
  }
  if (code >= 500) return { ok: false, retry: true, reason: `telegram-${code}` }
  if (code === 403) {
    if (description.includes('blocked')) return { ok: false, retry: false, reason: 'blocked-by-user' }
    if (description.includes('deactivated')) return { ok: false, retry: false, reason: 'user-deactivated' }
    return { ok: false, retry: false, reason: 'forbidden' }
  }
  if (code === 400 && description.includes('chat not found')) return { ok: false, retry: false, reason: 'chat-not-found' }
  return { ok: false, retry: false, reason: `telegram-${code}` }
}

/**
 * The outbox's sender for Telegram: renders one reply (HTML, inline keyboard, split at 4,096
 * characters when it was not prepared already) and sends it with `sendMessage`.
 */
export function createTelegramSender (telegram: Telegram): ChannelSender {
  return {
    channel: 'telegram',
    async send (userId: string, reply: Reply): Promise<SendResult> {
      for (const part of prepareTelegramReplies([reply])) {
        try {
          await telegram.callApi('sendMessage', { chat_id: userId, ...toSendMessagePayload(part) }, {
            // node-fetch (inside telegraf) accepts Node's AbortSignal; its typings name another class.
            signal: AbortSignal.timeout(CALL_TIMEOUT_MS) as unknown as CallSignal,
          })
        } catch (err) {
          return classifyTelegramError(err)
        }
      }
      return { ok: true }
    },
  }
}
