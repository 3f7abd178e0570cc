import { randomUUID } from 'node:crypto'
import type { FastifyBaseLogger } from 'fastify'
import { openJsonFile } from '../storage/json-file.ts'
import type { ChannelSender, Outbox, OutboxItem, OutboxStatus, SendResult } from './types.ts'

/** Logger the outbox writes to (pino / Fastify's logger). Only ids, statuses and reasons are logged. */
export type OutboxLogger = Pick<FastifyBaseLogger, 'debug' | 'info' | 'warn' | 'error'>

/** Schedules `fn` after `ms` milliseconds; returns a function that cancels it. */
export type SetTimer = (fn: () => void, ms: number) => () => void

/** Options of createOutbox; everything but `file` and `logger` has a production default. */
export interface OutboxOptions {
  /** The JSON file holding the queue, e.g. `${config.dataDir}/outbox.json`. */
  file: string
  logger: OutboxLogger
  /** Clock in epoch milliseconds (default `Date.now`); tests pass a manual clock. */
  now?: () => number
  /** Timer used for pacing and retries (default: an unref'd `setTimeout`). */
  setTimer?: SetTimer
  /** Minimum gap between two messages to the same (channel, user). Default 1,000 ms; tests use 0. */
  paceMs?: number
  /** Attempts of one reply before the item is given up as 'failed'. Default 10. */
  maxAttempts?: number
  /** First retry delay when the sender gives no `afterMs`; doubles on each attempt. Default 2,000 ms. */
  baseDelayMs?: number
  /** Ceiling of the retry delay. Default 5 minutes. */
  maxDelayMs?: number
  /** How long sent items are kept (they also make `dedupeKey` idempotent). Default 7 days. */
  keepSentMs?: number
  /** How long failed/undeliverable items are kept for staff. Default 90 days. */
  keepProblemsMs?: number
}

/** What is stored per item: the contract's OutboxItem plus its delivery state. */
export interface StoredItem extends OutboxItem {
  status: OutboxStatus
  /** Number of replies already delivered (they are never sent again, even after a restart). */
  delivered: number
  /** Consecutive failed attempts of the current reply. */
  attempts: number
  createdAt: number
  updatedAt: number
  nextAttemptAt?: number
  reason?: string
}

interface OutboxFile { version: 1, items: StoredItem[] }

const DAY = 24 * 60 * 60 * 1000
const defaultSetTimer: SetTimer = (fn, ms) => {
  const t = setTimeout(fn, ms)
  t.unref()
  return () => clearTimeout(t)
}

/**
 * Opens the persisted outbox. Items are written to disk before `enqueue()` resolves and delivered in
 * order per (channel, user), paced, retried with exponential backoff (or after the sender's `afterMs`)
 * and given up as 'failed' after `maxAttempts`; permanent failures are kept as 'undeliverable'. Each
 * delivered reply is recorded durably, so after a restart pending items resume where they stopped.
 * Delivery of a channel starts when its sender is registered.
 */
