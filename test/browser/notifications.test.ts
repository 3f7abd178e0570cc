import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { createTestApp, STAFF_TOKEN } from '../helpers/app.ts'
import { DESK, openInBrowser, screenshotter, signIn } from '../helpers/browser.ts'
import { startFakeZalo, zaloEnv, zaloTemplateEnv, type FakeZalo } from '../helpers/fake-zalo.ts'

const ZALO = { appId: '1234567890123456789', oaSecretKey: 'oa-secret-key-for-tests', appSecret: 'app-secret-for-tests' }
const NO_ZALO = '000.00.04.H51-261202-0301'
const SENT = '000.00.04.H51-261202-0302'
const WAITING = '000.00.04.H51-261202-0303'
const LATER = '000.00.04.H51-261202-0304'
const NEW = '000.00.04.H51-261202-0305'
const bearer = { authorization: `Bearer ${STAFF_TOKEN}` }
const shot = screenshotter()

let browser: Browser
let base: string
let zalo: FakeZalo
let t: Awaited<ReturnType<typeof createTestApp>>
let staff: Page

beforeAll(async () => {
  zalo = await startFakeZalo({ appId: ZALO.appId, appSecret: ZALO.appSecret })
  t = await createTestApp({ ...zaloEnv(zalo, ZALO), ...zaloTemplateEnv(zalo, { ZALO_TEMPLATE_DAILY_LIMIT: '1' }) })
  await t.services.staff!.accounts.put('lan', 'mat-khau-lan-1', 'officer', 'test')
  const put = async (code: string, name: string, phone: string, zaloConsent: boolean) => {
    const r = await t.app.inject({ method: 'PUT', url: `/api/staff/dossiers/${code}`, headers: bearer, payload: { procedure: 'dang-ky-khai-sinh', applicantName: name, phone, receivedAt: '2026-12-02T09:00:00+07:00', status: 2, zaloConsent } })
    expect(r.statusCode, r.body).toBe(201)
  }
  const done = async (code: string) => {
    expect((await t.app.inject({ method: 'POST', url: `/api/staff/dossiers/${code}/status`, headers: bearer, payload: { status: 9 } })).statusCode).toBe(200)
    await t.services.outbox.idle()
  }
  await put(NO_ZALO, 'Lê Văn Cường', '0912000301', true)
  await put(SENT, 'Trần Thị Bình', '0912000302', true)
  await put(WAITING, 'Phạm Thị Dung', '0912000303', true)
  await put(LATER, 'Võ Văn Em', '0912000304', false)
  zalo.respondNextTemplate(-118, 'Zalo account not existed')
  await done(NO_ZALO)
  await done(SENT)
  await done(WAITING)
  ;({ base, browser } = await openInBrowser(t.app))
  staff = await browser.newPage({ viewport: DESK })
})

afterAll(async () => {
  await browser?.close()
  await t?.close()
  await zalo?.close()
})

describe('notifications that did not arrive, in the console', () => {
  it('lists what could not be delivered (to phone) and what waits, with the month\'s template count and cost', async () => {
    await signIn(staff, base, 'lan', 'mat-khau-lan-1')
    await staff.click('#nav a[href="#notifications"]')
    await staff.locator('#template-usage').waitFor()
    expect(await staff.locator('#usage-count').textContent()).toBe('1 tin')
    expect(await staff.locator('#usage-cost').textContent()).toMatch(/^300\s?đ$/)
    expect(await staff.locator('#template-usage').textContent()).toMatch(/ngân sách 500\.000\s?đ/)
    expect(await staff.locator('#usage-today').textContent()).toContain('Hôm nay: 1/1 tin')
    const bad = staff.locator('#undeliverable tbody tr')
    await expect.poll(() => bad.count()).toBe(1)
    expect(await bad.first().textContent()).toContain(NO_ZALO)
    expect(await bad.first().textContent()).toContain('Lê Văn Cường')
    expect(await bad.first().textContent()).toContain('Số điện thoại chưa dùng Zalo')
    expect(await bad.first().locator('a[href^="tel:"]').getAttribute('href')).toBe('tel:0912000301')
    const waiting = staff.locator('#queued tbody tr')
    expect(await waiting.count()).toBe(1)
    expect(await waiting.first().textContent()).toContain(WAITING)
    expect(await waiting.first().textContent()).toContain('sẽ tự gửi lại ngày mai')
    expect(await staff.locator('#undeliverable').textContent()).not.toContain(SENT)
    await shot(staff, '9-thong-bao')
  })

  it('records the citizen\'s consent at the desk on the dossier page', async () => {
    await staff.goto(`${base}/staff#hs/${encodeURIComponent(LATER)}`)
    const box = staff.locator('#zalo-consent')
    await box.waitFor()
    expect(await box.isChecked()).toBe(false)
    await box.check()
    await expect.poll(() => staff.locator('#zalo-consent-state').textContent()).toContain('Đã ghi nhận đồng ý')
    const detail = await t.app.inject({ url: `/api/staff/dossiers/${LATER}`, headers: bearer })
    expect(detail.json()).toMatchObject({ notifications: { deskConsent: { staff: 'lan' } } })
    await staff.reload()
    await staff.locator('#zalo-consent').waitFor()
    expect(await staff.locator('#zalo-consent').isChecked()).toBe(true)
    await staff.locator('#zalo-consent').uncheck()
    await expect.poll(() => staff.locator('#zalo-consent-state').textContent()).toContain('không đồng ý')
    expect((await t.app.inject({ url: `/api/staff/dossiers/${LATER}`, headers: bearer })).json()).toMatchObject({ notifications: { deskConsent: null } })
  })

  it('records the consent when registering a new dossier', async () => {
    await staff.goto(`${base}/staff#receive`)
    await staff.fill('#code', NEW)
    await staff.fill('#procedure-search', 'đăng ký khai sinh')
    const first = staff.locator('#procedures input[type=radio]').first()
    await first.waitFor()
    await first.check()
    await expect.poll(() => staff.inputValue('#due')).not.toBe('')
    await staff.fill('#name', 'Đặng Thị Giang')
    await staff.fill('#phone', '0912000305')
    await staff.check('#receive-zalo-consent')
    await staff.click('#receive button[type=submit]')
    await expect.poll(() => staff.locator('#lookup').textContent()).toMatch(/^[A-Z0-9]{4,12}$/)
    expect((await t.app.inject({ url: `/api/staff/dossiers/${NEW}`, headers: bearer })).json()).toMatchObject({ notifications: { deskConsent: { staff: 'lan' } } })
  })
})
