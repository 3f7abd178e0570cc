import { afterEach, beforeEach, expect, it } from 'vitest'
import { createOutboxStore, type OutboxStore } from '../../src/db/outbox-store.ts'
import { createOutbox, type OutboxOptions } from '../../src/outbox/outbox.ts'
import type { ChannelSender, Outbox, SendContext, SendResult } from '../../src/outbox/types.ts'
import type { NoticeMeta } from '../../src/outbox/notice.ts'
import type { Reply } from '../../src/conversation/types.ts'
import { describeEachEngine, type TestDb } from '../helpers/db.ts'
import { createManualClock, type ManualClock } from './manual-clock.ts'

const silent = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} } as unknown as OutboxOptions['logger']
const DAY = 24 * 60 * 60 * 1000

/** A sender that records deliveries and answers from a script (default: ok). */
function recordingSender (script: SendResult[] = []): ChannelSender & { sent: Array<{ userId: string, text: string }>, calls: number } {
  const sent: Array<{ userId: string, text: string }> = []
  const s = {
    channel: 'telegram' as const,
    sent,
    calls: 0,
    async send (userId: string, reply: Reply) {
      s.calls++
      const result = script.shift() ?? { ok: true }
      if (result.ok) sent.push({ userId, text: reply.text })
      return result
    },
  }
  return s
}

const item = (text: string, extra: object = {}) =>
  ({ channel: 'telegram' as const, userId: '42', replies: [{ text }], kind: 'reply' as const, ...extra })

