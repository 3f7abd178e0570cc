import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, STAFF_TOKEN } from '../helpers/app.ts'
import { startFakeTelegram, telegramUpdates, TELEGRAM_CITIZEN_ID, type FakeTelegram } from '../helpers/fake-telegram.ts'
import { signIn } from '../staff/helpers.ts'
import { until } from '../helpers/wait.ts'
import type { TicketDetail, TicketSummary } from '../../src/handoff/service.ts'
import type { WeekStats } from '../../src/handoff/stats.ts'

const SECRET = 'handoff_secret-token_0123456789'
/** Saturday 5 December 2026, 20:00 in Vietnam: outside office hours. The clock then runs in real time. */
const SATURDAY_EVENING = Date.parse('2026-12-05T20:00:00+07:00')
/** Monday 7 December 2026, 08:10: the officer's morning. */
const MONDAY_MORNING = Date.parse('2026-12-07T08:10:00+07:00')
const CODE = '000.00.04.H51-261204-0007'

let base = SATURDAY_EVENING
const started = Date.now()
const now = (): number => base + (Date.now() - started)
/** Moves the clock to `t` (it keeps running from there). */
const jumpTo = (t: number): void => { base += t - now() }

let tg: FakeTelegram
let t: Awaited<ReturnType<typeof createTestApp>>
const bearer = { authorization: `Bearer ${STAFF_TOKEN}` }
const tgUpdate = (payload: object) => t.app.inject({ method: 'POST', url: '/webhooks/telegram', headers: { 'x-telegram-bot-api-secret-token': SECRET }, payload })
const chat = async (sessionId: string, payload: Record<string, string>) =>
  (await t.app.inject({ method: 'POST', url: '/api/chat', payload: { sessionId, ...payload } })).json<{ replies: Array<{ text: string, buttons?: Array<{ label: string, value: string }> }> }>().replies
const texts = (replies: Array<{ text: string }>): string => replies.map((r) => r.text).join('\n')
const inbox = async (sessionId: string) =>
  (await t.app.inject({ url: `/api/chat/inbox?sessionId=${sessionId}&after=0` })).json<{ items: Array<{ id: number, text: string, buttons?: Array<{ value: string }> }> }>().items

beforeAll(async () => {
  tg = await startFakeTelegram()
  t = await createTestApp({ TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_API_ROOT: tg.url }, now)
  await t.services.staff!.accounts.put('lan', 'mat-khau-lan-1', 'officer', 'test')
})
afterAll(async () => {
  await t.close()
  await tg.close()
})

