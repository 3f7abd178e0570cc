import { afterEach, describe, expect, it } from 'vitest'
import { createTestApp, STAFF_TOKEN } from '../../helpers/app.ts'
import { signZaloEvent, startFakeZalo, zaloEnv, zaloEvents, zaloTemplateEnv, type FakeZalo } from '../../helpers/fake-zalo.ts'
import { until } from '../../helpers/wait.ts'
import { createManualClock, type ManualClock } from '../../outbox/manual-clock.ts'

const ZALO = { appId: '1234567890123456789', oaSecretKey: 'oa-secret-key-for-tests', appSecret: 'app-secret-for-tests' }
const USER = '8404382937846123456'
const OTHER = '8404382937846999999'
const CODE = '000.00.04.H51-260302-0001'
const CODE2 = '000.00.04.H51-260302-0002'
const DAY = 24 * 3600_000
/** Monday 2 March 2026, 09:00 in Vietnam. */
const T0 = Date.parse('2026-03-02T09:00:00+07:00')
const staff = { authorization: `Bearer ${STAFF_TOKEN}` }

let zalo: FakeZalo | undefined
let t: Awaited<ReturnType<typeof createTestApp>> | undefined
let clock: ManualClock

afterEach(async () => {
  await t?.close()
  await zalo?.close()
  t = undefined
  zalo = undefined
})

async function start (env: Record<string, string> = {}, options: { captureLogs?: boolean } = {}) {
  clock = createManualClock(T0)
  const z = await startFakeZalo({ appId: ZALO.appId, appSecret: ZALO.appSecret })
  zalo = z
  const app = await createTestApp({ ...zaloEnv(z, ZALO), ...zaloTemplateEnv(z, env) }, undefined, { clock, captureLogs: options.captureLogs })
  t = app
  const outbox = app.services.outbox

  /** A citizen's Zalo message (or button tap `#a:<value>`); resolves with the bot's answers. */
  async function say (text: string, user = USER) {
    const before = z.delivered().length
    const signed = signZaloEvent(zaloEvents.text(ZALO.appId, user, text), ZALO.appId, ZALO.oaSecretKey)
    const res = await app.app.inject({ method: 'POST', url: '/webhooks/zalo', headers: signed.headers, payload: signed.payload })
    expect(res.statusCode).toBe(200)
    await until(() => z.delivered().length > before)
    await outbox.idle()
    return z.delivered().slice(before).filter((m) => m.userId === user)
  }
  /** Staff register a dossier (status 4, received Monday 09:00: due Thursday 09:00). */
  async function register (code: string, over: Record<string, unknown> = {}) {
    const res = await app.app.inject({
      method: 'PUT',
      url: `/api/staff/dossiers/${code}`,
      headers: staff,
      payload: { procedure: 'dang-ky-tam-tru', applicantName: 'Nguyễn Văn An', phone: '0912345678', receivedAt: '2026-03-02T09:00:00+07:00', status: 4, lookupCode: 'KH2M7A', ...over },
    })
    expect(res.statusCode, res.body).toBe(201)
    return res.json<{ dueAt: string }>()
  }
  async function setStatus (code: string, body: Record<string, unknown>) {
    const res = await app.app.inject({ method: 'POST', url: `/api/staff/dossiers/${code}/status`, headers: staff, payload: body })
    expect(res.statusCode, res.body).toBe(200)
    await outbox.idle()
  }
  /** Subscribes USER (or `user`) from Zalo and agrees to template messages. */
  async function subscribeWithConsent (code: string, user = USER) {
    await say(code, user)
    const subscribed = await say(`#a:ds:${code}`, user)
    const consent = subscribed.flatMap((m) => m.buttons).find((b) => b.payload === `#a:dz:${code}`)
    expect(consent?.title).toBe('Đồng ý nhận tin mẫu Zalo')
    return await say(`#a:dz:${code}`, user)
  }
  async function notifications (status?: string) {
    const res = await app.app.inject({ url: `/api/staff/notifications${status === undefined ? '' : `?status=${status}`}`, headers: staff })
    expect(res.statusCode, res.body).toBe(200)
    return res.json<{ items: Array<Record<string, unknown>>, templates: Record<string, unknown> | null }>()
  }
  /** Advances the clock and lets the outbox deliver what became due. */
  async function pass (ms: number) {
    clock.advance(ms)
    await outbox.idle()
    clock.advance(0)
    await outbox.idle()
  }
  /** Two dossiers followed with consent by the same citizen, who then stays silent 8 days; both finish. */
  async function bothDoneAfterSilence () {
    await register(CODE)
    await register(CODE2)
    await subscribeWithConsent(CODE)
    await subscribeWithConsent(CODE2)
    await pass(8 * DAY)
    await setStatus(CODE, { status: 9 })
    await setStatus(CODE2, { status: 9 })
  }

  return { app, z, say, register, setStatus, subscribeWithConsent, notifications, pass, outbox, bothDoneAfterSilence }
}

