import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, STAFF_TOKEN } from '../helpers/app.ts'
import { signIn } from '../staff/helpers.ts'
import { loadCatalogue } from '../../src/catalogue/load.ts'
import { contactsFrom } from '../../src/catalogue/contacts.ts'
import { contactLines } from '../../src/conversation/intents/support.ts'

type Replies = Array<{ text: string, buttons?: Array<{ label: string, value: string }> }>
const T0 = Date.parse('2026-12-08T09:00:00+07:00')
const started = Date.now()
let t: Awaited<ReturnType<typeof createTestApp>>
let n = 0
const session = (): string => `dialogue-${n++}-session`
const chat = async (sessionId: string, payload: Record<string, string>): Promise<Replies> =>
  (await t.app.inject({ method: 'POST', url: '/api/chat', payload: { sessionId, ...payload } })).json<{ replies: Replies }>().replies
const all = (r: Replies): string => r.map((x) => x.text).join('\n')
const values = (r: Replies): string[] => r.flatMap((x) => x.buttons ?? []).map((b) => b.value)
const bearer = { authorization: `Bearer ${STAFF_TOKEN}` }

beforeAll(async () => {
  t = await createTestApp({}, () => T0 + (Date.now() - started))
  await t.services.staff!.accounts.put('admin1', 'mat-khau-admin-1', 'admin', 'test')
  await t.services.staff!.accounts.put('lan', 'mat-khau-lan-1', 'officer', 'test')
})
afterAll(async () => { await t.close() })

describe('contacts that exist', () => {
  it('never shows a number nobody published: offices without one are to be visited during their hours', () => {
    const lines = contactLines(contactsFrom(loadCatalogue('data').offices))
    expect(lines.join('\n')).toContain('Bộ phận một cửa các xã/phường chưa công bố số điện thoại; Anh/Chị đến trực tiếp trong giờ làm việc: Thứ Hai – Thứ Sáu: sáng 7:00–11:00, chiều 13:00–17:00.')
    // The only published number is the city centre's (offices.json, with its source).
    expect(lines.join('\n')).toContain('0292 3817 696')
    for (const l of lines) for (const phone of l.match(/\d[\d .]{6,}\d/g) ?? []) expect(['0292 3817 696']).toContain(phone)
  })

  it('every fallback names them', async () => {
    expect(all(await chat(session(), { text: 'con mèo nhà em bị lạc' }))).toContain('đến trực tiếp trong giờ làm việc')
    expect(all(await chat(session(), { text: 'bot ngu quá' }))).toContain('đến trực tiếp trong giờ làm việc')
    expect(all(await chat(session(), { text: 'hồ sơ trễ hẹn 2 tuần rồi mà chưa có' }))).toContain('đến trực tiếp trong giờ làm việc')
    expect(all(await chat(session(), { text: 'số điện thoại tổng đài' }))).toContain('đến trực tiếp trong giờ làm việc')
  })

  it('a phone and hotline staff set for an office is used everywhere; bad numbers are refused; only admins set them', async () => {
    const lan = await signIn(t.app, 'lan', 'mat-khau-lan-1')
    expect((await t.app.inject({ method: 'PUT', url: '/api/staff/contacts/xa-hoa-tu/commune-centre', headers: lan.headers(), payload: { phone: '0299 3851 234' } })).statusCode).toBe(403)
    const admin = await signIn(t.app, 'admin1', 'mat-khau-admin-1')
    const put = (payload: object) => t.app.inject({ method: 'PUT', url: '/api/staff/contacts/xa-hoa-tu/commune-centre', headers: admin.headers(), payload })
    expect((await put({ phone: 'gọi ủy ban' })).statusCode).toBe(400)
    expect((await t.app.inject({ method: 'PUT', url: '/api/staff/contacts/xa-khong-co/commune-centre', headers: admin.headers(), payload: { phone: '0299 3851 234' } })).statusCode).toBe(404)
    const ok = await put({ phone: '0299 3851 234', hotline: '1022' })
    expect(ok.statusCode, ok.body).toBe(200)
    expect(ok.json()).toMatchObject({ key: 'xa-hoa-tu/commune-centre', phone: '0299 3851 234', hotline: '1022', source: 'staff' })
    const fallback = all(await chat(session(), { text: 'con mèo nhà em bị lạc' }))
    expect(fallback).toContain('☎️ Trung tâm Phục vụ hành chính công xã Hòa Tú: 0299 3851 234, đường dây nóng 1022')
    expect(fallback).toContain('Các nơi khác chưa công bố số điện thoại')
    expect(all(await chat(session(), { text: 'địa chỉ ủy ban xã Hòa Tú' }))).toContain('Điện thoại: 0299 3851 234')
    expect((await put({ phone: null, hotline: null })).json()).not.toHaveProperty('phone')
    expect(all(await chat(session(), { text: 'con mèo nhà em bị lạc' }))).not.toContain('0299 3851 234')
  })
})

