import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startFakeTelegram, telegramUpdates, TELEGRAM_CITIZEN_ID, type FakeTelegram } from '../../helpers/fake-telegram.ts'
import { createHarness, TELEGRAM_SECRET, type Harness } from '../harness.ts'
import { createSeenIdsStore } from '../../../src/db/seen-store.ts'

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

const post = (update: object, secret: string | null = TELEGRAM_SECRET) => h.app.inject({
  method: 'POST',
  url: '/webhooks/telegram',
  headers: secret === null ? {} : { 'x-telegram-bot-api-secret-token': secret },
  payload: update,
})

describe('telegram webhook: authentication', () => {
  it('answers 401 and sends nothing when the secret token is missing', async () => {
    const res = await post(telegramUpdates.text('xin chào'), null)
    await h.settle()
    expect(res.statusCode).toBe(401)
    expect(h.core.received).toHaveLength(0)
    expect(telegram.calls).toHaveLength(0)
  })

  it('answers 401 and sends nothing when the secret token is wrong', async () => {
    const res = await post(telegramUpdates.text('xin chào'), `${TELEGRAM_SECRET}x`)
    await h.settle()
    expect(res.statusCode).toBe(401)
    expect(h.core.received).toHaveLength(0)
    expect(telegram.calls).toHaveLength(0)
  })
})

describe('telegram webhook: messages', () => {
  it('answers a text message in the same chat, with an inline keyboard', async () => {
    const res = await post(telegramUpdates.text('làm căn cước'))
    await h.settle()
    expect(res.statusCode).toBe(200)
    expect(h.core.received).toEqual([{ channel: 'telegram', userId: String(TELEGRAM_CITIZEN_ID), text: 'làm căn cước' }])
    expect(telegram.messages()).toEqual([{
      chat_id: String(TELEGRAM_CITIZEN_ID),
      text: 'Em đã nhận: làm căn cước',
      parse_mode: 'HTML',
      reply_markup: { inline_keyboard: [[{ text: 'Trợ giúp', callback_data: 'help' }]] },
    }])
  })

  it('answers a re-delivered update only once', async () => {
    const update = telegramUpdates.text('đăng ký khai sinh')
    const first = await post(update)
    const second = await post(update)
    await h.settle()
    expect([first.statusCode, second.statusCode]).toEqual([200, 200])
    expect(h.core.received).toHaveLength(1)
    expect(telegram.messages()).toHaveLength(1)
  })

  it('answers an update whose handling a crash interrupted (recorded, never finished) when Telegram re-delivers it', async () => {
    const update = telegramUpdates.text('đăng ký khai sinh')
    // A previous server process recorded the update id and died before queueing the reply: Telegram got
    // no 200 and delivers the update again, now to this process.
    expect(await createSeenIdsStore(h.db, 'telegram').add(String(update.update_id))).toBe(true)
    const res = await post(update)
    await h.settle()
    expect(res.statusCode).toBe(200)
    expect(h.core.received).toHaveLength(1)
    expect(telegram.messages()).toHaveLength(1)
    // Handled now: a further re-delivery is a duplicate.
    await post(update)
    await h.settle()
    expect(telegram.messages()).toHaveLength(1)
  })

  it('handles a button press: answerCallbackQuery, then the reply to the action', async () => {
    const res = await post(telegramUpdates.callback('p:khai-sinh'))
    await h.settle()
    expect(res.statusCode).toBe(200)
    expect(telegram.callsTo('answerCallbackQuery').map((c) => c.body)).toEqual([{ callback_query_id: '4382bfdwdsb323b2d9' }])
    expect(h.core.received).toEqual([{ channel: 'telegram', userId: String(TELEGRAM_CITIZEN_ID), action: 'p:khai-sinh' }])
    expect(telegram.messages().map((m) => m.text)).toEqual(['Hành động: p:khai-sinh'])
  })

  it.each([
    ['/start p_cap-doi-cccd', 'p:cap-doi-cccd'],
    [`/start d_${Buffer.from('H12.34-250106-0001').toString('base64url')}`, 'd:H12.34-250106-0001'],
    ['/start', 'start'],
    ['/start $$$', 'start'],
    ['/help', 'help'],
  ])('translates %s into the action %s', async (text, action) => {
    await post(telegramUpdates.text(text))
    await h.settle()
    expect(h.core.received.map((m) => m.action)).toEqual([action])
    expect(telegram.messages()).toHaveLength(1)
  })

  it('answers a photo politely in Vietnamese without asking the core', async () => {
    const res = await post(telegramUpdates.photo())
    await post(telegramUpdates.sticker())
    await h.settle()
    expect(res.statusCode).toBe(200)
    expect(h.core.received).toHaveLength(0)
    expect(telegram.messages().map((m) => m.text)).toEqual([
      expect.stringContaining('Dạ, hiện em chỉ đọc được tin nhắn chữ'),
      expect.stringContaining('Anh/Chị vui lòng gõ câu hỏi'),
    ])
  })

  it('answers 200 and sends nothing for an update type it does not handle', async () => {
    const res = await post(telegramUpdates.editedMessage())
    const garbage = await post({ hello: 'world' })
    await h.settle()
    expect([res.statusCode, garbage.statusCode]).toEqual([200, 200])
    expect(h.core.received).toHaveLength(0)
    expect(telegram.calls).toHaveLength(0)
  })
})