export async function createOutbox (options: OutboxOptions): Promise<Outbox> {
  const { logger } = options
  const now = options.now ?? Date.now
  const setTimer = options.setTimer ?? defaultSetTimer
  const paceMs = options.paceMs ?? 1000
  const maxAttempts = options.maxAttempts ?? 10
  const baseDelayMs = options.baseDelayMs ?? 2000
  const maxDelayMs = options.maxDelayMs ?? 5 * 60 * 1000
  const keepSentMs = options.keepSentMs ?? 7 * DAY
  const keepProblemsMs = options.keepProblemsMs ?? 90 * DAY

  const db = await openJsonFile<OutboxFile>(options.file, { version: 1, items: [] })
  const senders = new Map<string, ChannelSender>()
  const running = new Map<string, Promise<void>>()
  const timers = new Map<string, () => void>()
  const lastSentAt = new Map<string, number>()
  const unsaved = new Set<string>()
  let closed = false
  let lastPrune = 0

  const keyOf = (item: OutboxItem): string => `${item.channel}\u0000${item.userId}`
  const items = (): StoredItem[] => db.data.items

  async function save (): Promise<void> {
    try {
      await db.write()
    } catch (err) {
      logger.error({ err, file: options.file }, 'outbox: could not write the queue file')
    }
  }

  function prune (): void {
    const t = now()
    lastPrune = t
    db.data.items = items().filter((i) => i.status === 'pending' ||
      (i.status === 'sent' ? t - i.updatedAt < keepSentMs : t - i.updatedAt < keepProblemsMs))
  }

  function headOf (key: string): StoredItem | undefined {
    const head = items().find((i) => i.status === 'pending' && keyOf(i) === key)
    return head !== undefined && !unsaved.has(head.id) ? head : undefined
  }

  function schedule (key: string): void {
    if (closed || running.has(key)) return
    timers.get(key)?.()
    timers.delete(key)
    const run = drain(key)
      .catch((err: unknown) => logger.error({ err }, 'outbox: delivery loop failed'))
      .finally(() => running.delete(key))
    running.set(key, run)
  }

  function arm (key: string, at: number): void {
    timers.get(key)?.()
    timers.set(key, setTimer(() => { timers.delete(key); schedule(key) }, Math.max(0, at - now())))
  }

  async function drain (key: string): Promise<void> {
    for (;;) {
      if (closed) return
      const head = headOf(key)
      if (head === undefined) return
      const sender = senders.get(head.channel)
      if (sender === undefined) return
      const due = Math.max(head.nextAttemptAt ?? 0, (lastSentAt.get(key) ?? -Infinity) + paceMs)
      if (due > now()) return arm(key, due)
      await attempt(sender, head, key)
    }
  }

  async function attempt (sender: ChannelSender, item: StoredItem, key: string): Promise<void> {
    const reply = item.replies[item.delivered]
    let result: SendResult
    if (reply === undefined) {
      result = { ok: true }
    } else {
      try {
        result = await sender.send(item.userId, reply)
      } catch (err) {
        logger.error({ err, itemId: item.id, channel: item.channel }, 'outbox: sender threw')
        result = { ok: false, retry: true, reason: 'sender-threw' }
      }
      lastSentAt.set(key, now())
    }
    item.updatedAt = now()
    if (result.ok) {
      item.delivered = Math.min(item.delivered + 1, item.replies.length)
      item.attempts = 0
      delete item.nextAttemptAt
      delete item.reason
      if (item.delivered >= item.replies.length) item.status = 'sent'
      if (item.status === 'sent' && now() - lastPrune > 60 * 60 * 1000) prune()
    } else if (!result.retry) {
      item.status = 'undeliverable'
      item.reason = result.reason
      logger.warn({ itemId: item.id, channel: item.channel, reason: result.reason }, 'outbox: undeliverable')
    } else {
      item.attempts += 1
      item.reason = result.reason
      if (item.attempts >= maxAttempts) {
        item.status = 'failed'
        logger.error({ itemId: item.id, channel: item.channel, reason: result.reason, attempts: item.attempts }, 'outbox: gave up')
      } else {
        const backoff = Math.min(maxDelayMs, baseDelayMs * 2 ** (item.attempts - 1))
        item.nextAttemptAt = now() + (result.afterMs ?? backoff)
        logger.info({ itemId: item.id, channel: item.channel, reason: result.reason, attempts: item.attempts }, 'outbox: will retry')
      }
    }
    await save()
  }

  prune()
  await save()

  return {
    async enqueue (input) {
      const existing = input.dedupeKey === undefined
        ? undefined
        : items().find((i) => i.dedupeKey === input.dedupeKey)
      if (existing !== undefined) return { id: existing.id, duplicate: true }
      const t = now()
      const item: StoredItem = {
        ...structuredClone(input),
        id: randomUUID(),
        status: 'pending',
        delivered: 0,
        attempts: 0,
        createdAt: t,
        updatedAt: t,
      }
      unsaved.add(item.id)
      items().push(item)
      try {
        await db.write()
      } catch (err) {
        // Not durable: forget it, so the caller's retry is not delivered twice.
        db.data.items = items().filter((i) => i !== item)
        throw err
      } finally {
        unsaved.delete(item.id)
      }
      schedule(keyOf(item))
      return { id: item.id, duplicate: false }
    },

    register (sender) {
      senders.set(sender.channel, sender)
      const keys = new Set(items().filter((i) => i.status === 'pending' && i.channel === sender.channel).map(keyOf))
      for (const key of keys) schedule(key)
    },

    problems () {
      return items()
        .filter((i) => i.status === 'failed' || i.status === 'undeliverable')
        .map((i) => structuredClone(i))
    },

    async idle () {
      while (running.size > 0) await Promise.allSettled([...running.values()])
    },

    async close () {
      closed = true
      for (const cancel of timers.values()) cancel()
      timers.clear()
      while (running.size > 0) await Promise.allSettled([...running.values()])
      await save()
    },
  }
}