describe('talking to a person through Telegram', () => {
  let ticketId: number

  it('outside office hours the citizen is told when an officer will answer, and a ticket opens with the conversation so far', async () => {
    await tgUpdate(telegramUpdates.text('làm giấy khai sinh cho con'))
    await until(() => tg.messages().some((m) => m.text.includes('ĐĂNG KÝ KHAI SINH')))
    await tgUpdate(telegramUpdates.text('cho tôi gặp cán bộ'))
    await until(() => tg.messages().some((m) => m.text.includes('chuyển yêu cầu')))
    const told = tg.messages().find((m) => m.text.includes('chuyển yêu cầu'))!
    expect(told.text).toContain('Hôm nay là ngày nghỉ cuối tuần')
    expect(told.text).toContain('dự kiến trước 9:00 thứ Hai, 07/12/2026')
    expect(told.text).toContain('kết thúc')
    // Contacts that exist: no commune desk publishes a phone, so: in person during the hours.
    expect(told.text).toContain('đến trực tiếp trong giờ làm việc')
    expect(told.reply_markup!.inline_keyboard.flat().map((b) => b.callback_data)).toContain('h:end')

    const list = (await t.app.inject({ url: '/api/staff/tickets', headers: bearer })).json<{ items: TicketSummary[] }>().items
    expect(list).toHaveLength(1)
    expect(list[0]).toMatchObject({ channel: 'telegram', userId: String(TELEGRAM_CITIZEN_ID), status: 'open', reason: 'words', procedureId: 'dang-ky-khai-sinh' })
    expect(list[0]!.expectedAt).toBe(Date.parse('2026-12-07T09:00:00+07:00'))
    ticketId = list[0]!.id
  })

  it('what the citizen writes meanwhile goes to the ticket, redacted', async () => {
    const before = tg.messages().length
    await tgUpdate(telegramUpdates.text('con tôi sinh ở nhà bà ngoại, số tôi 0912 345 678, có làm ở xã được không'))
    await until(() => tg.messages().length > before)
    expect(tg.messages().at(-1)!.text).toContain('đã chuyển tin nhắn cho cán bộ')
    const detail = (await t.app.inject({ url: `/api/staff/tickets/${ticketId}`, headers: bearer })).json<TicketDetail>()
    const lines = detail.messages.map((m) => `${m.author}: ${m.text}`)
    expect(lines[0]).toBe('citizen: làm giấy khai sinh cho con')
    expect(lines).toContain('citizen: cho tôi gặp cán bộ')
    expect(lines.at(-1)).toBe('citizen: con tôi sinh ở nhà bà ngoại, số tôi «số điện thoại», có làm ở xã được không')
    expect(JSON.stringify(detail)).not.toContain('345 678')
    expect(detail.procedure?.title).toMatch(/khai sinh/i)
    expect(detail.procedure?.card).toContain('Giấy tờ cần nộp')
  })

  it('an officer signs in on Monday, claims, replies; the citizen receives it; the answer appears in the ticket', async () => {
    jumpTo(MONDAY_MORNING)
    const lan = await signIn(t.app, 'lan', 'mat-khau-lan-1')
    const claim = await t.app.inject({ method: 'POST', url: `/api/staff/tickets/${ticketId}/claim`, headers: lan.headers() })
    expect(claim.statusCode, claim.body).toBe(200)
    expect(claim.json()).toMatchObject({ status: 'claimed', claimedBy: 'lan' })
    // Without the CSRF token a console session cannot act.
    expect((await t.app.inject({ method: 'POST', url: `/api/staff/tickets/${ticketId}/reply`, headers: lan.headers(false), payload: { text: 'x' } })).statusCode).toBe(403)
    const reply = await t.app.inject({ method: 'POST', url: `/api/staff/tickets/${ticketId}/reply`, headers: lan.headers(), payload: { text: 'Dạ được ạ. Anh/Chị mang giấy chứng sinh đến UBND xã nơi cư trú.' } })
    expect(reply.statusCode, reply.body).toBe(200)
    await until(() => tg.messages().some((m) => m.text.includes('giấy chứng sinh đến UBND')))
    const received = tg.messages().find((m) => m.text.includes('giấy chứng sinh đến UBND'))!
    expect(received.text).toMatch(/^👤 Cán bộ một cửa:/)
    expect(String(received.chat_id)).toBe(String(TELEGRAM_CITIZEN_ID))

    await tgUpdate(telegramUpdates.text('dạ em cảm ơn, sáng mai em lên'))
    const detail = (await t.app.inject({ url: `/api/staff/tickets/${ticketId}`, headers: lan.headers() })).json<TicketDetail>()
    expect(detail.messages.at(-1)).toMatchObject({ author: 'citizen', text: 'dạ em cảm ơn, sáng mai em lên' })
    const staffLine = detail.messages.find((m) => m.author === 'staff')!
    expect(staffLine).toMatchObject({ staff: 'lan', delivery: 'sent' })
    expect(detail.ticket.firstReplyAt).toBeGreaterThanOrEqual(MONDAY_MORNING)
  })

  it('closed by the officer → the satisfaction question → 👍 is counted in the statistics', async () => {
    const lan = await signIn(t.app, 'lan', 'mat-khau-lan-1')
    const sent = tg.messages().length
    const close = await t.app.inject({ method: 'POST', url: `/api/staff/tickets/${ticketId}/close`, headers: lan.headers() })
    expect(close.statusCode, close.body).toBe(200)
    await until(() => tg.messages().slice(sent).some((m) => m.text.includes('Thông tin này có giúp Anh/Chị không phải đi lại không?')))
    const after = tg.messages().slice(sent)
    const closing = after.findIndex((m) => m.text.includes('Cán bộ đã kết thúc cuộc trò chuyện'))
    const survey = after.find((m) => m.text.includes('không phải đi lại'))
    expect(closing).toBeGreaterThanOrEqual(0)
    expect(after.indexOf(survey!)).toBe(closing + 1)
    const up = survey!.reply_markup!.inline_keyboard.flat().find((b) => b.text.includes('👍'))!
    const before = tg.messages().length
    await tgUpdate(telegramUpdates.callback(up.callback_data))
    await until(() => tg.messages().length > before)
    expect(tg.messages().at(-1)!.text).toContain('em cảm ơn Anh/Chị')
    // The chat is the bot's again: a question gets the card, not «đã chuyển cho cán bộ».
    await tgUpdate(telegramUpdates.text('đăng ký kết hôn'))
    await until(() => tg.messages().some((m) => m.text.includes('ĐĂNG KÝ KẾT HÔN')))

    const stats = (await t.app.inject({ url: '/api/staff/stats?weeks=2', headers: lan.headers() })).json<{ weeks: WeekStats[] }>().weeks
    expect(stats.map((w) => w.week)).toEqual(['2026-12-07', '2026-11-30'])
    const [monday, saturday] = stats
    expect(monday!.feedback.up).toBe(1)
    expect(monday!.feedback.byProcedure).toEqual([{ procedureId: 'dang-ky-khai-sinh', title: expect.stringMatching(/khai sinh/i), up: 1, down: 0 }])
    expect(saturday!.handoffs).toMatchObject({ opened: 1, replied: 1, waiting: 0 })
    // Saturday 20:00 → Monday ~08:10: about 36 hours on the clock, about 70 minutes of office time.
    expect(saturday!.handoffs.medianWaitMinutes).toBeGreaterThanOrEqual(36 * 60 + 9)
    expect(saturday!.handoffs.medianWaitOfficeMinutes).toBeGreaterThanOrEqual(70)
    expect(saturday!.handoffs.medianWaitOfficeMinutes).toBeLessThan(75)
    expect(saturday!.questions).toBeGreaterThanOrEqual(1)
    expect(monday!.questions).toBeGreaterThanOrEqual(1)
  })
})

