import { createZaloUserStore } from '../../../src/db/zalo-store.ts'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { signZaloEvent, startFakeZalo, zaloEvents, type FakeZalo } from '../../helpers/fake-zalo.ts'
import { createHarness, ZALO, type Harness } from '../harness.ts'

let zalo: FakeZalo
let h: Harness
const USER = '8404382937846123456'
const DAY = 24 * 60 * 60 * 1000

beforeEach(async () => {
  zalo = await startFakeZalo({ appId: ZALO.appId, appSecret: ZALO.appSecret })
  h = await createHarness({ zalo })
})
afterEach(async () => {
  await h.close()
  await zalo.close()
})

const ask = async (text: string): Promise<void> => {
  const signed = signZaloEvent(zaloEvents.text(ZALO.appId, USER, text), ZALO.appId, ZALO.oaSecretKey)
  await h.app.inject({ method: 'POST', url: '/webhooks/zalo', headers: signed.headers, payload: signed.payload })
  await h.settle()
}

describe('zalo delivery through the outbox', () => {
  it.each([
    [-230, 'outside-zalo-window'],
    [-232, 'outside-zalo-window'],
    [-201, 'invalid-request'],
  ])('records error %i as undeliverable (%s) and does not retry', async (error, reason) => {
    zalo.respondNext(error)
    await ask('xin chào')
    h.clock.advance(DAY)
    await h.outbox.idle()
    expect(zalo.sends()).toHaveLength(1)
    expect(await h.outbox.problems()).toMatchObject([{ channel: 'zalo', userId: USER, status: 'undeliverable', reason }])
  })

  it('backs off and retries when rate limited (-32)', async () => {
    zalo.respondNext(-32, 'Rate limit exceeded')
    await ask('xin chào')
    expect(zalo.delivered()).toHaveLength(0)
    h.clock.advance(2000)
    await h.outbox.idle()
    expect(zalo.sends()).toHaveLength(2)
    expect(zalo.delivered()).toHaveLength(1)
  })

  it('refuses notifications to a user whose last interaction is older than 7 days, without calling Zalo', async () => {
    await ask('xin chào')
    h.clock.advance(8 * DAY)
    expect(await h.channels.zaloUsers?.window(USER)).toBe('closed')
    await h.outbox.enqueue({ channel: 'zalo', userId: USER, replies: [{ text: 'Hồ sơ của Anh/Chị đã có kết quả.' }], kind: 'notification' })
    await h.outbox.idle()
    expect(zalo.sends()).toHaveLength(1)
    expect(await h.outbox.problems()).toMatchObject([{ kind: 'notification', status: 'undeliverable', reason: 'outside-zalo-window' }])
  })

  it('sends notifications inside the window and persists last interactions', async () => {
    await ask('xin chào')
    h.clock.advance(3 * DAY)
    expect(await h.channels.zaloUsers?.window(USER)).toBe('paid')
    await h.outbox.enqueue({ channel: 'zalo', userId: USER, replies: [{ text: 'Hồ sơ của Anh/Chị đã có kết quả.' }], kind: 'notification' })
    await h.outbox.idle()
    expect(zalo.delivered().map((m) => m.text)).toEqual(['Em đã nhận: xin chào', 'Hồ sơ của Anh/Chị đã có kết quả.'])
    expect(await createZaloUserStore(h.db).lastInteraction(USER)).toBe(h.clock.now() - 3 * DAY)
  })
})
