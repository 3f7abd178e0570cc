import { afterEach, describe, expect, it } from 'vitest'
import { startFakeTelegram, telegramUpdates, type FakeTelegram } from '../helpers/fake-telegram.ts'
import { signZaloEvent, startFakeZalo, zaloEvents, type FakeZalo } from '../helpers/fake-zalo.ts'
import { createHarness, TELEGRAM_SECRET, ZALO, type Harness } from '../bots/harness.ts'

let h: Harness | undefined
let telegram: FakeTelegram | undefined
let zalo: FakeZalo | undefined
afterEach(async () => {
  await h?.close()
  await telegram?.close()
  await zalo?.close()
  h = telegram = zalo = undefined
})

const postTelegram = (harness: Harness, update: unknown) => harness.app.inject({
  method: 'POST', url: '/webhooks/telegram', headers: { 'x-telegram-bot-api-secret-token': TELEGRAM_SECRET, 'content-type': 'application/json' }, payload: JSON.stringify(update),
})

describe('telegram: strict update schema (issue 12, minor points)', () => {
  it('rejects a chat.id that is an object: 200, nothing handled, nothing sent', async () => {
    telegram = await startFakeTelegram()
    h = await createHarness({ telegram })
    const update = telegramUpdates.text('xin chào') as { message: { chat: { id: unknown } } }
    update.message.chat.id = { id: 1 }
    const res = await postTelegram(h, update)
    await h.settle()
    expect(res.statusCode).toBe(200)
    expect(h.core.received).toHaveLength(0)
    expect(telegram.calls).toHaveLength(0)
  })

  it('rejects a message that is a string without echoing the citizen\'s text into the error log', async () => {
    telegram = await startFakeTelegram()
    h = await createHarness({ telegram })
    const res = await postTelegram(h, { update_id: 777, message: 'số điện thoại của tôi là 0912 345 678' })
    await h.settle()
    expect(res.statusCode).toBe(200)
    expect(telegram.calls).toHaveLength(0)
    expect(h.rawLogs()).not.toContain('0912 345 678')
    expect(h.logs().filter((l) => (l.level as number) >= 50)).toEqual([])
  })

  it('still answers well-formed text messages and button taps', async () => {
    telegram = await startFakeTelegram()
    h = await createHarness({ telegram })
    expect((await postTelegram(h, telegramUpdates.text('làm căn cước'))).statusCode).toBe(200)
    expect((await postTelegram(h, telegramUpdates.callback('help'))).statusCode).toBe(200)
    await h.settle()
    expect(h.core.received).toHaveLength(2)
  })
})

describe('zalo: freshness and strict fields (issue 12, minor points)', () => {
  const USER = '8404382937846123456'
  const post = async (harness: Harness, event: object) => {
    const signed = signZaloEvent(event, ZALO.appId, ZALO.oaSecretKey)
    const res = await harness.app.inject({ method: 'POST', url: '/webhooks/zalo', headers: signed.headers, payload: signed.payload })
    await harness.settle()
    return res
  }

  it('does not answer a correctly signed event older than 15 minutes (replay)', async () => {
    zalo = await startFakeZalo({ appId: ZALO.appId, appSecret: ZALO.appSecret })
    h = await createHarness({ zalo })
    const old = { ...zaloEvents.text(ZALO.appId, USER, 'xin chào'), timestamp: String(Date.now() - 16 * 60_000) }
    const yearOld = { ...zaloEvents.text(ZALO.appId, USER, 'xin chào'), timestamp: String(Date.now() - 365 * 86_400_000) }
    expect((await post(h, old)).statusCode).toBe(200)
    expect((await post(h, yearOld)).statusCode).toBe(200)
    expect(h.core.received).toHaveLength(0)
    expect(zalo.sends()).toHaveLength(0)
    const fresh = { ...zaloEvents.text(ZALO.appId, USER, 'xin chào'), timestamp: String(Date.now() - 14 * 60_000) }
    expect((await post(h, fresh)).statusCode).toBe(200)
    expect(h.core.received).toHaveLength(1)
  })

  it('ignores a signed event whose sender id is an object', async () => {
    zalo = await startFakeZalo({ appId: ZALO.appId, appSecret: ZALO.appSecret })
    h = await createHarness({ zalo })
    const event = { ...zaloEvents.text(ZALO.appId, USER, 'xin chào'), sender: { id: { a: 1 } } }
    expect((await post(h, event)).statusCode).toBe(200)
    expect(h.core.received).toHaveLength(0)
    expect(zalo.sends()).toHaveLength(0)
  })
})
