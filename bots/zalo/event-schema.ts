import { z } from 'zod'

/** Zalo's ids: digit strings beyond 2^53, sometimes numbers; kept as strings. */
const id = z.union([z.string().min(1).max(64), z.number().int().nonnegative()])
const timestamp = z.union([z.string().regex(/^\d{10,16}$/), z.number().int().positive()])

/**
 * The fields of a Zalo OA event this code reads, checked strictly (other fields pass through): an event
 * name, a millisecond timestamp, and for user events the sender's id and a message object.
 */
const eventSchema = z.looseObject({
  event_name: z.string().min(1).max(64),
  timestamp,
  sender: z.looseObject({ id }).optional(),
  follower: z.looseObject({ id }).optional(),
  message: z.looseObject({ msg_id: id.optional(), text: z.string().max(10_000).optional() }).optional(),
})

/** How old (or how far in the future) a signed event may be before it is dropped as a replay. */
export const ZALO_EVENT_MAX_AGE_MS = 15 * 60_000
const MAX_FUTURE_MS = 5 * 60_000

/** `ok`, or why a signed event is not handled (answered 200 so Zalo does not re-deliver it). */
export type ZaloEventCheck = 'ok' | 'malformed' | 'stale'

/** Checks the read fields' types and the event's freshness against `now` (ms epoch). */
export function checkZaloEvent (body: Record<string, unknown>, now: number): ZaloEventCheck {
  const r = eventSchema.safeParse(body)
  if (!r.success) return 'malformed'
  const at = Number(r.data.timestamp)
  if (!Number.isFinite(at) || at < now - ZALO_EVENT_MAX_AGE_MS || at > now + MAX_FUTURE_MS) return 'stale'
  return 'ok'
}
