import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { until } from '../helpers/wait.ts'
import type { FastifyInstance } from 'fastify'
import { loadConfig } from '../../src/config.ts'
import { createServices } from '../../src/compose.ts'
import { buildApp } from '../../src/app.ts'
import type { Services } from '../../src/services.ts'
import { startFakeTelegram, telegramErrors, telegramUpdates, type FakeTelegram } from '../helpers/fake-telegram.ts'
import { signZaloEvent, startFakeZalo, zaloEnv, zaloEvents, zaloTemplateEnv, type FakeZalo } from '../helpers/fake-zalo.ts'
import { createManualClock } from '../outbox/manual-clock.ts'

const SECRET = 'notify_secret-token_0123456789'
const STAFF = 'notify-staff-token-0123456789'
const CODE = '000.00.04.H51-261127-0042'

let tg: FakeTelegram
let dataDir: string
let running: { app: FastifyInstance, services: Services } | undefined

async function start (): Promise<FastifyInstance> {
  const config = loadConfig({
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    STAFF_TOKENS: `desk:${STAFF}`,
    TELEGRAM_BOT_TOKEN: tg.token,
    TELEGRAM_WEBHOOK_SECRET: SECRET,
    TELEGRAM_API_ROOT: tg.url,
  })
  const services = await createServices(config)
  const app = await buildApp(config, services, { logger: false })
  await app.ready()
  running = { app, services }
  return app
}
async function stop (): Promise<void> {
  if (running === undefined) return
  await running.app.close()
  for (const c of [...running.services.closers].reverse()) await c()
  running = undefined
}
const update = (app: FastifyInstance, payload: object) => app.inject({
  method: 'POST', url: '/webhooks/telegram', headers: { 'x-telegram-bot-api-secret-token': SECRET }, payload,
})

beforeAll(async () => {
  tg = await startFakeTelegram()
  dataDir = mkdtempSync(join(tmpdir(), 'tgtt-notify-'))
})
afterAll(async () => {
  await stop()
  await tg.close()
  rmSync(dataDir, { recursive: true, force: true })
})

describe('dossier status notifications through Telegram', () => {
  it('lookup → subscribe → status change → exactly one congratulation; a pending notice survives a restart', async () => {
    let app = await start()
    const auth = { authorization: `Bearer ${STAFF}` }
    const put = await app.inject({
      method: 'PUT',
      url: `/api/staff/dossiers/${CODE}`,
      headers: auth,
      payload: { procedure: 'dang-ky-khai-sinh', applicantName: 'Nguyễn Văn An', phone: '0912345678', receivedAt: '2026-11-27T02:00:00.000Z', status: 2 },
    })
    expect([200, 201]).toContain(put.statusCode)

    await update(app, telegramUpdates.text(`hồ sơ ${CODE} tới đâu rồi`))
    await until(() => tg.messages().some((m) => m.text.includes(CODE)))
    const lookup = tg.messages().find((m) => m.text.includes(CODE))!
    expect(lookup.text).not.toContain('Nguyễn Văn An')
    expect(lookup.text).not.toContain('0912345678')
    const subscribe = lookup.reply_markup!.inline_keyboard.flat().find((b) => b.text.includes('thông báo'))!
    await update(app, telegramUpdates.callback(subscribe.callback_data))
    await until(() => tg.messages().some((m) => /đăng ký nhận thông báo|sẽ (báo|nhắn)/i.test(m.text)))

    const before = tg.messages().length
    const st = await app.inject({ method: 'POST', url: `/api/staff/dossiers/${CODE}/status`, headers: auth, payload: { status: 9 } })
    expect(st.statusCode).toBe(200)
    await until(() => tg.messages().length > before)
    await new Promise((resolve) => setTimeout(resolve, 1500))
    const notices = tg.messages().slice(before)
    expect(notices).toHaveLength(1)
    expect(notices[0]!.text).toMatch(/chúc mừng/i)

    // The platform is down when the next change happens: the notice stays queued across a restart.
    for (let i = 0; i < 3; i++) tg.respondNext('sendMessage', telegramErrors.serverError())
    const sent = tg.messages().length
    await app.inject({ method: 'POST', url: `/api/staff/dossiers/${CODE}/status`, headers: auth, payload: { status: 10 } })
    await new Promise((resolve) => setTimeout(resolve, 200))
    await stop()
    app = await start()
    await until(() => tg.messages().length > sent, 20_000)
    await new Promise((resolve) => setTimeout(resolve, 1500))
    expect(tg.messages().slice(sent)).toHaveLength(1)

    const audit = await app.inject({ url: '/api/staff/audit', headers: auth })
    expect(JSON.stringify(audit.json())).toContain('desk')
    expect(JSON.stringify(audit.json())).not.toContain('0912345678')
  }, 60_000)
})

