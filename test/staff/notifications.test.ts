import { afterEach, expect, it } from 'vitest'
import { createTestApp, STAFF_TOKEN } from '../helpers/app.ts'

let close: (() => Promise<void>) | undefined
afterEach(async () => { await close?.(); close = undefined })

const CODE = '000.00.04.H51-260302-0001'
const bearer = { authorization: `Bearer ${STAFF_TOKEN}` }

it('GET /api/staff/notifications: staff only, lists notices (not chat replies) refused by a channel with what the desk needs, no template figures without templates', async () => {
  const t = await createTestApp()
  close = t.close
  await t.app.inject({ method: 'PUT', url: `/api/staff/dossiers/${CODE}`, headers: bearer, payload: { procedure: 'dang-ky-tam-tru', applicantName: 'Nguyễn Văn An', phone: '0912345678', receivedAt: '2026-03-02T09:00:00+07:00', status: 2 } })
  expect((await t.app.inject({ method: 'POST', url: '/api/chat', payload: { sessionId: 'web-session-1', action: `ds:${CODE}` } })).statusCode).toBe(200)
  // The web "channel" refuses everything from now on (as a blocked chat would).
  t.services.outbox.register({ channel: 'web', send: async () => ({ ok: false, retry: false, reason: 'blocked-by-user' }) })
  await t.services.outbox.enqueue({ channel: 'web', userId: 'web-session-1', replies: [{ text: 'một câu trả lời' }], kind: 'reply' })
  expect((await t.app.inject({ method: 'POST', url: `/api/staff/dossiers/${CODE}/status`, headers: bearer, payload: { status: 9 } })).statusCode).toBe(200)
  await t.services.outbox.idle()
  expect((await t.app.inject({ url: '/api/staff/notifications' })).statusCode).toBe(401)
  expect((await t.app.inject({ url: '/api/staff/notifications?status=all', headers: bearer })).json()).toMatchObject({ error: 'validation', field: 'status' })
  const res = await t.app.inject({ url: '/api/staff/notifications', headers: bearer })
  expect(res.statusCode).toBe(200)
  expect(res.json()).toEqual({
    status: 'undeliverable',
    items: [{
      id: expect.any(String),
      code: CODE,
      to: 'web',
      status: 'undeliverable',
      reason: 'blocked-by-user',
      reasonText: 'Công dân đã chặn kênh nhắn tin',
      kind: 'result',
      createdAt: expect.stringMatching(/\+07:00$/),
      at: expect.stringMatching(/\+07:00$/),
      applicantName: 'Nguyễn Văn An',
      phone: '0912345678',
      procedure: 'Đăng ký tạm trú',
      statusLabel: 'Đã xử lý xong',
    }],
    templates: null,
  })
  expect((await t.app.inject({ url: '/api/staff/notifications?status=queued', headers: bearer })).json()).toEqual({ status: 'queued', items: [], templates: null })
})
