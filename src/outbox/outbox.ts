import { randomUUID } from 'node:crypto'
import type { FastifyBaseLogger } from 'fastify'
import type { OutboxRow, OutboxStore } from '../db/outbox-store.ts'
import type { ChannelSender, Outbox, OutboxStatus, OutboxView, SendResult } from './types.ts'

/** Logger the outbox writes to (pino / Fastify's logger). Only ids, statuses and reasons are logged. */
export type OutboxLogger = Pick<FastifyBaseLogger, 'debug' | 'info' | 'warn' | 'error'>

/** Schedules `fn` after `ms` milliseconds; returns a function that cancels it. */
export type SetTimer = (fn: () => void, ms: number) => () => void

/** Options of createOutbox; everything but `store` and `logger` has a production default. */
export interface OutboxOptions {
  /** The queue (`createOutboxStore(db)`). */
  store: OutboxStore
  logger: OutboxLogger
  /** Clock in epoch milliseconds (default `Date.now`); tests pass a manual clock. */
  now?: () => number
  /** Timer used for pacing and retries (default: an unref'd `setTimeout`). */
  setTimer?: SetTimer
  /** Minimum gap between two messages to the same (channel, user). Default 1,000 ms; tests use 0. */
  paceMs?: number
  /** Messages per second per channel from this instance (Telegram ~30/s overall). Default `{ telegram: 30 }`. */
  channelRate?: Partial<Record<string, number>>
  /** A message still not delivered this long after it was queued is given up as 'failed'. Default 24 h. */
  retryBudgetMs?: number
  /** Same for a message that only waits for capacity (`defer`: Zalo's daily template quota). Default 7 days. */
  deferBudgetMs?: number
  /** First retry delay when the sender gives no `afterMs`; doubles on each counted attempt. Default 2,000 ms. */
  baseDelayMs?: number
  /** Ceiling of the retry delay. Default 5 minutes. */
  maxDelayMs?: number
  /** How long sent items are kept (they also make `dedupeKey` idempotent). Default 7 days. */
  keepSentMs?: number
  /** How long failed/undeliverable items are kept for staff. Default 90 days. */
  keepProblemsMs?: number
  /** How often to look for work queued by other instances. Default 1,000 ms. */
  pollMs?: number
  /** How long a claim lasts before another instance may take the item over. Default 60 s. */
  leaseMs?: number
  /** Items (of different chats) delivered at once. Default 16. */
  concurrency?: number
  /** Forget claims at start (embedded engine: no other process can hold one). Default false. */
  clearClaimsOnStart?: boolean
}

const DAY = 24 * 60 * 60 * 1000
const HOUR = 60 * 60 * 1000
const defaultSetTimer: SetTimer = (fn, ms) => {
  const t = setTimeout(fn, ms)
  t.unref()
  return () => clearTimeout(t)
}

/** What staff see of a stored item (without the delivery bookkeeping). */
const view = ({ seq: _seq, delivered: _d, attempts: _a, ...item }: OutboxRow): OutboxView => item

/** A token bucket: `rate` sends per second, bursts up to `rate`. */
function bucket (rate: number, now: () => number): { available (): number, take (): void, nextAt (): number } {
  let tokens = rate
  let at = now()
  const refill = (): void => {
    const t = now()
    tokens = Math.min(rate, tokens + (t - at) * rate / 1000)
    at = t
  }
  return {
    available () { refill(); return Math.floor(tokens) },
    take () { refill(); tokens -= 1 },
    nextAt () { refill(); return tokens >= 1 ? now() : now() + Math.ceil((1 - tokens) * 1000 / rate) },
  }
}

/**
 * The outbox over its store. Items are committed before `enqueue()` resolves and delivered in order per
 * (channel, user), paced per chat and per channel, retried with exponential backoff (or after the
 * platform's `retry_after`, which does not count as a failed attempt) and given up as 'failed' only after
 * `retryBudgetMs`; permanent failures are kept as 'undeliverable'. Work is claimed in the store, so
 * several instances share one queue and each reply is sent once: each accepted reply is committed
 * before the next is sent (only a crash between the platform's "ok" and that commit repeats one reply).
 */
