import { expect, it } from 'vitest'
import { createTestApp } from '../helpers/app.ts'
import { describeEachEngine, TEST_DATABASE_URL } from '../helpers/db.ts'
import { signIn } from '../staff/helpers.ts'
import { startFakeZalo, zaloEnv, zaloEvents, signZaloEvent } from '../helpers/fake-zalo.ts'
import type { TicketDetail, TicketSummary } from '../../src/handoff/service.ts'

const T0 = Date.parse('2026-12-08T09:00:00+07:00')

describeEachEngine('two officers claim the same ticket', ({ engine, open }) => {
  it('exactly one wins; the other is told who has it and cannot reply or close it', async () => {
    const env: Record<string, string> = {}
    if (engine === 'postgres') {
      const db = await open()
      const url = new URL(TEST_DATABASE_URL)
      url.searchParams.set('options', `-c search_path=${db.schema}`)
      env.DATABASE_URL = url.toString()
    }
    const started = Date.now()
    const t = await createTestApp(env, () => T0 + (Date.now() - started))
    try {
      for (const name of ['lan', 'hung']) await t.services.staff!.accounts.put(name, `mat-khau-${name}-1`, 'officer', 'test')
      const opened = await t.app.inject({ method: 'POST', url: '/api/chat', payload: { sessionId: `race-${engine}-1`, text: 'cho tôi nói chuyện với người thật' } })
      expect(opened.json<{ replies: Array<{ text: string }> }>().replies[0]!.text).toContain('chuyển yêu cầu')
      const lan = await signIn(t.app, 'lan', 'mat-khau-lan-1')
      const hung = await signIn(t.app, 'hung', 'mat-khau-hung-1')
      const [ticket] = (await t.app.inject({ url: '/api/staff/tickets', headers: lan.headers() })).json<{ items: TicketSummary[] }>().items
      const claim = (who: typeof lan) => t.app.inject({ method: 'POST', url: `/api/staff/tickets/${ticket!.id}/claim`, headers: who.headers() })
      const [a, b] = await Promise.all([claim(lan), claim(hung)])
      expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409])
      const [won, lost] = a.statusCode === 200 ? [lan, hung] : [hung, lan]
      const winner = a.statusCode === 200 ? 'lan' : 'hung'
      const refusal = (a.statusCode === 409 ? a : b).json<{ error: string, message: string, claimedBy: string }>()
      expect(refusal).toEqual({ error: 'taken', claimedBy: winner, message: `Cán bộ ${winner} đã nhận yêu cầu này; Anh/Chị không trả lời được.` })

      const reply = (who: typeof lan, text: string) => t.app.inject({ method: 'POST', url: `/api/staff/tickets/${ticket!.id}/reply`, headers: who.headers(), payload: { text } })
      expect((await reply(lost, 'tôi trả lời luôn')).statusCode).toBe(409)
      expect((await t.app.inject({ method: 'POST', url: `/api/staff/tickets/${ticket!.id}/close`, headers: lost.headers() })).statusCode).toBe(409)
      expect((await reply(won, 'Dạ, em là cán bộ một cửa.')).statusCode).toBe(200)
      const detail = (await t.app.inject({ url: `/api/staff/tickets/${ticket!.id}`, headers: won.headers() })).json<TicketDetail>()
      expect(detail.messages.filter((m) => m.author === 'staff').map((m) => m.staff)).toEqual([winner])
      // Bad input gets a clear answer.
      expect((await reply(won, '   ')).statusCode).toBe(400)
      expect((await reply(won, 'x'.repeat(2001))).statusCode).toBe(400)
      expect((await t.app.inject({ method: 'POST', url: '/api/staff/tickets/abc/claim', headers: won.headers() })).statusCode).toBe(404)
      expect((await t.app.inject({ method: 'POST', url: '/api/staff/tickets/99999/claim', headers: won.headers() })).statusCode).toBe(404)
      expect((await t.app.inject({ method: 'POST', url: `/api/staff/tickets/${ticket!.id}/send`, headers: won.headers(), payload: { procedure: 'khong-co' } })).statusCode).toBe(400)
      expect((await t.app.inject({ url: '/api/staff/tickets' })).statusCode).toBe(401)
      const audit = (await t.app.inject({ url: '/api/staff/audit?limit=20', headers: won.headers() })).json<Array<{ staff: string, action: string }>>()
      expect(audit.filter((e) => e.action.startsWith('ticket-')).map((e) => [e.staff, e.action])).toEqual([[winner, 'ticket-reply'], [winner, 'ticket-claim']])
    } finally {
      await t.close()
    }
  })
})

describeEachEngine('Zalo reply window on a ticket', ({ engine, open }) => {
  it('shows the 48 h / 7 day window; after 7 days the officer is told to phone', async () => {
    const zalo = await startFakeZalo()
    const ids = { appId: '5550001112223334445', oaSecretKey: 'window-oa-secret', appSecret: 'window-app-secret' }
    const env: Record<string, string> = { ...zaloEnv(zalo, ids) }
    if (engine === 'postgres') {
      const db = await open()
      const url = new URL(TEST_DATABASE_URL)
      url.searchParams.set('options', `-c search_path=${db.schema}`)
      env.DATABASE_URL = url.toString()
    }
    let clock = Date.now()
    const t = await createTestApp(env, () => clock)
    try {
      const { payload, headers } = signZaloEvent(zaloEvents.text(ids.appId, 'zalo-window-user', 'gặp cán bộ'), ids.appId, ids.oaSecretKey)
      expect((await t.app.inject({ method: 'POST', url: '/webhooks/zalo', headers: { ...headers, 'content-type': 'application/json' }, payload })).statusCode).toBe(200)
      const bearer = { authorization: 'Bearer test-staff-token-0123456789' }
      let items: TicketSummary[] = []
      for (let i = 0; i < 100 && items.length === 0; i++) {
        items = (await t.app.inject({ url: '/api/staff/tickets', headers: bearer })).json<{ items: TicketSummary[] }>().items
        if (items.length === 0) await new Promise((resolve) => setTimeout(resolve, 20))
      }
      const id = items[0]!.id
      const window = async () => (await t.app.inject({ url: `/api/staff/tickets/${id}`, headers: bearer })).json<TicketDetail>().zalo
      expect(await window()).toMatchObject({ window: 'free', canReply: true })
      clock += 3 * 24 * 3600_000
      expect(await window()).toMatchObject({ window: 'paid', canReply: true })
      clock += 5 * 24 * 3600_000
      expect(await window()).toMatchObject({ window: 'closed', canReply: false })
      const r = await t.app.inject({ method: 'POST', url: `/api/staff/tickets/${id}/reply`, headers: bearer, payload: { text: 'Dạ chào Anh/Chị' } })
      expect(r.statusCode).toBe(409)
      expect(r.json()).toMatchObject({ error: 'outside_window', message: expect.stringContaining('gọi điện') })
    } finally {
      await t.close()
      await zalo.close()
    }
  })
})
