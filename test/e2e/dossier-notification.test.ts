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