export async function createOutbox (options: OutboxOptions): Promise<Outbox> {
  const { logger, store } = options
  const now = options.now ?? Date.now
  const setTimer = options.setTimer ?? defaultSetTimer
  const paceMs = options.paceMs ?? 1000
  const retryBudgetMs = options.retryBudgetMs ?? DAY
  const deferBudgetMs = Math.max(options.deferBudgetMs ?? 7 * DAY, retryBudgetMs)
  const baseDelayMs = options.baseDelayMs ?? 2000
  const maxDelayMs = options.maxDelayMs ?? 5 * 60 * 1000
  const keepSentMs = options.keepSentMs ?? 7 * DAY
  const keepProblemsMs = options.keepProblemsMs ?? 90 * DAY
  const pollMs = options.pollMs ?? 1000
  const leaseMs = options.leaseMs ?? 60_000
  const concurrency = options.concurrency ?? 16
  const owner = randomUUID()
  const rates = options.channelRate ?? { telegram: 30 }

  const senders = new Map<string, ChannelSender>()
  const buckets = new Map<string, ReturnType<typeof bucket>>()
  let pumping: Promise<void> | null = null
  let again = false
  let cancelTimer: (() => void) | undefined
  let closed = false
  let lastPrune = 0

  async function prune (): Promise<void> {
    const t = now()
    lastPrune = t
    const n = await store.prune(t - keepSentMs, t - keepProblemsMs)
    if (n > 0) logger.info({ pruned: n }, 'outbox: pruned old items')
  }

  function kick (): void {
    if (closed) return
    if (pumping !== null) { again = true; return }
    pumping = pump()
      .catch((err: unknown) => logger.error({ err }, 'outbox: delivery loop failed'))
      .finally(() => {
        pumping = null
        if (again) { again = false; kick() }
      })
  }

  function arm (at: number): void {
    cancelTimer?.()
    cancelTimer = closed ? undefined : setTimer(() => { cancelTimer = undefined; kick() }, Math.max(0, at - now()))
  }

  async function pump (): Promise<void> {
    cancelTimer?.()
    cancelTimer = undefined
    let wakeAt = Number.POSITIVE_INFINITY
    for (const channel of senders.keys()) {
      const b = buckets.get(channel)
      let blockedUntil = 0
      for (;;) {
        if (closed) return
        again = false
        const budget = b === undefined ? concurrency : Math.min(concurrency, b.available())
        if (budget <= 0) { blockedUntil = b?.nextAt() ?? 0; break }
        const batch = await store.claim({ channels: [channel], now: now(), owner, leaseMs, paceMs, limit: budget })
        if (batch.length === 0) break
        await Promise.all(batch.map(deliver))
      }
      if (closed) return
      const due = await store.nextDueAt([channel], paceMs)
      if (due !== undefined) wakeAt = Math.min(wakeAt, Math.max(due, blockedUntil))
    }
    if (closed) return
    if (now() - lastPrune > HOUR) await prune()
    if (senders.size > 0) arm(Math.min(wakeAt, now() + pollMs))
  }

  async function release (row: OutboxRow, status: OutboxStatus, attempts: number, nextAttemptAt: number, reason?: string): Promise<void> {
    await store.release(row.id, owner, { status, attempts, nextAttemptAt, reason, at: now() })
  }

  async function deliver (row: OutboxRow): Promise<void> {
    const sender = senders.get(row.channel)
    if (sender === undefined) return release(row, 'pending', row.attempts, 0, row.reason)
    let delivered = row.delivered
    let attempts = row.attempts
    while (delivered < row.replies.length) {
      const reply = row.replies[delivered]
      buckets.get(row.channel)?.take()
      let result: SendResult
      try {
        result = reply === undefined
          ? { ok: true }
          : await sender.send(row.userId, reply, { itemId: row.id, index: delivered, kind: row.kind, ...(row.notice !== undefined ? { notice: row.notice } : {}) })
      } catch (err) {
        logger.error({ err, itemId: row.id, channel: row.channel }, 'outbox: sender threw')
        result = { ok: false, retry: true, reason: 'sender-threw' }
      }
      const t = now()
      if (result.ok) {
        delivered += 1
        attempts = 0
        const done = delivered >= row.replies.length
        const kept = await store.markDelivered(row.id, owner, delivered, t, leaseMs, done)
        // The platform-accepted-then-killed window: a crash before this commit repeats this one reply.
        logger.debug({ itemId: row.id, channel: row.channel, reply: delivered, commitMs: now() - t }, 'outbox: delivered')
        if (!kept) {
          logger.warn({ itemId: row.id, channel: row.channel }, 'outbox: claim lost (lease expired)')
          return
        }
        if (done) return
        // Per-chat pace: the next reply waits for its turn like any other item of the chat.
        if (delivered < row.replies.length && paceMs > 0) return release(row, 'pending', 0, 0)
        continue
      }
      if (!result.retry) {
        if (result.cancel === true) {
          logger.info({ itemId: row.id, channel: row.channel, reason: result.reason }, 'outbox: cancelled')
          return release(row, 'cancelled', attempts, 0, result.reason)
        }
        logger.warn({ itemId: row.id, channel: row.channel, reason: result.reason }, 'outbox: undeliverable')
        return release(row, 'undeliverable', attempts, 0, result.reason)
      }
      if (result.defer === true) {
        // Waiting for capacity (a daily quota) is not a failed attempt; it still ends, after deferBudgetMs.
        if (t - row.createdAt >= deferBudgetMs) {
          logger.error({ itemId: row.id, channel: row.channel, reason: result.reason }, 'outbox: gave up waiting')
          return release(row, 'failed', attempts, 0, result.reason)
        }
        logger.info({ itemId: row.id, channel: row.channel, reason: result.reason, afterMs: result.afterMs }, 'outbox: deferred')
        return release(row, 'pending', attempts, t + (result.afterMs ?? baseDelayMs), result.reason)
      }
      // A platform that says when to come back (Telegram's 429 retry_after) is waited for, not counted.
      if (result.afterMs === undefined) attempts += 1
      if (t - row.createdAt >= retryBudgetMs) {
        logger.error({ itemId: row.id, channel: row.channel, reason: result.reason, attempts }, 'outbox: gave up')
        return release(row, 'failed', attempts, 0, result.reason)
      }
      const backoff = Math.min(maxDelayMs, baseDelayMs * 2 ** Math.max(0, attempts - 1))
      logger.info({ itemId: row.id, channel: row.channel, reason: result.reason, attempts }, 'outbox: will retry')
      return release(row, 'pending', attempts, t + (result.afterMs ?? backoff), result.reason)
    }
    return release(row, 'sent', 0, 0)
  }

  if (options.clearClaimsOnStart === true) await store.clearClaims()
  await prune()

  return {
    async enqueue (input) {
      const result = await store.insert({ ...structuredClone(input), id: randomUUID() }, now())
      if (!result.duplicate) kick()
      return result
    },

    register (sender) {
      senders.set(sender.channel, sender)
      const rate = rates[sender.channel]
      if (rate !== undefined && rate > 0) buckets.set(sender.channel, bucket(rate, now))
      kick()
    },

    async problems () {
      return (await store.list(['failed', 'undeliverable'])).map(view)
    },

    async waiting () {
      return (await store.list(['pending'])).filter((r) => r.reason !== undefined).map(view)
    },

    async cancel (filter) {
      const n = await store.cancel(filter, 'unsubscribed', now())
      if (n > 0) logger.info({ channel: filter.channel, cancelled: n }, 'outbox: cancelled pending items')
      return n
    },

    async idle () {
      for (let p = pumping; p !== null; p = pumping) await p
    },

    async close () {
      closed = true
      cancelTimer?.()
      cancelTimer = undefined
      for (let p = pumping; p !== null; p = pumping) await p
    },
  }
}
