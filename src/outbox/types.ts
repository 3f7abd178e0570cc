import type { ChannelName, Reply } from '../conversation/types.ts'

/** Outcome of one attempt to deliver one reply through a channel's API. */
export type SendResult =
  | { ok: true }
  /** Transient failure (429, 5xx, network): try again no sooner than `afterMs` (if given). */
  | { ok: false, retry: true, afterMs?: number, reason: string }
  /** Permanent failure (blocked by the user, outside Zalo's window, bad request): record, never retry. */
  | { ok: false, retry: false, reason: string }

/** A channel's way of delivering one reply to one user. Implemented in bots/<channel>/. */
export interface ChannelSender {
  channel: ChannelName
  send (userId: string, reply: Reply): Promise<SendResult>
}

/** A queued message: several replies to one user, delivered in order. */
export interface OutboxItem {
  id: string
  channel: ChannelName
  userId: string
  replies: Reply[]
  /** Optional idempotency key: enqueueing an item whose key is already known does nothing. */
  dedupeKey?: string
  kind: 'reply' | 'notification'
}

export type OutboxStatus = 'pending' | 'sent' | 'failed' | 'undeliverable'

/** Persisted, paced, retrying delivery of replies and notifications. */
export interface Outbox {
  enqueue (item: Omit<OutboxItem, 'id'>): Promise<{ id: string, duplicate: boolean }>
  /** Registers the sender of a channel; items for channels without a sender stay pending. */
  register (sender: ChannelSender): void
  /** Items that could not be delivered and need staff attention (blocked, outside window, gave up). */
  problems (): Promise<Array<OutboxItem & { status: OutboxStatus, reason?: string }>>
  /** Resolves when nothing is due right now (for tests and graceful shutdown). */
  idle (): Promise<void>
  close (): Promise<void>
}