describe('asking for a person', () => {
  it('after two questions the bot could not answer, a person is offered; the offer opens a ticket', async () => {
    const s = session()
    expect(values(await chat(s, { text: 'con mèo nhà em bị lạc' }))).not.toContain('h:open:f')
    const second = await chat(s, { text: 'trời hôm nay mưa không' })
    expect(all(second)).toContain('Anh/Chị có muốn nhắn trực tiếp cho cán bộ một cửa không?')
    expect(values(second)).toContain('h:open:f')
    expect(all(await chat(s, { action: 'h:open:f' }))).toContain('đã chuyển yêu cầu')
    const mine = (await t.app.inject({ url: '/api/staff/tickets', headers: bearer })).json<{ items: Array<{ userId: string, reason: string }> }>().items.find((i) => i.userId === s)
    expect(mine?.reason).toBe('failures')
    expect(all(await chat(s, { text: 'kết thúc' }))).toContain('đã kết thúc')
  })

  it('a complaint offers a person in the chat', async () => {
    expect(values(await chat(session(), { text: 'hồ sơ trễ hẹn 2 tuần rồi mà chưa có' }))).toContain('h:open:c')
  })

  it('asking twice keeps one ticket; «kết thúc» without a ticket says goodbye', async () => {
    const s = session()
    await chat(s, { text: 'cho em gặp cán bộ' })
    expect(all(await chat(s, { text: 'gặp cán bộ' }))).toContain('đã được ghi nhận')
    const mine = (await t.app.inject({ url: '/api/staff/tickets', headers: bearer })).json<{ items: Array<{ userId: string }> }>().items.filter((i) => i.userId === s)
    expect(mine).toHaveLength(1)
    await chat(s, { action: 'h:end' })
    expect(all(await chat(s, { text: 'kết thúc' }))).toContain('chào Anh/Chị')
  })

  it('a sure procedure question during a ticket is answered by the bot, marked; an unclear one goes to the officer', async () => {
    const s = session()
    await chat(s, { action: 'm:staff' })
    const card = await chat(s, { text: 'đăng ký khai tử' })
    expect(card[0]!.text).toMatch(/^🤖 Trợ lý tự động trả lời[^\n]*\n📌 /)
    expect(all(await chat(s, { text: 'nhà tôi có chuyện muốn hỏi riêng' }))).toContain('đã chuyển tin nhắn cho cán bộ')
    // No satisfaction question while an officer has the chat.
    expect(all(card)).not.toContain('không phải đi lại')
    await chat(s, { text: 'kết thúc' })
  })
})

describe('the satisfaction question', () => {
  it('follows the first card only (once per conversation); a new question after a vote is answered, not taken as a comment', async () => {
    const s = session()
    const first = await chat(s, { text: 'đăng ký khai sinh' })
    expect(first.at(-1)!.text).toBe('Thông tin này có giúp Anh/Chị không phải đi lại không?')
    expect(values(first).filter((v) => v.startsWith('fb:'))).toHaveLength(2)
    expect(all(await chat(s, { text: 'đăng ký kết hôn' }))).not.toContain('không phải đi lại')
    const up = values(first).find((v) => v.endsWith(':1'))!
    expect(all(await chat(s, { action: up }))).toContain('em cảm ơn')
    expect(all(await chat(s, { text: 'đăng ký tạm trú' }))).toContain('ĐĂNG KÝ TẠM TRÚ')
    // Someone else's button does not count.
    expect(all(await chat(session(), { action: up.replace(/:1$/, ':0') }))).toContain('đã ghi nhận ý kiến')
    const week = (await t.app.inject({ url: '/api/staff/stats?weeks=1', headers: bearer })).json<{ weeks: Array<{ feedback: { up: number, down: number } }> }>().weeks[0]!
    expect(week.feedback.down).toBe(0)
    expect(week.feedback.up).toBeGreaterThanOrEqual(1)
  })

  it('counts typed questions and the answered share', async () => {
    const before = (await t.app.inject({ url: '/api/staff/stats?weeks=1', headers: bearer })).json<{ weeks: Array<{ questions: number, answered: number }> }>().weeks[0]!
    const s = session()
    await chat(s, { text: 'đăng ký khai sinh' })
    await chat(s, { text: 'phí bao nhiêu' })
    await chat(s, { text: 'con mèo nhà em bị lạc' })
    await chat(s, { text: 'xin chào' })
    const after = (await t.app.inject({ url: '/api/staff/stats?weeks=1', headers: bearer })).json<{ weeks: Array<{ questions: number, answered: number, answeredShare: number }> }>().weeks[0]!
    expect(after.questions - before.questions).toBe(3)
    expect(after.answered - before.answered).toBe(2)
    expect(after.answeredShare).toBeGreaterThan(0)
    expect(after.answeredShare).toBeLessThan(1)
  })
})