describe('dossier status notifications through Zalo after 8 days of silence', () => {
  const ZALO = { appId: '1234567890123456789', oaSecretKey: 'e2e-oa-secret-key', appSecret: 'e2e-app-secret' }
  const ZCODE = '000.00.04.H51-261127-0043'
  const CITIZEN = '8404382937846000043'
  let zalo: FakeZalo
  let zdir: string
  let zrunning: { app: FastifyInstance, services: Services } | undefined

  beforeAll(async () => {
    zalo = await startFakeZalo({ appId: ZALO.appId, appSecret: ZALO.appSecret })
    zdir = mkdtempSync(join(tmpdir(), 'tgtt-notify-zalo-'))
  })
  afterAll(async () => {
    if (zrunning !== undefined) {
      await zrunning.app.close()
      for (const c of [...zrunning.services.closers].reverse()) await c()
    }
    await zalo.close()
    rmSync(zdir, { recursive: true, force: true })
  })

  it('lookup → subscribe → consent in Zalo → 8 days silent → status change → one template with the dossier\'s parameters', async () => {
    const clock = createManualClock(Date.parse('2026-11-27T09:00:00+07:00'))
    const config = loadConfig({ DATA_DIR: zdir, LOG_LEVEL: 'silent', STAFF_TOKENS: `desk:${STAFF}`, ...zaloEnv(zalo, ZALO), ...zaloTemplateEnv(zalo) })
    const services = await createServices(config, clock.now, undefined, { outbox: { setTimer: clock.setTimer, paceMs: 0, pollMs: 3_600_000 } })
    const app = await buildApp(config, services, { logger: false })
    await app.ready()
    zrunning = { app, services }
    const auth = { authorization: `Bearer ${STAFF}` }
    const put = await app.inject({
      method: 'PUT',
      url: `/api/staff/dossiers/${ZCODE}`,
      headers: auth,
      payload: { procedure: 'dang-ky-khai-sinh', applicantName: 'Trần Thị Bình', phone: '0912345679', receivedAt: '2026-11-27T09:00:00+07:00', status: 2 },
    })
    expect(put.statusCode).toBe(201)
    const due = put.json<{ dueAt: string }>().dueAt
    const say = async (text: string) => {
      const before = zalo.delivered().length
      const signed = signZaloEvent(zaloEvents.text(ZALO.appId, CITIZEN, text), ZALO.appId, ZALO.oaSecretKey)
      expect((await app.inject({ method: 'POST', url: '/webhooks/zalo', headers: signed.headers, payload: signed.payload })).statusCode).toBe(200)
      await until(() => zalo.delivered().length > before)
      await services.outbox.idle()
      return zalo.delivered().slice(before)
    }
    const [lookup] = await say(`hồ sơ ${ZCODE} tới đâu rồi`)
    expect(lookup?.text).toContain(ZCODE)
    expect(lookup?.text).not.toContain('Trần Thị Bình')
    const [subscribed] = await say(`#a:ds:${ZCODE}`)
    expect(subscribed?.text).toContain('tin mẫu Zalo')
    const [consented] = await say(`#a:dz:${ZCODE}`)
    expect(consented?.text).toContain('Cảm ơn Anh/Chị')

    // Eight days without a word from the citizen: Zalo's window is closed.
    clock.advance(8 * 24 * 3600_000)
    await services.outbox.idle()
    const normalBefore = zalo.sends().length
    const st = await app.inject({ method: 'POST', url: `/api/staff/dossiers/${ZCODE}/status`, headers: auth, payload: { status: 9 } })
    expect(st.statusCode).toBe(200)
    await services.outbox.idle()
    expect(zalo.sends()).toHaveLength(normalBefore)
    expect(zalo.templatesDelivered()).toEqual([{
      route: 'uid',
      userId: CITIZEN,
      templateId: '412345',
      data: {
        ma_ho_so: ZCODE,
        thu_tuc: 'Đăng ký khai sinh',
        trang_thai: 'Đã xử lý xong',
        ngay_hen: `${due.slice(8, 10)}/${due.slice(5, 7)}/${due.slice(0, 4)}`,
        buoc_tiep: 'Kết quả đã sẵn sàng. Đề nghị mang giấy tiếp nhận hồ sơ và căn cước đến nơi nộp hồ sơ để nhận.',
      },
    }])
    // The same change is never sent twice, even when staff save it again.
    await app.inject({ method: 'POST', url: `/api/staff/dossiers/${ZCODE}/status`, headers: auth, payload: { status: 9 } })
    await services.outbox.idle()
    expect(zalo.templateSends()).toHaveLength(1)
    const list = await app.inject({ url: '/api/staff/notifications', headers: auth })
    expect(list.json()).toMatchObject({ status: 'undeliverable', items: [], templates: { count: 1, costVnd: 200 } })
    const audit = JSON.stringify((await app.inject({ url: '/api/staff/audit', headers: auth })).json())
    expect(audit).toContain('zalo-consent')
    expect(audit).not.toContain('0912345679')
  }, 60_000)
})