describe('talking to a person through the web chat', () => {
  const session = 'web-handoff-citizen-1'
  let ticketId: number

  it('the web chat is handed to an officer; a dossier code meanwhile is answered by the bot, marked as its own', async () => {
    jumpTo(Date.parse('2026-12-08T10:15:00+07:00'))
    const put = await t.app.inject({ method: 'PUT', url: `/api/staff/dossiers/${CODE}`, headers: bearer, payload: { procedure: 'dang-ky-tam-tru', applicantName: 'Trần Thị Bình', phone: '0912000111', receivedAt: '2026-12-04T09:00:00+07:00', status: 4 } })
    expect([200, 201]).toContain(put.statusCode)
    const opened = await chat(session, { action: 'm:staff' })
    expect(texts(opened)).toContain('Cán bộ đang trong giờ làm việc, dự kiến trả lời Anh/Chị trước 14:30 hôm nay')
    const bot = await chat(session, { text: `hồ sơ ${CODE} của tôi sao rồi` })
    expect(texts(bot)).toMatch(/^🤖 Trợ lý tự động trả lời/)
    expect(texts(bot)).toContain(CODE)
    const items = (await t.app.inject({ url: '/api/staff/tickets', headers: bearer })).json<{ items: TicketSummary[] }>().items
    const mine = items.find((i) => i.userId === session)!
    ticketId = mine.id
    const detail = (await t.app.inject({ url: `/api/staff/tickets/${ticketId}`, headers: bearer })).json<TicketDetail>()
    expect(detail.dossier).toMatchObject({ code: CODE, status: 4, statusLabel: 'Đang xử lý', phone: '0912000111' })
    // Opened by the menu button in a new chat: nothing before it; then the code, and what the bot answered.
    expect(detail.messages.map((m) => m.author)).toEqual(['citizen', 'bot'])
    expect(detail.messages[0]!.text).toBe('hồ sơ «mã hồ sơ» của tôi sao rồi')
    expect(detail.messages[1]!.text).toBe('Hồ sơ «mã hồ sơ»')
  })

  it('the officer replies and sends the dossier status with one click; the page receives both; the answer reaches the ticket', async () => {
    const lan = await signIn(t.app, 'lan', 'mat-khau-lan-1')
    expect((await t.app.inject({ method: 'POST', url: `/api/staff/tickets/${ticketId}/reply`, headers: lan.headers(), payload: { text: 'Chào Anh/Chị, hồ sơ đang được xử lý đúng hẹn.' } })).statusCode).toBe(200)
    const sent = await t.app.inject({ method: 'POST', url: `/api/staff/tickets/${ticketId}/send`, headers: lan.headers(), payload: { dossier: CODE } })
    expect(sent.statusCode, sent.body).toBe(200)
    // The outbox paces messages to one chat (1 s apart): the page's polling sees them arrive.
    let got = await inbox(session)
    for (let i = 0; i < 100 && got.length < 2; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50))
      got = await inbox(session)
    }
    expect(got.map((i) => i.text.split('\n')[0])).toEqual(['👤 Cán bộ một cửa:', '👤 Cán bộ một cửa:'])
    expect(got[0]!.text).toContain('đúng hẹn')
    expect(got[1]!.text).toContain(CODE)
    expect(got[1]!.text).not.toContain('Trần Thị Bình')
    expect(texts(await chat(session, { text: 'vậy thứ sáu tôi lên lấy được không' }))).toContain('đã chuyển tin nhắn cho cán bộ')
    const detail = (await t.app.inject({ url: `/api/staff/tickets/${ticketId}`, headers: lan.headers() })).json<TicketDetail>()
    expect(detail.messages.at(-1)).toMatchObject({ author: 'citizen', text: 'vậy thứ sáu tôi lên lấy được không' })
  })

  it('«kết thúc» returns the chat to the bot, with the satisfaction question; 👎 with a comment is kept', async () => {
    const end = await chat(session, { text: 'kết thúc' })
    expect(texts(end)).toContain('đã kết thúc cuộc trò chuyện với cán bộ')
    const survey = end.find((r) => r.text.includes('không phải đi lại'))!
    const down = survey.buttons!.find((b) => b.value.endsWith(':0'))!
    expect(texts(await chat(session, { action: down.value }))).toContain('em xin lỗi')
    expect(texts(await chat(session, { text: 'cần ghi rõ ngày trả kết quả' }))).toContain('ghi nhận góp ý')
    expect(texts(await chat(session, { action: down.value }))).toContain('đã ghi nhận ý kiến')
    expect((await t.app.inject({ url: `/api/staff/tickets/${ticketId}`, headers: bearer })).json<TicketDetail>().ticket).toMatchObject({ status: 'closed', closedBy: 'citizen' })
    expect(texts(await chat(session, { text: 'đăng ký tạm trú' }))).toContain('ĐĂNG KÝ TẠM TRÚ')
    const [week, before] = (await t.app.inject({ url: '/api/staff/stats?weeks=2', headers: bearer })).json<{ weeks: WeekStats[] }>().weeks
    expect(week!.feedback).toMatchObject({ up: 1, down: 1 })
    expect(week!.handoffs).toMatchObject({ opened: 1, replied: 1 })
    // The dossier was received on Friday 4 December: the week before; open and not yet due.
    expect(before!.dossiers).toEqual({ received: 1, onTime: 0, late: 0, apologies: 0 })
  })
})
