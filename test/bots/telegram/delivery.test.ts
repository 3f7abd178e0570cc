import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startFakeTelegram, telegramErrors, telegramUpdates, type FakeTelegram } from '../../helpers/fake-telegram.ts'
import { createHarness, TELEGRAM_SECRET, type Harness } from '../harness.ts'

let telegram: FakeTelegram
let h: Harness

beforeEach(async () => {
  telegram = await startFakeTelegram()
  h = await createHarness({ telegram })
})
afterEach(async () => {
  await h.close()
  await telegram.close()
})

const ask = async (text: string): Promise<void> => {
  const res = await h.app.inject({
    method: 'POST',
    url: '/webhooks/telegram',
    headers: { 'x-telegram-bot-api-secret-token': TELEGRAM_SECRET },
    payload: telegramUpdates.text(text),
  })
  expect(res.statusCode).toBe(200)
  await h.settle()
}

describe('telegram delivery through the outbox', () => {
  it('waits retry_after seconds after a 429, then sends again', async () => {
    telegram.respondNext('sendMessage', telegramErrors.tooManyRequests(3))
    await ask('xin chào')
    expect(telegram.callsTo('sendMessage')).toHaveLength(1)
    expect(telegram.messages()).toHaveLength(0)

    h.clock.advance(2999)
    await h.outbox.idle()
    expect(telegram.callsTo('sendMessage')).toHaveLength(1)

    h.clock.advance(1)
    await h.outbox.idle()
    expect(telegram.callsTo('sendMessage')).toHaveLength(2)
    expect(telegram.messages().map((m) => m.text)).toEqual(['Em đã nhận: xin chào'])
    expect(await h.outbox.problems()).toEqual([])
  })

  it('records a user who blocked the bot as undeliverable and does not retry', async () => {
    telegram.respondNext('sendMessage', telegramErrors.blocked())
    await ask('xin chào')
    h.clock.advance(60 * 60 * 1000)
    await h.outbox.idle()
    expect(telegram.callsTo('sendMessage')).toHaveLength(1)
    expect(await h.outbox.problems()).toMatchObject([{ channel: 'telegram', status: 'undeliverable', reason: 'blocked-by-user' }])
  })

  it('backs off and retries after a 5xx', async () => {
    telegram.respondNext('sendMessage', telegramErrors.serverError())
    telegram.respondNext('sendMessage', telegramErrors.serverError())
    await ask('xin chào')
    expect(telegram.callsTo('sendMessage')).toHaveLength(1)
    h.clock.advance(2000)
    await h.outbox.idle()
    expect(telegram.callsTo('sendMessage')).toHaveLength(2)
    h.clock.advance(3999)
    await h.outbox.idle()
    expect(telegram.callsTo('sendMessage')).toHaveLength(2)
    h.clock.advance(1)
    await h.outbox.idle()
    expect(telegram.messages()).toHaveLength(1)
  })

  it('backs off on a network error (API unreachable)', async () => {
    await telegram.close()
    await ask('xin chào')
    const [item] = await h.outboxStore.list()
    expect(item).toMatchObject({ status: 'pending', attempts: 1, reason: 'network-error' })
    telegram = await startFakeTelegram() // for afterEach
  })
})
