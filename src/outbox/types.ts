import type { ChannelName, Reply } from '../conversation/types.ts'
import type { NoticeMeta } from './notice.ts'

/** Outcome of one attempt to deliver one reply through a channel's API. */
export type SendResult =
  | { ok: true }
  /**
   * Transient failure (429, 5xx, network): try again no sooner than `afterMs` (if given). `defer`: not a
   * failure but a wait for capacity (Zalo's daily template quota): no attempt is counted and the item is
   * given up only after the outbox's `deferBudgetMs`.
   */
  | { ok: false, retry: true, afterMs?: number, reason: string, defer?: boolean }
  /**
   * Permanent failure (blocked by the user, outside Zalo's window, bad request): record, never retry.
   * `cancel`: the recipient no longer wants it (unsubscribed): dropped as 'cancelled', not a problem.
   */
  | { ok: false, retry: false, reason: string, cancel?: boolean }

/** What a sender knows about the item a reply belongs to. */
export interface SendContext {
  itemId: string
  /** Position of the reply in its item (0 first). */
  index: number
  kind: OutboxItem['kind']
  notice?: NoticeMeta
}

/** A channel's way of delivering one reply to one user. Implemented in bots/<channel>/. */
export interface ChannelSender {
  channel: ChannelName
  send (userId: string, reply: Reply, context?: SendContext): Promise<SendResult>
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
  /** A dossier status-change notice (channels may re-route it; Zalo: a template after the 7-day window). */
  notice?: NoticeMeta
  /**
   * Items of one (channel, user) are delivered in order per lane (default: one lane). A dossier's notices
   * use the lane `dossier:<code>`, so a notice that waits does not hold up the chat's replies.
   */
  lane?: string
}

/** `cancelled`: dropped because the recipient unsubscribed (not a problem for staff). */
export type OutboxStatus = 'pending' | 'sent' | 'failed' | 'undeliverable' | 'cancelled'

/** An item as staff see it: its state, why it is not delivered yet, and when it is tried next. */
export type OutboxView = OutboxItem & { status: OutboxStatus, reason?: string, createdAt: number, updatedAt: number, nextAttemptAt: number }

/** Which pending items `cancel` drops: one recipient's items whose key starts with `keyPrefix` (`<code>:`). */
export interface CancelFilter { channel: ChannelName, userId: string, keyPrefix: string }

/** Persisted, paced, retrying delivery of replies and notifications. */
export interface Outbox {
  enqueue (item: Omit<OutboxItem, 'id'>): Promise<{ id: string, duplicate: boolean }>
  /** Registers the sender of a channel; items for channels without a sender stay pending. */
  register (sender: ChannelSender): void
  /** Items that could not be delivered and need staff attention (blocked, outside window, gave up). */
  problems (): Promise<OutboxView[]>
  /** Pending items that already met an obstacle and wait (retry, or a deferred template over quota), with the reason. */
  waiting (): Promise<OutboxView[]>
  /** Drops the pending items of one recipient (unsubscribe); returns how many. */
  cancel (filter: CancelFilter): Promise<number>
  /** Resolves when nothing is due right now (for tests and graceful shutdown). */
  idle (): Promise<void>
  close (): Promise<void>
}