describe('dossier notices on Zalo after the 7-day window', () => {
  it('a subscriber silent for 8 days gets the template message with the right parameters, by user id', async () => {
    const { z, register, setStatus, subscribeWithConsent, notifications, pass } = await start()
    expect((await register(CODE)).dueAt).toBe('2026-03-05T09:00:00+07:00')
    const [consented] = await subscribeWithConsent(CODE)
    expect(consented?.text).toContain('tin mẫu Zalo')
    const csBefore = z.sends().length
    await pass(8 * DAY)
    await setStatus(CODE, { status: 9 })
    expect(z.templatesDelivered()).toEqual([{
      route: 'uid',
      userId: USER,
      templateId: '412345',
      data: {
        ma_ho_so: CODE,
        thu_tuc: 'Đăng ký tạm trú',
        trang_thai: 'Đã xử lý xong',
        ngay_hen: '05/03/2026',
        buoc_tiep: 'Kết quả đã sẵn sàng. Đề nghị mang giấy tiếp nhận hồ sơ và căn cước đến nơi nộp hồ sơ để nhận.',
      },
    }])
    expect(z.sends()).toHaveLength(csBefore)
    const list = await notifications()
    expect(list.items).toEqual([])
    expect(list.templates).toMatchObject({ month: '2026-03', count: 1, costVnd: 200, budgetVnd: 500000, day: '2026-03-10', dayCount: 1, zalo: { dailyQuota: 20000, remainingQuota: 19999 } })
  })

  it('within the window the notice is a normal message, not a template', async () => {
    const { z, register, setStatus, subscribeWithConsent, pass } = await start()
    await register(CODE)
    await subscribeWithConsent(CODE)
    await pass(3 * DAY)
    const before = z.delivered().length
    await setStatus(CODE, { status: 9 })
    expect(z.delivered().slice(before).map((m) => m.text)).toEqual([expect.stringContaining(`Chúc mừng Anh/Chị! Hồ sơ ${CODE}`)])
    expect(z.templateSends()).toEqual([])
  })

  it('falls back to the template when Zalo itself refuses the normal message (-230)', async () => {
    const { z, register, setStatus, subscribeWithConsent } = await start()
    await register(CODE)
    await subscribeWithConsent(CODE)
    z.respondNext(-230, 'User has not interacted with the OA in the last 7 days')
    await setStatus(CODE, { status: 9 })
    expect(z.templatesDelivered()).toMatchObject([{ route: 'uid', userId: USER, templateId: '412345' }])
  })

  it('over the daily limit the notice is queued for the next day, shown to staff, then sent', async () => {
    const { z, notifications, pass, bothDoneAfterSilence } = await start({ ZALO_TEMPLATE_DAILY_LIMIT: '1' })
    await bothDoneAfterSilence()
    expect(z.templatesDelivered().map((m) => m.data.ma_ho_so)).toEqual([CODE])
    const queued = await notifications('queued')
    expect(queued.items).toMatchObject([{
      code: CODE2, to: 'zalo', status: 'pending', reason: 'template-quota-exceeded', applicantName: 'Nguyễn Văn An', phone: '0912345678', nextAttemptAt: '2026-03-11T00:05:00+07:00',
    }])
    expect(String(queued.items[0]?.reasonText)).toContain('ngày mai')
    expect((await notifications()).items).toEqual([])
    await pass(DAY)
    expect(z.templatesDelivered().map((m) => m.data.ma_ho_so)).toEqual([CODE, CODE2])
    expect((await notifications('queued')).items).toEqual([])
  })

  it('when Zalo says the OA\'s quota is used up (-144), the day stops and the notice waits for tomorrow', async () => {
    const { z, register, setStatus, subscribeWithConsent, notifications, pass } = await start()
    await register(CODE)
    await register(CODE2)
    await subscribeWithConsent(CODE)
    await subscribeWithConsent(CODE2)
    await pass(8 * DAY)
    z.respondNextTemplate(-144, 'OA has exceeded the daily quota')
    await setStatus(CODE, { status: 9 })
    await setStatus(CODE2, { status: 9 })
    expect(z.templateSends()).toHaveLength(1)
    expect((await notifications('queued')).items.map((i) => [i.code, i.reason]).sort()).toEqual([[CODE, 'template-quota-exceeded'], [CODE2, 'template-quota-exceeded']])
    await pass(DAY)
    expect(z.templatesDelivered().map((m) => m.data.ma_ho_so).sort()).toEqual([CODE, CODE2])
    expect((await notifications()).templates).toMatchObject({ count: 2, costVnd: 400 })
  })

  it('a notice waiting for tomorrow does not hold up the chat, and goes as a normal message once the citizen writes again', async () => {
    const { z, say, notifications, pass, bothDoneAfterSilence } = await start({ ZALO_TEMPLATE_DAILY_LIMIT: '1' })
    await bothDoneAfterSilence()
    expect((await notifications('queued')).items.map((i) => i.code)).toEqual([CODE2])
    const answer = await say('đăng ký kết hôn')
    expect(answer.map((m) => m.text).join('\n')).toContain('ĐĂNG KÝ KẾT HÔN')
    await pass(DAY)
    expect(z.delivered().at(-1)?.text).toContain(`Chúc mừng Anh/Chị! Hồ sơ ${CODE2}`)
    expect(z.templatesDelivered().map((m) => m.data.ma_ho_so)).toEqual([CODE])
  })

  it('when the monthly budget is reached the notice is not sent and is shown to staff', async () => {
    const { z, register, setStatus, subscribeWithConsent, notifications, pass } = await start({ ZALO_TEMPLATE_MONTHLY_BUDGET_VND: '300' })
    await register(CODE)
    await register(CODE2, { applicantName: 'Trần Thị Bình', phone: '0987654321' })
    await subscribeWithConsent(CODE)
    await subscribeWithConsent(CODE2, OTHER)
    await pass(8 * DAY)
    await setStatus(CODE, { status: 9 })
    await setStatus(CODE2, { status: 9 })
    await pass(2 * DAY)
    expect(z.templatesDelivered().map((m) => m.data.ma_ho_so)).toEqual([CODE])
    const list = await notifications('undeliverable')
    expect(list.items).toMatchObject([{ code: CODE2, to: 'zalo', status: 'undeliverable', reason: 'template-budget-reached', applicantName: 'Trần Thị Bình', phone: '0987654321', procedure: 'Đăng ký tạm trú' }])
    expect(String(list.items[0]?.reasonText)).toContain('ngân sách')
    expect(list.templates).toMatchObject({ count: 1, costVnd: 200, budgetVnd: 300 })
  })

  it('"hủy thông báo" stops both the normal messages and the templates', async () => {
    const { z, say, register, setStatus, subscribeWithConsent, pass } = await start()
    await register(CODE)
    await subscribeWithConsent(CODE)
    const [stopped] = await say('hủy thông báo')
    expect(stopped?.text).toContain(`Em đã dừng gửi mọi thông báo về hồ sơ ${CODE}`)
    const before = z.delivered().length
    await setStatus(CODE, { status: 5, missingDocuments: ['Bản sao giấy khai sinh'] })
    await pass(8 * DAY)
    await setStatus(CODE, { status: 9 })
    expect(z.delivered()).toHaveLength(before)
    expect(z.templateSends()).toEqual([])
  })

  it('unsubscribing drops a notice already queued for the next day', async () => {
    const { z, say, notifications, pass, bothDoneAfterSilence } = await start({ ZALO_TEMPLATE_DAILY_LIMIT: '1' })
    await bothDoneAfterSilence()
    expect((await notifications('queued')).items).toHaveLength(1)
    await say(`hủy thông báo ${CODE2}`)
    expect((await notifications('queued')).items).toEqual([])
    await pass(DAY)
    expect(z.templatesDelivered().map((m) => m.data.ma_ho_so)).toEqual([CODE])
    expect((await notifications()).items).toEqual([])
  })

  it('without consent to templates a closed window means undeliverable, listed for the desk to phone', async () => {
    const { z, say, register, setStatus, notifications, pass } = await start()
    await register(CODE)
    await say(CODE)
    const [subscribed] = await say(`#a:ds:${CODE}`)
    expect(subscribed?.text).toContain('tin mẫu Zalo')
    await pass(8 * DAY)
    await setStatus(CODE, { status: 9 })
    expect(z.templateSends()).toEqual([])
    expect((await notifications()).items).toMatchObject([{ code: CODE, reason: 'no-template-consent', phone: '0912345678' }])
  })
})

