import { describe, expect, it } from 'vitest'
import { createChannels } from '../../bots/index.ts'
import { safeEqual } from '../../bots/common/safe-equal.ts'
import { splitText } from '../../src/text/split-text.ts'
import { actionFromStartPayload, startPayloadFor, telegramDeepLink } from '../../bots/telegram/deep-link.ts'
import { escapeHtml, prepareTelegramReplies, toSendMessagePayload } from '../../bots/telegram/render.ts'
import { translateZaloEvent } from '../../bots/zalo/events.ts'
import { prepareZaloReplies } from '../../bots/zalo/render.ts'
import { verifyZaloSignature, zaloSignature } from '../../bots/zalo/signature.ts'
import { zaloWindow } from '../../bots/zalo/users.ts'
import { loadConfig } from '../../src/config.ts'
import type { Outbox } from '../../src/outbox/types.ts'
import { createFakeCore, tempDir } from './harness.ts'

describe('text splitting', () => {
  it('cuts at a paragraph boundary, then a line, then a space, never inside a surrogate pair', () => {
    expect(splitText('aaaa\n\nbbbb', 8)).toEqual(['aaaa', 'bbbb'])
    expect(splitText('aaaa bbbb\ncccc', 10)).toEqual(['aaaa bbbb', 'cccc'])
    expect(splitText('aaaaa bbbbb', 8)).toEqual(['aaaaa', 'bbbbb'])
    expect(splitText('aaaaaaa😀bb', 8)).toEqual(['aaaaaaa', '😀bb'])
    expect(splitText('   ', 8)).toEqual([])
  })
})

describe('telegram rendering and deep links', () => {
  it('escapes the three HTML characters', () => {
    expect(escapeHtml('<b>A & B</b>')).toBe('&lt;b&gt;A &amp; B&lt;/b&gt;')
  })

  it('drops a button whose value does not fit callback_data (64 bytes)', () => {
    const payload = toSendMessagePayload({ text: 'x', buttons: [{ label: 'Dài', value: 'đ'.repeat(33) }, { label: 'Ngắn', value: 'help' }] })
    expect(payload.reply_markup).toEqual({ inline_keyboard: [[{ text: 'Ngắn', callback_data: 'help' }]] })
  })

  it('prepares idempotently and keeps buttons on the last part', () => {
    const prepared = prepareTelegramReplies([{ text: 'a'.repeat(5000), buttons: [{ label: 'Menu', value: 'start' }] }])
    expect(prepared.map((r) => r.text.length)).toEqual([4096, 904])
    expect(prepared[1]?.buttons).toHaveLength(1)
    expect(prepareTelegramReplies(prepared)).toEqual(prepared)
  })

  it('sends a short question with its buttons (the satisfaction question) in the message before it', () => {
    const card = { text: '📌 ĐĂNG KÝ KHAI SINH\n…', buttons: [{ label: 'Hồ sơ', value: 's:a:docs' }, { label: 'Lệ phí', value: 's:a:fee' }] }
    const survey = { text: 'Thông tin này có giúp Anh/Chị không phải đi lại không?', buttons: [{ label: '👍 Có', value: 'fb:1:1' }, { label: '👎 Không', value: 'fb:1:0' }] }
    const prepared = prepareTelegramReplies([card, survey])
    expect(prepared).toEqual([{ text: `${card.text}\n\n${survey.text}`, buttons: [...card.buttons, ...survey.buttons] }])
    expect(prepareTelegramReplies(prepared)).toEqual(prepared)
    // A long reply, or one after a message that is already full, still goes on its own.
    expect(prepareTelegramReplies([card, { ...survey, text: 'x'.repeat(400) }])).toHaveLength(2)
    expect(prepareTelegramReplies([{ text: 'a'.repeat(4090) }, survey])).toHaveLength(2)
  })

  it('round-trips procedure and dossier deep links', () => {
    expect(startPayloadFor('p:khai-sinh')).toBe('p_khai-sinh')
    expect(actionFromStartPayload(startPayloadFor('d:H12.34-250106-0001') ?? '')).toBe('d:H12.34-250106-0001')
    expect(telegramDeepLink('thu_tuc_bot', 'p:khai-sinh')).toBe('https://t.me/thu_tuc_bot?start=p_khai-sinh')
    expect(actionFromStartPayload('d_%%%')).toBe('start')
    expect(actionFromStartPayload('')).toBe('start')
  })
})

describe('zalo rendering, events and signature', () => {
  it('prepares idempotently', () => {
    const buttons = Array.from({ length: 8 }, (_, i) => ({ label: `Mục ${i + 1}`, value: `v${i}` }))
    const prepared = prepareZaloReplies([{ text: 'Chọn:', buttons }])
    expect(prepared).toHaveLength(1)
    expect(prepared[0]?.buttons).toHaveLength(5)
    expect(prepareZaloReplies(prepared)).toEqual(prepared)
  })

  it('keeps ids and timestamps as strings and routes prefixed payloads to actions', () => {
    const body = { event_name: 'user_send_text', timestamp: '1699003881354', sender: { id: '9007199254740993123' }, message: { msg_id: 'abc', text: '#a:help' } }
    expect(translateZaloEvent(body)).toEqual({ kind: 'ask', userId: '9007199254740993123', dedupeId: 'msg:abc', input: { action: 'help' } })
    expect(translateZaloEvent({ event_name: 'user_send_sticker', sender: { id: '1' }, message: { msg_id: 'm' } })).toMatchObject({ kind: 'non-text' })
    expect(translateZaloEvent({ event_name: 'oa_send_text', sender: { id: '1' } })).toEqual({ kind: 'ignore' })
  })

  it('signs sha256(app_id + body + timestamp + key) and accepts the mac= header form', () => {
    const raw = Buffer.from('{"timestamp":"1"}')
    const mac = zaloSignature('app', raw, '1', 'key')
    expect(mac).toMatch(/^[0-9a-f]{64}$/)
    expect(verifyZaloSignature(`mac=${mac}`, { appId: 'app', rawBody: raw, timestamp: '1', oaSecretKey: 'key' })).toBe(true)
    expect(verifyZaloSignature(mac.toUpperCase(), { appId: 'app', rawBody: raw, timestamp: '1', oaSecretKey: 'key' })).toBe(true)
    expect(verifyZaloSignature(`mac=${mac}`, { appId: 'app', rawBody: raw, timestamp: '2', oaSecretKey: 'key' })).toBe(false)
  })

  it('computes the reply window from the last interaction', () => {
    const h = 60 * 60 * 1000
    expect(zaloWindow(undefined, 0)).toBe('unknown')
    expect(zaloWindow(0, 47 * h)).toBe('free')
    expect(zaloWindow(0, 49 * h)).toBe('paid')
    expect(zaloWindow(0, 8 * 24 * h)).toBe('closed')
  })
})

describe('createChannels', () => {
  it('enables nothing by default', async () => {
    const registered: string[] = []
    const outbox = { register: (s: { channel: string }) => registered.push(s.channel) } as unknown as Outbox
    const logger = { child: () => logger } as never
    const channels = await createChannels(loadConfig({ DATA_DIR: tempDir() }), { core: createFakeCore(), outbox, logger, db: undefined as never })
    expect(channels).toMatchObject({ plugins: [], senders: [], closers: [] })
    expect(registered).toEqual([])
  })
})

describe('secret comparison', () => {
  it('compares secrets in constant time regardless of length', () => {
    expect(safeEqual('abc', 'abc')).toBe(true)
    expect(safeEqual('abcd', 'abc')).toBe(false)
    expect(safeEqual(undefined, 'abc')).toBe(false)
  })
})
