import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { signZaloEvent, startFakeZalo, zaloEvents, type FakeZalo } from '../../helpers/fake-zalo.ts'
import { createHarness, ZALO, type Harness } from '../harness.ts'
import { createSeenIdsStore } from '../../../src/db/seen-store.ts'

let zalo: FakeZalo
let h: Harness
const USER = '8404382937846123456'

beforeEach(async () => {
  zalo = await startFakeZalo({ appId: ZALO.appId, appSecret: ZALO.appSecret })
  h = await createHarness({ zalo })
})
afterEach(async () => {
  await h.close()
  await zalo.close()
})

const post = async (event: object, headers?: Record<string, string>) => {
  const signed = signZaloEvent(event, ZALO.appId, ZALO.oaSecretKey)
  const res = await h.app.inject({ method: 'POST', url: '/webhooks/zalo', headers: headers ?? signed.headers, payload: signed.payload })
  await h.settle()
  return res
}

describe('zalo webhook: authentication', () => {
  it('answers 401 and sends nothing without a signature', async () => {
    const res = await post(zaloEvents.text(ZALO.appId, USER, 'xin chào'), { 'content-type': 'application/json' })
    expect(res.statusCode).toBe(401)
    expect(h.core.received).toHaveLength(0)
    expect(zalo.calls).toHaveLength(0)
  })

  it('answers 401 and sends nothing with a wrong signature', async () => {
    const res = await post(zaloEvents.text(ZALO.appId, USER, 'xin chào'), { 'content-type': 'application/json', 'x-zevent-signature': `mac=${'0'.repeat(64)}` })
    expect(res.statusCode).toBe(401)
    expect(h.core.received).toHaveLength(0)
    expect(zalo.calls).toHaveLength(0)
  })

  it('checks the signature over the raw bytes, not re-serialised JSON', async () => {
    const event = zaloEvents.text(ZALO.appId, USER, 'xin chào')
    const { headers } = signZaloEvent(event, ZALO.appId, ZALO.oaSecretKey)
    const spaced = JSON.stringify(event, null, 2)
    const res = await h.app.inject({ method: 'POST', url: '/webhooks/zalo', headers, payload: spaced })
    expect(res.statusCode).toBe(401)
  })

  it('answers 400 to malformed JSON', async () => {
    const res = await h.app.inject({ method: 'POST', url: '/webhooks/zalo', headers: { 'content-type': 'application/json', 'x-zevent-signature': 'mac=00' }, payload: '{"event_name":' })
    expect(res.statusCode).toBe(400)
  })
})