describe('template messages to the phone registered with the dossier', () => {
  it('goes by phone when the citizen agreed at the desk, and stops when the consent is withdrawn', async () => {
    const { app, z, register, setStatus } = await start()
    await register(CODE, { zaloConsent: true })
    await setStatus(CODE, { status: 9 })
    expect(z.templatesDelivered()).toMatchObject([{ route: 'phone', phone: '84912345678', templateId: '412345', data: { ma_ho_so: CODE } }])
    expect(z.templatesDelivered()[0]?.trackingId).toMatch(/^[0-9a-f-]{36}$/)
    const withdrawn = await app.app.inject({ method: 'POST', url: `/api/staff/dossiers/${CODE}/zalo-consent`, headers: staff, payload: { consent: false } })
    expect(withdrawn.json()).toEqual({ code: CODE, deskConsent: null })
    await setStatus(CODE, { status: 10 })
    expect(z.templateSends()).toHaveLength(1)
  })

  it('a phone without Zalo is undeliverable and listed with the number to call', async () => {
    const { app, z, register, setStatus, notifications } = await start()
    await register(CODE)
    expect((await app.app.inject({ method: 'POST', url: `/api/staff/dossiers/${CODE}/zalo-consent`, headers: staff, payload: { consent: true } })).json()).toMatchObject({ deskConsent: { staff: 'tester' } })
    z.respondNextTemplate(-118, 'Zalo account not existed')
    await setStatus(CODE, { status: 9 })
    expect((await notifications()).items).toMatchObject([{ code: CODE, to: 'zalo-phone', reason: 'phone-not-on-zalo', phone: '0912345678', reasonText: 'Số điện thoại chưa dùng Zalo' }])
    expect((await notifications()).templates).toMatchObject({ count: 0, costVnd: 0 })
  })

  it('a verified subscriber\'s consent covers the phone: when the user id is refused, the phone is tried', async () => {
    const { z, say, register, setStatus, pass } = await start()
    await register(CODE)
    await say(CODE)
    await say('KH2M7A')
    await say(`#a:ds:${CODE}`)
    const [consent] = await say(`#a:dz:${CODE}`)
    expect(consent?.text).toContain('số điện thoại đã đăng ký')
    await pass(8 * DAY)
    z.respondNextTemplate(-213, 'User has not followed the OA')
    await setStatus(CODE, { status: 9 })
    expect(z.templateSends().map((c) => c.path)).toEqual(['/v3.0/oa/message/template', '/message/template'])
    expect(z.templatesDelivered()).toMatchObject([{ route: 'phone', phone: '84912345678' }])
  })

  it('one template per change on the phone, however many routes lead there', async () => {
    const { z, say, register, setStatus, pass } = await start({ ZALO_TEMPLATE_RESULT: '412345 ma_ho_so=code phone-only' })
    await register(CODE, { zaloConsent: true })
    await say(CODE)
    await say(`#a:ds:${CODE}`)
    await say(CODE, OTHER)
    await say(`#a:ds:${CODE}`, OTHER)
    await pass(8 * DAY)
    await setStatus(CODE, { status: 9 })
    expect(z.templatesDelivered()).toEqual([{ route: 'phone', phone: '84912345678', templateId: '412345', data: { ma_ho_so: CODE }, trackingId: expect.any(String) }])
  })

  it('logs ids, routes and prices of template messages, never the phone, the token or the citizen\'s words', async () => {
    const { app, z, say, register, setStatus, subscribeWithConsent, pass } = await start({}, { captureLogs: true })
    await register(CODE, { zaloConsent: true })
    await subscribeWithConsent(CODE)
    await say('cho em hỏi số 0912345678 có đúng không')
    await pass(8 * DAY)
    await setStatus(CODE, { status: 9 })
    expect(z.templatesDelivered().map((m) => m.route)).toEqual(['uid', 'phone'])
    const logs = app.logs.join('\n')
    expect(logs).toContain('template sent')
    expect(logs).toContain('"route":"phone"')
    for (const secret of ['0912345678', '84912345678', z.tokens.accessToken, 'cho em hỏi']) expect(logs).not.toContain(secret)
  })

  it('a template Zalo has not approved is undeliverable with that reason', async () => {
    const { z, register, setStatus, notifications } = await start()
    await register(CODE, { zaloConsent: true })
    z.respondNextTemplate(-131, 'Template not approved')
    await setStatus(CODE, { status: 9 })
    expect((await notifications()).items).toMatchObject([{ code: CODE, reason: 'template-not-approved', kind: 'result', to: 'zalo-phone' }])
    expect(z.templatesDelivered()).toEqual([])
  })

  it('a kind without its own template uses ZALO_TEMPLATE_UPDATE, filled in formal wording', async () => {
    const { z, register, setStatus } = await start()
    await register(CODE, { zaloConsent: true })
    await setStatus(CODE, { status: 5, missingDocuments: ['Bản sao giấy khai sinh'] })
    expect(z.templatesDelivered()).toEqual([{
      route: 'phone',
      phone: '84912345678',
      templateId: '412346',
      data: {
        ma_ho_so: CODE,
        thu_tuc: 'Đăng ký tạm trú',
        trang_thai: 'Yêu cầu bổ sung giấy tờ',
        buoc_tiep: 'Đề nghị bổ sung giấy tờ tại nơi nộp hồ sơ; danh sách giấy tờ có khi tra cứu hồ sơ bằng mã tra cứu.',
      },
      trackingId: expect.any(String),
    }])
  })
})