describe('telegram webhook: failures and rendering', () => {
  it('still answers 200, apologises and logs the error with the update id when the core throws', async () => {
    h.core.failNext()
    const update = telegramUpdates.text('một câu hỏi riêng tư')
    const res = await post(update)
    await h.settle()
    expect(res.statusCode).toBe(200)
    expect(telegram.messages().map((m) => m.text)).toEqual(['Xin lỗi Anh/Chị, hệ thống đang gặp sự cố. Anh/Chị vui lòng thử lại sau ít phút.'])
    const errors = h.logs().filter((l) => l.level === 50)
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatchObject({ updateId: update.update_id, channel: 'telegram', msg: 'conversation core failed' })
  })

  it('never logs the token, the secret or the citizen\'s text', async () => {
    h.core.failNext()
    await post(telegramUpdates.text('số CCCD 012345678901 của tôi'))
    await post(telegramUpdates.text('số CCCD 012345678901 của tôi'), 'wrong')
    await h.settle()
    const logs = h.rawLogs()
    expect(logs).not.toContain('012345678901')
    expect(logs).not.toContain(TELEGRAM_SECRET)
    expect(logs).not.toContain(telegram.token)
  })

  it('escapes <, > and & for HTML parse mode', async () => {
    h.core.answerWith(() => [{ text: 'Phí <50.000 đ> & lệ phí' }])
    await post(telegramUpdates.text('phí'))
    await h.settle()
    expect(telegram.messages()[0]?.text).toBe('Phí &lt;50.000 đ&gt; &amp; lệ phí')
  })

  it('splits a long answer into messages of at most 4,096 characters at paragraph boundaries', async () => {
    const paragraph = 'Bước: nộp hồ sơ tại bộ phận một cửa. '.repeat(30).trim()
    const text = Array.from({ length: 8 }, () => paragraph).join('\n\n')
    h.core.answerWith(() => [{ text, buttons: [{ label: 'Xong', value: 'start' }] }])
    await post(telegramUpdates.text('hướng dẫn'))
    await h.settle()
    const sent = telegram.messages()
    expect(text.length).toBeGreaterThan(4096)
    expect(sent.length).toBeGreaterThan(1)
    for (const m of sent) {
      expect(m.text.length).toBeLessThanOrEqual(4096)
      expect(m.text.startsWith('Bước')).toBe(true)
      expect(m.text.endsWith('một cửa.')).toBe(true)
    }
    expect(sent.map((m) => m.text).join('\n\n')).toBe(text)
    expect(sent.slice(0, -1).every((m) => m.reply_markup === undefined)).toBe(true)
    expect(sent.at(-1)?.reply_markup).toEqual({ inline_keyboard: [[{ text: 'Xong', callback_data: 'start' }]] })
  })
})
