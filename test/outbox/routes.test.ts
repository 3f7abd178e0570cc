import { afterEach, expect, it } from 'vitest'
import { createTestApp, STAFF_TOKEN } from '../helpers/app.ts'

let close: (() => Promise<void>) | undefined
afterEach(async () => { await close?.() })

it('GET /api/staff/outbox/failed lists given-up and undeliverable messages with their reason, for staff only', async () => {
  const t = await createTestApp()
  close = t.close
  t.services.outbox.register({ channel: 'telegram', send: async () => ({ ok: false, retry: false, reason: 'blocked-by-user' }) })
  await t.services.outbox.enqueue({ channel: 'telegram', userId: '42', replies: [{ text: 'Hồ sơ đã có kết quả' }], kind: 'notification' })
  await t.services.outbox.idle()
  expect((await t.app.inject({ method: 'GET', url: '/api/staff/outbox/failed' })).statusCode).toBe(401)
  const res = await t.app.inject({ method: 'GET', url: '/api/staff/outbox/failed', headers: { authorization: `Bearer ${STAFF_TOKEN}` } })
  expect(res.statusCode).toBe(200)
  expect(res.json()).toMatchObject({ items: [{ channel: 'telegram', userId: '42', kind: 'notification', status: 'undeliverable', reason: 'blocked-by-user' }] })
})
