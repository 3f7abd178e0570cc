import { afterEach, beforeEach, expect, it } from 'vitest'
import { startFakeTelegram, telegramUpdates, type FakeTelegram } from '../../helpers/fake-telegram.ts'
import { createHarness, TELEGRAM_SECRET, type Harness } from '../harness.ts'

let telegram: FakeTelegram
let h: Harness
let base: string

beforeEach(async () => {
  telegram = await startFakeTelegram()
  h = await createHarness({ telegram })
  base = await h.app.listen({ host: '127.0.0.1', port: 0 })
})
afterEach(async () => {
  await h.close()
  await telegram.close()
})

const send = (update: object, secret: string) => fetch(`${base}/webhooks/telegram`, {
  method: 'POST',
  headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret },
  body: JSON.stringify(update),
})

it('over a real socket: rejects a wrong secret and answers a good update', async () => {
  const rejected = await send(telegramUpdates.text('xin chào'), 'not-the-secret')
  expect(rejected.status).toBe(401)

  const accepted = await send(telegramUpdates.text('/start p_khai-sinh'), TELEGRAM_SECRET)
  expect(accepted.status).toBe(200)
  await h.settle()
  expect(h.core.received.map((m) => m.action)).toEqual(['p:khai-sinh'])
  expect(telegram.messages().map((m) => m.text)).toEqual(['Hành động: p:khai-sinh'])
})
