import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createOutbox, type OutboxOptions } from '../../src/outbox/outbox.ts'
import type { ChannelSender, Outbox, SendResult } from '../../src/outbox/types.ts'
import type { Reply } from '../../src/conversation/types.ts'
import { createManualClock, type ManualClock } from './manual-clock.ts'

const silent = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} } as unknown as OutboxOptions['logger']

/** A sender that records deliveries and answers from a script (default: ok). */
function recordingSender (script: SendResult[] = []): ChannelSender & { sent: Array<{ userId: string, text: string }> } {
  const sent: Array<{ userId: string, text: string }> = []
  return {
    channel: 'telegram',
    sent,
    async send (userId: string, reply: Reply) {
      const result = script.shift() ?? { ok: true }
      if (result.ok) sent.push({ userId, text: reply.text })
      return result
    },
  }
}

let dir: string
let clock: ManualClock
let outbox: Outbox
const open = (extra: Partial<OutboxOptions> = {}) =>
  createOutbox({ file: join(dir, 'outbox.json'), logger: silent, now: clock.now, setTimer: clock.setTimer, paceMs: 0, ...extra })
const stored = () => JSON.parse(readFileSync(join(dir, 'outbox.json'), 'utf8')).items as Array<Record<string, unknown>>
const item = (text: string, extra: object = {}) =>
  ({ channel: 'telegram' as const, userId: '42', replies: [{ text }], kind: 'reply' as const, ...extra })

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'outbox-test-'))
  clock = createManualClock()
  outbox = await open()
})
afterEach(async () => { await outbox.close() })

describe('outbox: queueing', () => {
  it('has the item on disk when enqueue resolves', async () => {
    const { id } = await outbox.enqueue(item('một'))
    expect(stored()).toMatchObject([{ id, status: 'pending', replies: [{ text: 'một' }], delivered: 0 }])
  })

  it('delivers the replies of each user in order and marks them sent', async () => {
    const sender = recordingSender()
    outbox.register(sender)
    await outbox.enqueue({ ...item('một'), replies: [{ text: 'một' }, { text: 'hai' }] })
    await outbox.enqueue(item('ba'))
    await outbox.idle()
    expect(sender.sent.map((s) => s.text)).toEqual(['một', 'hai', 'ba'])
    expect(stored().map((i) => i.status)).toEqual(['sent', 'sent'])
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
    expect(stored()[0]?.status).toBe('pending')
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
})

describe('outbox: failures', () => {
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

  it('backs off exponentially and gives up as failed after maxAttempts', async () => {
    await outbox.close()
    outbox = await open({ maxAttempts: 3, baseDelayMs: 100 })
    const failure: SendResult = { ok: false, retry: true, reason: 'telegram-502' }
    const sender = recordingSender([failure, failure, failure])
    outbox.register(sender)
    await outbox.enqueue(item('một'))
    await outbox.enqueue(item('hai'))
    await outbox.idle()
    expect(stored()[0]).toMatchObject({ attempts: 1, nextAttemptAt: clock.now() + 100 })
    clock.advance(100)
    await outbox.idle()
    expect(stored()[0]).toMatchObject({ attempts: 2, nextAttemptAt: clock.now() + 200 })
    clock.advance(200)
    await outbox.idle()
    expect(outbox.problems()).toMatchObject([{ status: 'failed', reason: 'telegram-502', replies: [{ text: 'một' }] }])
    expect(sender.sent.map((s) => s.text)).toEqual(['hai'])
  })

  it('records a permanent failure as undeliverable, never retries it, and goes on with the next item', async () => {
    const sender = recordingSender([{ ok: false, retry: false, reason: 'blocked-by-user' }])
    outbox.register(sender)
    await outbox.enqueue(item('một'))
    await outbox.enqueue(item('hai'))
    await outbox.idle()
    clock.advance(24 * 60 * 60 * 1000)
    await outbox.idle()
    expect(outbox.problems()).toMatchObject([{ status: 'undeliverable', reason: 'blocked-by-user' }])
    expect(sender.sent.map((s) => s.text)).toEqual(['hai'])
  })

  it('treats a sender that throws as a transient failure', async () => {
    outbox.register({ channel: 'telegram', send: async () => { throw new Error('boom') } })
    await outbox.enqueue(item('một'))
    await outbox.idle()
    expect(stored()[0]).toMatchObject({ status: 'pending', attempts: 1, reason: 'sender-threw' })
  })
})

describe('outbox: restarts and pruning', () => {
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

    clock.advance(8 * 24 * 60 * 60 * 1000)
    outbox = await open()
    expect(stored().map((i) => i.status)).toEqual(['undeliverable'])
    expect(outbox.problems()).toHaveLength(1)
  })
})
