import { afterEach, describe, expect, it } from 'vitest'
import { actionFromStartPayload } from '../../bots/telegram/deep-link.ts'
import { startFakeTelegram } from '../helpers/fake-telegram.ts'
import { decodeQrDataUrl } from '../helpers/qr.ts'
import { createTestApp } from '../helpers/app.ts'
import { signIn } from './helpers.ts'

const CODE = '000.00.04.H51-260302-0001'
let close: (() => Promise<void>) | undefined
afterEach(async () => { await close?.(); close = undefined })

async function setup (env: Record<string, string> = {}) {
  const clock = Date.parse('2026-03-02T02:00:00Z')
  const t = await createTestApp(env, () => clock)
  close = t.close
  await t.services.staff!.accounts.put('lan', 'mat-khau-lan-1', 'officer', 'test')
  const s = await signIn(t.app, 'lan', 'mat-khau-lan-1')
  return { ...t, s }
}

describe('console API', () => {
  it('registers a dossier with the proposed due date, lists it for today and shows it with its lookup code', async () => {
    const { app, s } = await setup()
    const found = await app.inject({ url: '/api/staff/procedures?q=đăng ký tạm trú', headers: s.headers(false) })
    expect(found.json().items[0].id).toBe('dang-ky-tam-tru')
    const due = await app.inject({ url: '/api/staff/due?procedure=dang-ky-tam-tru&receivedAt=2026-03-02T09:00:00%2B07:00', headers: s.headers(false) })
    expect(due.json()).toEqual({ dueAt: '2026-03-05T09:00:00+07:00' })
    const put = await app.inject({ method: 'PUT', url: `/api/staff/dossiers/${CODE}`, headers: s.headers(), payload: { procedure: 'dang-ky-tam-tru', applicantName: 'Nguyễn Văn An', phone: '0912345678', receivedAt: '2026-03-02T09:00:00+07:00', status: 2 } })
    expect(put.statusCode).toBe(201)
    const today = await app.inject({ url: '/api/staff/dossiers?received=today', headers: s.headers(false) })
    expect(today.json().items.map((d: { code: string }) => d.code)).toEqual([CODE])
    expect((await app.inject({ url: '/api/staff/dossiers?q=nguyen van', headers: s.headers(false) })).json().total).toBe(1)
    expect((await app.inject({ url: '/api/staff/dossiers?q=5678', headers: s.headers(false) })).json().total).toBe(1)
    expect((await app.inject({ url: '/api/staff/dossiers?due=overdue', headers: s.headers(false) })).json().total).toBe(0)
    expect((await app.inject({ url: '/api/staff/dossiers?due=someday', headers: s.headers(false) })).statusCode).toBe(400)
    const detail = await app.inject({ url: `/api/staff/dossiers/${CODE}`, headers: s.headers(false) })
    expect(detail.json()).toMatchObject({ code: CODE, lookupCode: put.json().lookupCode, applicantName: 'Nguyễn Văn An', notifications: { subscribers: [], undelivered: [] } })
  })

  it('prints a slip whose QR codes open the web chat and Telegram at this dossier', async () => {
    const tg = await startFakeTelegram()
    const { app, s } = await setup({ PUBLIC_URL: 'https://hoi.xa-abc.gov.vn', COMMUNE_NAME: 'UBND xã Hòa Tú', TELEGRAM_BOT_USERNAME: 'xa_abc_bot', TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_WEBHOOK_SECRET: 'slip_secret-token_0123456789', TELEGRAM_API_ROOT: tg.url })
    const stopApp = close
    close = async () => { await stopApp?.(); await tg.close() }
    await app.inject({ method: 'PUT', url: `/api/staff/dossiers/${CODE}`, headers: s.headers(), payload: { procedure: 'dang-ky-tam-tru', applicantName: 'Nguyễn Văn An', phone: '0912345678', receivedAt: '2026-03-02T09:00:00+07:00', status: 2 } })
    const slip = await app.inject({ url: `/staff/dossiers/${CODE}/slip`, headers: s.headers(false) })
    expect(slip.statusCode).toBe(200)
    const img = (id: string) => new RegExp(`id="${id}"[^>]*src="(data:image/png;base64,[^"]+)"`).exec(slip.body)?.[1]
    expect(decodeQrDataUrl(img('qr-web') ?? '')).toBe(`https://hoi.xa-abc.gov.vn/?d=${CODE}`)
    const tgLink = decodeQrDataUrl(img('qr-telegram') ?? '')
    expect(tgLink).toMatch(/^https:\/\/t\.me\/xa_abc_bot\?start=d_/)
    // What Telegram's /start receives opens this dossier's status.
    expect(actionFromStartPayload(tgLink!.split('start=')[1]!)).toBe(`d:${CODE}`)
    expect(slip.body).toContain('Zalo')
    expect(slip.body).toContain('<p class="commune">UBND xã Hòa Tú</p>')
    expect((await app.inject({ url: `/staff/dossiers/${CODE}/slip` })).statusCode).toBe(401)
    const poster = await app.inject({ url: '/staff/posters?procedure=dang-ky-tam-tru', headers: s.headers(false) })
    const posterQr = /id="qr-poster"[^>]*src="(data:image\/png;base64,[^"]+)"/.exec(poster.body)?.[1]
    expect(decodeQrDataUrl(posterQr ?? '')).toBe('https://hoi.xa-abc.gov.vn/?p=dang-ky-tam-tru')
  })

  it('serves the console shell and its script under the CSP', async () => {
    const { app } = await setup()
    const page = await app.inject({ url: '/staff' })
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('/staff/assets/console.js')
    expect(page.body).not.toMatch(/<script>(?!<)/)
    expect((await app.inject({ url: '/staff/assets/console.js' })).statusCode).toBe(200)
  })
})
