import { afterEach, describe, expect, it } from 'vitest'
import { createTestApp, STAFF_TOKEN } from '../helpers/app.ts'
import { MAX_UNVERIFIED_PER_CHANNEL } from '../../src/dossiers/service.ts'
import { actionFromStartPayload } from '../../bots/telegram/deep-link.ts'
import { startFakeTelegram } from '../helpers/fake-telegram.ts'

let close: (() => Promise<void>) | undefined
afterEach(async () => { await close?.(); close = undefined })

const CODE = '000.00.04.H51-260302-0001'
const bearer = { authorization: `Bearer ${STAFF_TOKEN}` }

async function setup () {
  const t = await createTestApp({}, () => Date.parse('2026-03-02T03:00:00Z'))
  close = t.close
  const put = await t.app.inject({ method: 'PUT', url: `/api/staff/dossiers/${CODE}`, headers: bearer, payload: { procedure: 'dang-ky-tam-tru', applicantName: 'Nguyễn Văn An', phone: '0912345678', receivedAt: '2026-03-02T09:00:00+07:00', status: 2, lookupCode: 'KH2M7A' } })
  const chat = async (sessionId: string, payload: Record<string, string>) =>
    (await t.app.inject({ method: 'POST', url: '/api/chat', payload: { sessionId, ...payload } })).json<{ replies: Array<{ text: string }> }>().replies.map((r) => r.text).join('\n')
  return { ...t, chat, lookupCode: put.json<{ lookupCode: string }>().lookupCode }
}

describe('web chat notifications', () => {
  it('a web subscriber finds the status change in the inbox the page polls', async () => {
    const { app, services, chat } = await setup()
    await chat('web-session-1', { action: `d:${CODE}` })
    expect(await chat('web-session-1', { action: `ds:${CODE}` })).toMatch(/Em sẽ nhắn/)
    const empty = await app.inject({ url: '/api/chat/inbox?sessionId=web-session-1&after=0' })
    expect(empty.json()).toEqual({ items: [] })
    expect((await app.inject({ method: 'POST', url: `/api/staff/dossiers/${CODE}/status`, headers: bearer, payload: { status: 9 } })).statusCode).toBe(200)
    await services.outbox.idle()
    const inbox = await app.inject({ url: '/api/chat/inbox?sessionId=web-session-1&after=0' })
    const items = inbox.json<{ items: Array<{ id: number, text: string }> }>().items
    expect(items).toHaveLength(1)
    expect(items[0]!.text).toContain(CODE)
    expect((await app.inject({ url: `/api/chat/inbox?sessionId=web-session-1&after=${items[0]!.id}` })).json()).toEqual({ items: [] })
    expect((await app.inject({ url: '/api/chat/inbox?sessionId=other-session&after=0' })).json()).toEqual({ items: [] })
    expect((await app.inject({ url: '/api/chat/inbox?sessionId=x' })).statusCode).toBe(400)
  })

  it('caps anonymous subscriptions per source, and a verified citizen still gets a slot', async () => {
    const { app, chat, lookupCode } = await setup()
    for (let i = 0; i < MAX_UNVERIFIED_PER_CHANNEL; i++) {
      await chat(`squatter-${i}x`, { action: `d:${CODE}` })
      await chat(`squatter-${i}x`, { action: `ds:${CODE}` })
    }
    const detail = async () => (await app.inject({ url: `/api/staff/dossiers/${CODE}`, headers: bearer })).json<{ notifications: { subscribers: Array<{ verified: boolean }> } }>()
    expect((await detail()).notifications.subscribers).toHaveLength(MAX_UNVERIFIED_PER_CHANNEL)
    await chat('squatter-extra', { action: `d:${CODE}` })
    await chat('squatter-extra', { action: `ds:${CODE}` })
    expect((await detail()).notifications.subscribers).toHaveLength(MAX_UNVERIFIED_PER_CHANNEL)
    await chat('citizen-web-1', { text: CODE })
    await chat('citizen-web-1', { text: lookupCode })
    await chat('citizen-web-1', { action: `ds:${CODE}` })
    const subs = (await detail()).notifications.subscribers
    expect(subs).toHaveLength(MAX_UNVERIFIED_PER_CHANNEL + 1)
    expect(subs.filter((s) => s.verified)).toHaveLength(1)
  })
})

describe('other channels offered with the subscribe button', () => {
  it('gives the Telegram deep link of the dossier when the bot username is configured', async () => {
    const bare = await createTestApp()
    expect((await bare.app.inject({ url: `/api/chat/channels?d=${CODE}` })).json()).toEqual({ zalo: false })
    await bare.close()
    const tg = await startFakeTelegram()
    const t = await createTestApp({ TELEGRAM_BOT_USERNAME: 'xa_abc_bot', TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_WEBHOOK_SECRET: 'chan_secret-token_0123456789', TELEGRAM_API_ROOT: tg.url })
    close = async () => { await t.close(); await tg.close() }
    const link = (await t.app.inject({ url: `/api/chat/channels?d=${CODE}` })).json<{ telegram: string }>().telegram
    expect(link).toMatch(/^https:\/\/t\.me\/xa_abc_bot\?start=d_/)
    expect(actionFromStartPayload(link.split('start=')[1]!)).toBe(`d:${CODE}`)
  })
})
