import { ACTIONS } from '../../src/conversation/types.ts'
import { actionFromText } from './render.ts'

/** What the webhook does with one Zalo event. */
export type ZaloEvent =
  /** Ask the core: typed text, a tapped button (action) or a follow (action 'start'). */
  | { kind: 'ask', userId: string, dedupeId: string, input: { text: string } | { action: string } }
  /** A photo, sticker, voice note, file, location …: answer that only text is understood. */
  | { kind: 'non-text', userId: string, dedupeId: string }
  /** Echoes of our own messages (`oa_send_*`), seen/received receipts, unfollow, unknown events. */
  | { kind: 'ignore' }

const asId = (v: unknown): string | undefined =>
  (typeof v === 'string' && v !== '') || typeof v === 'number' ? String(v) : undefined

function field (obj: unknown, key: string): unknown {
  return typeof obj === 'object' && obj !== null ? (obj as Record<string, unknown>)[key] : undefined
}

/**
 * Translates a parsed webhook body. Ids and timestamps stay strings (they exceed 2^53). The dedupe id
 * is `message.msg_id` (delivery is at-least-once), or `follow:<user>:<timestamp>` for follows.
 */
export function translateZaloEvent (body: Record<string, unknown>): ZaloEvent {
  const name = typeof body.event_name === 'string' ? body.event_name : ''
  const timestamp = asId(body.timestamp) ?? ''
  if (name === 'follow') {
    const userId = asId(field(body.follower, 'id'))
    return userId === undefined
      ? { kind: 'ignore' }
      : { kind: 'ask', userId, dedupeId: `follow:${userId}:${timestamp}`, input: { action: ACTIONS.start } }
  }
  if (!name.startsWith('user_send_')) return { kind: 'ignore' }
  const userId = asId(field(body.sender, 'id'))
  if (userId === undefined) return { kind: 'ignore' }
  const msgId = asId(field(body.message, 'msg_id'))
  const dedupeId = msgId !== undefined ? `msg:${msgId}` : `${name}:${userId}:${timestamp}`
  if (name !== 'user_send_text') return { kind: 'non-text', userId, dedupeId }
  const text = field(body.message, 'text')
  if (typeof text !== 'string' || text.trim() === '') return { kind: 'ignore' }
  const action = actionFromText(text.trim())
  return { kind: 'ask', userId, dedupeId, input: action !== undefined ? { action } : { text } }
}
