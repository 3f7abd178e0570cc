import type { Reply } from '../../src/conversation/types.ts'
import { splitText } from '../../src/text/split-text.ts'
import { TEXTS } from '../common/texts.ts'

/** Zalo's limit on a message's text. */
export const ZALO_MAX_TEXT = 2000
/** Zalo shows at most this many buttons under one message. */
export const ZALO_MAX_BUTTONS = 5
/** Prefix of button payloads: a tap comes back as a text message equal to the payload. */
export const ZALO_ACTION_PREFIX = '#a:'
const MAX_TITLE = 100

/** The `message` object of `POST /v3.0/oa/message/cs`. */
export interface ZaloMessage {
  text: string
  attachment?: {
    type: 'template'
    payload: { buttons: Array<{ title: string, type: 'oa.query.hide', payload: string }> }
  }
}

/**
 * Makes each reply fit one Zalo message: more than five choices are also listed as numbered text
 * (the core understands "1", "2" …) with the first five as buttons; text is split at 2,000 characters
 * with the buttons on the last part. Idempotent: prepared replies come out unchanged.
 */
export function prepareZaloReplies (replies: Reply[]): Reply[] {
  const out: Reply[] = []
  for (const reply of replies) {
    const buttons = reply.buttons ?? []
    let text = reply.text
    if (buttons.length > ZALO_MAX_BUTTONS) {
      const list = buttons.map((b, i) => `${i + 1}. ${b.label}`).join('\n')
      text = `${text.trim()}\n\n${TEXTS.typeNumber}\n${list}`.trim()
    }
    const parts = splitText(text, ZALO_MAX_TEXT)
    if (parts.length === 0 && buttons.length > 0) parts.push(TEXTS.chooseBelow)
    const shown = buttons.slice(0, ZALO_MAX_BUTTONS)
    parts.forEach((part, i) => {
      out.push(i === parts.length - 1 && shown.length > 0 ? { text: part, buttons: shown } : { text: part })
    })
  }
  return out
}

/** Renders one prepared reply as a Zalo message with `oa.query.hide` buttons. */
export function toZaloMessage (reply: Reply): ZaloMessage {
  const buttons = (reply.buttons ?? []).slice(0, ZALO_MAX_BUTTONS).map((b) => ({
    title: b.label.length > MAX_TITLE ? `${b.label.slice(0, MAX_TITLE - 1)}…` : b.label,
    type: 'oa.query.hide' as const,
    payload: `${ZALO_ACTION_PREFIX}${b.value}`,
  }))
  return buttons.length > 0
    ? { text: reply.text, attachment: { type: 'template', payload: { buttons } } }
    : { text: reply.text }
}

/** The button value carried by a tapped button's text, or undefined for text the user typed. */
export function actionFromText (text: string): string | undefined {
  return text.startsWith(ZALO_ACTION_PREFIX) && text.length > ZALO_ACTION_PREFIX.length
    ? text.slice(ZALO_ACTION_PREFIX.length)
    : undefined
}