describe('zalo webhook: events', () => {
  it('answers a text message to the same user, with buttons carrying the prefixed value', async () => {
    const res = await post(zaloEvents.text(ZALO.appId, USER, 'làm căn cước'))
    expect(res.statusCode).toBe(200)
    expect(h.core.received).toEqual([{ channel: 'zalo', userId: USER, text: 'làm căn cước' }])
    expect(zalo.delivered()).toEqual([{
      userId: USER,
      text: 'Em đã nhận: làm căn cước',
      buttons: [{ title: 'Trợ giúp', type: 'oa.query.hide', payload: '#a:help' }],
    }])
    expect(zalo.sends()[0]?.headers.access_token).toBe(zalo.tokens.accessToken)
  })

  it('answers a re-delivered event (same msg_id) only once', async () => {
    const event = zaloEvents.text(ZALO.appId, USER, 'đăng ký khai sinh')
    await post(event)
    const again = await post(event)
    expect(again.statusCode).toBe(200)
    expect(h.core.received).toHaveLength(1)
    expect(zalo.delivered()).toHaveLength(1)
  })

  it('answers an event whose handling a crash interrupted (recorded, never finished) when Zalo re-delivers it', async () => {
    const event = zaloEvents.text(ZALO.appId, USER, 'đăng ký khai sinh')
    const msgId = (event as { message: { msg_id: string } }).message.msg_id
    // A previous server process recorded the event and died before queueing the reply.
    expect(await createSeenIdsStore(h.db, 'zalo').add(`msg:${msgId}`)).toBe(true)
    expect((await post(event)).statusCode).toBe(200)
    expect(h.core.received).toHaveLength(1)
    expect(zalo.delivered()).toHaveLength(1)
    await post(event) // handled now: a duplicate
    expect(h.core.received).toHaveLength(1)
    expect(zalo.delivered()).toHaveLength(1)
  })

  it('turns a tapped button (text = payload) into the action', async () => {
    await post(zaloEvents.text(ZALO.appId, USER, '#a:p:khai-sinh'))
    expect(h.core.received).toEqual([{ channel: 'zalo', userId: USER, action: 'p:khai-sinh' }])
  })

  it('greets a new follower with the start action', async () => {
    await post(zaloEvents.follow(ZALO.appId, USER))
    expect(h.core.received).toEqual([{ channel: 'zalo', userId: USER, action: 'start' }])
    expect(zalo.delivered().map((m) => m.userId)).toEqual([USER])
  })

  it('answers an image politely without asking the core', async () => {
    const res = await post(zaloEvents.image(ZALO.appId, USER))
    expect(res.statusCode).toBe(200)
    expect(h.core.received).toHaveLength(0)
    expect(zalo.delivered().map((m) => m.text)).toEqual([expect.stringContaining('Dạ, hiện em chỉ đọc được tin nhắn chữ')])
  })

  it('ignores echoes of its own messages and unknown events', async () => {
    const echo = await post(zaloEvents.oaSendText(ZALO.appId, USER))
    const unknown = await post({ app_id: ZALO.appId, event_name: 'user_seen_message', timestamp: String(Date.now()) })
    expect([echo.statusCode, unknown.statusCode]).toEqual([200, 200])
    expect(h.core.received).toHaveLength(0)
    expect(zalo.calls).toHaveLength(0)
  })

  it('records the user\'s last interaction', async () => {
    await post(zaloEvents.text(ZALO.appId, USER, 'xin chào'))
    expect(await h.channels.zaloUsers?.lastInteraction(USER)).toBe(h.clock.now())
    expect(await h.channels.zaloUsers?.window(USER)).toBe('free')
  })
})

describe('zalo webhook: failures and rendering', () => {
  it('still answers 200, apologises and logs the error when the core throws', async () => {
    h.core.failNext()
    const res = await post(zaloEvents.text(ZALO.appId, USER, 'câu hỏi riêng tư 0905123456'))
    expect(res.statusCode).toBe(200)
    expect(zalo.delivered().map((m) => m.text)).toEqual(['Xin lỗi Anh/Chị, hệ thống đang gặp sự cố. Anh/Chị vui lòng thử lại sau ít phút.'])
    expect(h.logs().filter((l) => l.level === 50)).toMatchObject([{ channel: 'zalo', msg: 'conversation core failed', dedupeId: expect.stringMatching(/^msg:/) }])
    const logs = h.rawLogs()
    expect(logs).not.toContain('0905123456')
    expect(logs).not.toContain(zalo.tokens.accessToken)
  })

  it('lists more than five choices as numbered text and shows the first five as buttons', async () => {
    const choices = Array.from({ length: 7 }, (_, i) => ({ label: `Thủ tục ${i + 1}`, value: `p:tt-${i + 1}` }))
    h.core.answerWith(() => [{ text: 'Em tìm thấy các thủ tục sau:', buttons: choices }])
    await post(zaloEvents.text(ZALO.appId, USER, 'khai sinh'))
    const [message] = zalo.delivered()
    expect(message?.text).toContain('Em tìm thấy các thủ tục sau:')
    expect(message?.text).toContain('1. Thủ tục 1\n2. Thủ tục 2')
    expect(message?.text).toContain('7. Thủ tục 7')
    expect(message?.buttons.map((b) => b.payload)).toEqual(['#a:p:tt-1', '#a:p:tt-2', '#a:p:tt-3', '#a:p:tt-4', '#a:p:tt-5'])
  })

  it('splits a long answer into messages of at most 2,000 characters', async () => {
    const text = Array.from({ length: 6 }, (_, i) => `Đoạn ${i + 1}: ${'giấy tờ cần nộp '.repeat(30).trim()}`).join('\n\n')
    h.core.answerWith(() => [{ text }])
    await post(zaloEvents.text(ZALO.appId, USER, 'hồ sơ'))
    const sent = zalo.delivered()
    expect(text.length).toBeGreaterThan(2000)
    expect(sent.length).toBeGreaterThan(1)
    for (const m of sent) expect(m.text.length).toBeLessThanOrEqual(2000)
    expect(sent.map((m) => m.text).join('\n\n')).toBe(text)
  })
})