describeEachEngine('outbox', ({ open: openDb }) => {
  let t: TestDb
  let clock: ManualClock
  let store: OutboxStore
  let outbox: Outbox
  const open = (extra: Partial<OutboxOptions> = {}) => {
    store = createOutboxStore(t.db)
    return createOutbox({ store, logger: silent, now: clock.now, setTimer: clock.setTimer, paceMs: 0, channelRate: {}, pollMs: 3_600_000, ...extra })
  }
  const stored = () => store.list()

  beforeEach(async () => {
    t = await openDb()
    clock = createManualClock()
    outbox = await open()
  })
  afterEach(async () => { await outbox.close() })

  it('has the item in the store when enqueue resolves', async () => {
    const { id } = await outbox.enqueue(item('một'))
    expect(await stored()).toMatchObject([{ id, status: 'pending', replies: [{ text: 'một' }], delivered: 0 }])
  })

  it('delivers the replies of each user in order and marks them sent', async () => {
    const sender = recordingSender()
    outbox.register(sender)
    await outbox.enqueue({ ...item('một'), replies: [{ text: 'một' }, { text: 'hai' }] })
    await outbox.enqueue(item('ba'))
    await outbox.idle()
    expect(sender.sent.map((s) => s.text)).toEqual(['một', 'hai', 'ba'])
    expect((await stored()).map((i) => i.status)).toEqual(['sent', 'sent'])
  })

  it('claims an answer not yet begun before the rest of one already started (a full channel serves new questions first)', async () => {
    const started = await outbox.enqueue({ ...item('một'), replies: [{ text: 'một' }, { text: 'hai' }] })
    const fresh = await outbox.enqueue({ ...item('ba'), userId: '43' })
    const now = clock.now()
    const [first] = await store.claim({ channels: ['telegram'], now, owner: 'me', leaseMs: 60_000, paceMs: 0, limit: 1 })
    expect(first?.id).toBe(started.id)
    await store.markDelivered(started.id, 'me', 1, now, 60_000, false)
    await store.release(started.id, 'me', { status: 'pending', attempts: 0, nextAttemptAt: 0, at: now })
    const [next] = await store.claim({ channels: ['telegram'], now, owner: 'me', leaseMs: 60_000, paceMs: 0, limit: 1 })
    expect(next?.id).toBe(fresh.id)
  })

  it('makes enqueue idempotent with a dedupe key', async () => {
    const sender = recordingSender()
    outbox.register(sender)
    const first = await outbox.enqueue(item('một', { dedupeKey: 'update:1' }))
    const second = await outbox.enqueue(item('một', { dedupeKey: 'update:1' }))
    await outbox.idle()
    expect(second).toEqual({ id: first.id, duplicate: true })
    expect(sender.sent).toHaveLength(1)
  })

  it('keeps items of a channel without a sender pending until one is registered', async () => {
    await outbox.enqueue(item('một'))
    await outbox.idle()
    expect((await stored())[0]?.status).toBe('pending')
    const sender = recordingSender()
    outbox.register(sender)
    await outbox.idle()
    expect(sender.sent).toHaveLength(1)
  })

  it('paces messages to the same user, not to different users', async () => {
    await outbox.close()
    outbox = await open({ paceMs: 1000 })
    const sender = recordingSender()
    outbox.register(sender)
    await outbox.enqueue({ ...item('một'), replies: [{ text: 'một' }, { text: 'hai' }] })
    await outbox.enqueue({ ...item('khác'), userId: '43' })
    await outbox.idle()
    expect(sender.sent.map((s) => s.text)).toEqual(['một', 'khác'])
    clock.advance(999)
    await outbox.idle()
    expect(sender.sent).toHaveLength(2)
    clock.advance(1)
    await outbox.idle()
    expect(sender.sent.map((s) => s.text)).toEqual(['một', 'khác', 'hai'])
  })

  it('keeps a channel under its global rate (messages per second)', async () => {
    await outbox.close()
    outbox = await open({ channelRate: { telegram: 2 } })
    const sender = recordingSender()
    outbox.register(sender)
    for (let u = 0; u < 5; u++) await outbox.enqueue({ ...item(`m${u}`), userId: String(u) })
    await outbox.idle()
    expect(sender.sent).toHaveLength(2)
    clock.advance(500)
    await outbox.idle()
    expect(sender.sent).toHaveLength(3)
    clock.advance(1000)
    await outbox.idle()
    expect(sender.sent).toHaveLength(5)
  })

  it('retries no sooner than afterMs', async () => {
    const sender = recordingSender([{ ok: false, retry: true, afterMs: 5000, reason: 'rate-limited' }])
    outbox.register(sender)
    await outbox.enqueue(item('một'))
    await outbox.idle()
    clock.advance(4999)
    await outbox.idle()
    expect(sender.sent).toHaveLength(0)
    clock.advance(1)
    await outbox.idle()
    expect(sender.sent).toHaveLength(1)
  })

  it('does not count a 429 with retry_after as a failed attempt, and delivers after a long throttle', async () => {
    const throttled: SendResult = { ok: false, retry: true, afterMs: 1000, reason: 'rate-limited' }
    const sender = recordingSender(Array.from({ length: 30 }, () => ({ ...throttled })))
    outbox.register(sender)
    await outbox.enqueue(item('một'))
    for (let i = 0; i < 30; i++) {
      await outbox.idle()
      expect((await stored())[0]).toMatchObject({ status: 'pending', attempts: 0 })
      clock.advance(1000)
    }
    await outbox.idle()
    expect(sender.sent.map((s) => s.text)).toEqual(['một'])
    expect(await outbox.problems()).toEqual([])
  })

  it('backs off exponentially and gives up as failed only after the retry budget', async () => {
    await outbox.close()
    outbox = await open({ retryBudgetMs: 1000, baseDelayMs: 100 })
    const sender = recordingSender()
    const send = sender.send
    sender.send = async (userId, reply) => reply.text === 'một' ? (sender.calls++, { ok: false, retry: true, reason: 'telegram-502' }) : await send(userId, reply)
    outbox.register(sender)
    await outbox.enqueue(item('một'))
    await outbox.enqueue(item('hai'))
    await outbox.idle()
    expect((await stored())[0]).toMatchObject({ attempts: 1, nextAttemptAt: clock.now() + 100 })
    clock.advance(100)
    await outbox.idle()
    expect((await stored())[0]).toMatchObject({ attempts: 2, nextAttemptAt: clock.now() + 200 })
    clock.advance(200)
    await outbox.idle()
    clock.advance(400)
    await outbox.idle()
    expect(await outbox.problems()).toEqual([])
    clock.advance(800)
    await outbox.idle()
    expect(await outbox.problems()).toMatchObject([{ status: 'failed', reason: 'telegram-502', replies: [{ text: 'một' }] }])
    expect(sender.calls).toBe(6) // five tries of "một" (0, 100, 300, 700, 1500 ms), then "hai"
    expect(sender.sent.map((s) => s.text)).toEqual(['hai'])
  })

  it('records a permanent failure as undeliverable, never retries it, and goes on with the next item', async () => {
    const sender = recordingSender([{ ok: false, retry: false, reason: 'blocked-by-user' }])
    outbox.register(sender)
    await outbox.enqueue(item('một'))
    await outbox.enqueue(item('hai'))
    await outbox.idle()
    clock.advance(DAY)
    await outbox.idle()
    expect(await outbox.problems()).toMatchObject([{ status: 'undeliverable', reason: 'blocked-by-user' }])
    expect(sender.sent.map((s) => s.text)).toEqual(['hai'])
  })

  it('treats a sender that throws as a transient failure', async () => {
    outbox.register({ channel: 'telegram', send: async () => { throw new Error('boom') } })
    await outbox.enqueue(item('một'))
    await outbox.idle()
    expect((await stored())[0]).toMatchObject({ status: 'pending', attempts: 1, reason: 'sender-threw' })
  })

  it('delivers a pending item exactly once across restarts', async () => {
    await outbox.enqueue(item('một'))
    await outbox.close()

    outbox = await open()
    const sender = recordingSender()
    outbox.register(sender)
    await outbox.idle()
    await outbox.close()

    outbox = await open()
    const again = recordingSender()
    outbox.register(again)
    await outbox.idle()
    expect(sender.sent).toHaveLength(1)
    expect(again.sent).toHaveLength(0)
  })

  it('resumes a partly delivered item at the first reply not yet sent', async () => {
    outbox.register(recordingSender([{ ok: true }, { ok: false, retry: true, afterMs: 60_000, reason: 'rate-limited' }]))
    await outbox.enqueue({ ...item('x'), replies: [{ text: 'một' }, { text: 'hai' }, { text: 'ba' }] })
    await outbox.idle()
    await outbox.close()

    clock.advance(60_000)
    outbox = await open()
    const sender = recordingSender()
    outbox.register(sender)
    await outbox.idle()
    expect(sender.sent.map((s) => s.text)).toEqual(['hai', 'ba'])
  })

  it('prunes sent items older than keepSentMs on start, keeping problems', async () => {
    outbox.register(recordingSender([{ ok: true }, { ok: false, retry: false, reason: 'blocked-by-user' }]))
    await outbox.enqueue(item('một', { dedupeKey: 'k1' }))
    await outbox.enqueue(item('hai'))
    await outbox.idle()
    await outbox.close()

    clock.advance(8 * DAY)
    outbox = await open()
    expect((await stored()).map((i) => i.status)).toEqual(['undeliverable'])
    expect(await outbox.problems()).toHaveLength(1)
  })

  it('keeps a notice with its item and hands it to the sender with the reply', async () => {
    const notice: NoticeMeta = {
      code: 'X-1',
      historyIndex: 2,
      kind: 'result',
      audience: 'subscriber',
      fields: { code: 'X-1', procedure: 'Đăng ký tạm trú', status: 'Đã xử lý xong', due_date: '05/03/2026', received_at: '02/03/2026', next_step: 'Kết quả đã sẵn sàng.' },
    }
    const seen: Array<SendContext | undefined> = []
    outbox.register({ channel: 'telegram', send: async (_u, _r, context) => { seen.push(context); return { ok: true } } })
    const { id } = await outbox.enqueue({ ...item('một'), kind: 'notification', notice })
    expect((await store.get(id))?.notice).toEqual(notice)
    await outbox.close()
    outbox = await open()
    outbox.register({ channel: 'telegram', send: async (_u, _r, context) => { seen.push(context); return { ok: true } } })
    await outbox.idle()
    expect(seen).toEqual([{ itemId: id, index: 0, kind: 'notification', notice }])
  })

  it('cancels one recipient\'s pending items of one dossier, and a cancelled item is no problem for staff', async () => {
    await outbox.enqueue(item('một', { dedupeKey: 'A-1:1:telegram:42' }))
    await outbox.enqueue(item('hai', { dedupeKey: 'A-1:2:telegram:42' }))
    await outbox.enqueue(item('ba', { dedupeKey: 'A-10:1:telegram:42' }))
    await outbox.enqueue(item('bốn', { dedupeKey: 'A-1:1:telegram:43', userId: '43' }))
    expect(await outbox.cancel({ channel: 'telegram', userId: '42', keyPrefix: 'A-1:' })).toBe(2)
    const sender = recordingSender()
    outbox.register(sender)
    await outbox.idle()
    expect(sender.sent.map((s) => s.text)).toEqual(['ba', 'bốn'])
    expect((await stored()).map((i) => i.status)).toEqual(['cancelled', 'cancelled', 'sent', 'sent'])
    expect(await outbox.problems()).toEqual([])
    clock.advance(8 * DAY)
    await outbox.close()
    outbox = await open()
    expect(await stored()).toEqual([])
  })

  it('drops an item the sender cancels (recipient unsubscribed) without retrying it', async () => {
    const sender = recordingSender([{ ok: false, retry: false, reason: 'unsubscribed', cancel: true }])
    outbox.register(sender)
    await outbox.enqueue(item('một'))
    await outbox.idle()
    clock.advance(DAY)
    await outbox.idle()
    expect(sender.calls).toBe(1)
    expect(await stored()).toMatchObject([{ status: 'cancelled', reason: 'unsubscribed' }])
    expect(await outbox.problems()).toEqual([])
  })

  it('lists a deferred item as waiting with its reason, counts no attempt, and gives up only after the defer budget', async () => {
    await outbox.close()
    outbox = await open({ retryBudgetMs: DAY, deferBudgetMs: 3 * DAY, pollMs: 10 * DAY })
    const wait: SendResult = { ok: false, retry: true, defer: true, afterMs: DAY, reason: 'template-quota-exceeded' }
    const sender = recordingSender([{ ...wait }, { ...wait }, { ...wait }, { ...wait }])
    outbox.register(sender)
    await outbox.enqueue(item('một'))
    await outbox.idle()
    expect(await outbox.waiting()).toMatchObject([{ status: 'pending', reason: 'template-quota-exceeded', nextAttemptAt: clock.now() + DAY }])
    expect((await stored())[0]).toMatchObject({ attempts: 0 })
    clock.advance(DAY)
    await outbox.idle()
    clock.advance(DAY)
    await outbox.idle()
    expect(await outbox.problems()).toEqual([])
    clock.advance(DAY)
    await outbox.idle()
    expect(sender.calls).toBe(4)
    expect(await outbox.waiting()).toEqual([])
    expect(await outbox.problems()).toMatchObject([{ status: 'failed', reason: 'template-quota-exceeded' }])
  })

  it('orders items per lane: a waiting notice does not hold up the chat\'s replies, nor its own lane\'s next notice jumps it', async () => {
    const wait: SendResult = { ok: false, retry: true, defer: true, afterMs: DAY, reason: 'template-quota-exceeded' }
    const sender = recordingSender([{ ...wait }])
    outbox.register(sender)
    await outbox.enqueue(item('thông báo 1', { lane: 'dossier:A' }))
    await outbox.enqueue(item('thông báo 2', { lane: 'dossier:A' }))
    await outbox.enqueue(item('trả lời'))
    await outbox.idle()
    expect(sender.sent.map((s) => s.text)).toEqual(['trả lời'])
    expect((await stored()).map((i) => [i.lane, i.status])).toEqual([['dossier:A', 'pending'], ['dossier:A', 'pending'], [undefined, 'sent']])
    await outbox.close()
    outbox = await open({ pollMs: 10 * DAY })
    outbox.register(sender)
    await outbox.idle()
    clock.advance(DAY)
    await outbox.idle()
    expect(sender.sent.map((s) => s.text)).toEqual(['trả lời', 'thông báo 1', 'thông báo 2'])
  })

  it('two instances on one store deliver every item once, in order per user', async () => {
    const second = await open()
    const a = recordingSender()
    const b = recordingSender()
    outbox.register(a)
    second.register(b)
    for (let i = 0; i < 20; i++) await (i % 2 === 0 ? outbox : second).enqueue({ ...item(`m${i}`), userId: String(i % 4) })
    for (let round = 0; round < 5; round++) {
      clock.advance(1)
      await Promise.all([outbox.idle(), second.idle()])
    }
    const all = [...a.sent, ...b.sent]
    expect(all).toHaveLength(20)
    expect(new Set(all.map((s) => s.text)).size).toBe(20)
    for (const sender of [a, b]) {
      for (let u = 0; u < 4; u++) {
        const mine = sender.sent.filter((s) => s.userId === String(u)).map((s) => Number(s.text.slice(1)))
        expect(mine).toEqual([...mine].sort((x, y) => x - y))
      }
    }
    await second.close()
  })
})
