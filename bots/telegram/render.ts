import type { Reply } from '../../src/conversation/types.ts'
import { splitText } from '../../src/text/split-text.ts'
import { TEXTS } from '../common/texts.ts'

/** Telegram's limit on a message's text, in characters after entity parsing. */
export const TELEGRAM_MAX_TEXT = 4096
/** Telegram's limit on `callback_data`, in bytes. */
export const TELEGRAM_MAX_CALLBACK_BYTES = 64

/** Escapes text for `parse_mode: 'HTML'` (Telegram needs only these three). */
export function escapeHtml (text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

/** A reply this short with a few buttons (the satisfaction question) rides on the message before it. */
const RIDER_MAX_TEXT = 300
const RIDER_MAX_BUTTONS = 3
/** Most buttons one message gets by carrying a rider (one per row). */
const MAX_ROWS = 10

/**
 * Splits replies so that each fits in one Telegram message (≤ 4,096 characters, cut at paragraph
 * boundaries); buttons stay on the last part. A short question with its buttons that follows another
 * reply (the satisfaction question after a card) goes in the same message: Telegram lets a bot send
 * about 30 messages a second in all, and one message per answer keeps replies to new questions prompt
 * when many people write at once. Idempotent: prepared replies come out unchanged.
 */
export function prepareTelegramReplies (replies: Reply[]): Reply[] {
  const out: Reply[] = []
  for (const reply of replies) {
    const hasButtons = (reply.buttons?.length ?? 0) > 0
    const prev = out.at(-1)
    const buttons = reply.buttons ?? []
    if (prev !== undefined && hasButtons && buttons.length <= RIDER_MAX_BUTTONS && reply.text.length <= RIDER_MAX_TEXT &&
      prev.text.length + 2 + reply.text.length <= TELEGRAM_MAX_TEXT && (prev.buttons?.length ?? 0) + buttons.length <= MAX_ROWS) {
      out[out.length - 1] = { text: `${prev.text}\n\n${reply.text}`, buttons: [...(prev.buttons ?? []), ...buttons] }
      continue
    }
    const parts = splitText(reply.text, TELEGRAM_MAX_TEXT)
    if (parts.length === 0 && hasButtons) parts.push(TEXTS.chooseBelow)
    parts.forEach((text, i) => {
      out.push(i === parts.length - 1 && hasButtons ? { text, buttons: reply.buttons } : { text })
    })
  }
  return out
}

/** An inline keyboard button as sent to the Bot API. */
export interface InlineButton { text: string, callback_data: string }

/** The `sendMessage` payload (minus chat_id) of one prepared reply: HTML, one button per row. */
export function toSendMessagePayload (reply: Reply): {
  text: string
  parse_mode: 'HTML'
  reply_markup?: { inline_keyboard: InlineButton[][] }
} {
  const buttons = (reply.buttons ?? [])
    .filter((b) => b.value !== '' && Buffer.byteLength(b.value, 'utf8') <= TELEGRAM_MAX_CALLBACK_BYTES)
    .map((b) => [{ text: b.label, callback_data: b.value }])
  return {
    text: escapeHtml(reply.text),
    parse_mode: 'HTML',
    ...(buttons.length > 0 ? { reply_markup: { inline_keyboard: buttons } } : {}),
  }
}
