import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { until } from '../helpers/wait.ts'
import { createTestApp } from '../helpers/app.ts'
import { startFakeTelegram, telegramUpdates, TELEGRAM_CITIZEN_ID, type FakeTelegram } from '../helpers/fake-telegram.ts'
import { signZaloEvent, startFakeZalo, zaloEvents, type FakeZalo, zaloEnv } from '../helpers/fake-zalo.ts'

const SECRET = 'e2e_secret-token_0123456789'
const ZALO = { appId: '9876543210123456789', oaSecretKey: 'e2e-oa-secret-key', appSecret: 'e2e-app-secret' }

let tg: FakeTelegram
let zalo: FakeZalo
let t: Awaited<ReturnType<typeof createTestApp>>

beforeAll(async () => {
  tg = await startFakeTelegram()
  zalo = await startFakeZalo()
  t = await createTestApp({
    TELEGRAM_BOT_TOKEN: tg.token,
    TELEGRAM_WEBHOOK_SECRET: SECRET,
    TELEGRAM_API_ROOT: tg.url,
    ...zaloEnv(zalo, ZALO),
  })
})
afterAll(async () => {
  await t.close()
  await tg.close()
  await zalo.close()
})

describe('channels with the real conversation core', () => {
  it('Telegram: a question without tone marks gets the procedure card in the same chat', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/webhooks/telegram',
      headers: { 'x-telegram-bot-api-secret-token': SECRET },
      payload: telegramUpdates.text('lam giay khai sanh cho be'),
    })
    expect(res.statusCode).toBe(200)
    await until(() => tg.messages().some((m) => m.text.includes('ĐĂNG KÝ KHAI SINH')))
    const card = tg.messages().find((m) => m.text.includes('ĐĂNG KÝ KHAI SINH'))!
    expect(String(card.chat_id)).toBe(String(TELEGRAM_CITIZEN_ID))
  })

  it('Telegram: /start p_<id> opens that card (desk QR code)', async () => {
    const before = tg.messages().length
    await t.app.inject({
      method: 'POST',
      url: '/webhooks/telegram',
      headers: { 'x-telegram-bot-api-secret-token': SECRET },
      payload: telegramUpdates.text('/start p_dang-ky-tam-tru'),
    })
    await until(() => tg.messages().slice(before).some((m) => m.text.includes('ĐĂNG KÝ TẠM TRÚ')))
  })

  it('Zalo: a signed text event is answered through the OA API', async () => {
    const { payload, headers } = signZaloEvent(zaloEvents.text(ZALO.appId, 'zalo-user-1', 'đăng ký kết hôn'), ZALO.appId, ZALO.oaSecretKey)
    const res = await t.app.inject({ method: 'POST', url: '/webhooks/zalo', headers: { ...headers, 'content-type': 'application/json' }, payload })
    expect(res.statusCode).toBe(200)
    await until(() => zalo.delivered().some((m) => m.userId === 'zalo-user-1' && m.text.includes('ĐĂNG KÝ KẾT HÔN')))
  })
})
