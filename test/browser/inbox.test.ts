import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { createTestApp, STAFF_TOKEN } from '../helpers/app.ts'
import { openDeskAndPhone, screenshotter, signIn } from '../helpers/browser.ts'

const CODE = '000.00.04.H51-261207-0003'
/** Monday 7 December 2026, 09:30 in Vietnam (within office hours); the clock then runs in real time. */
const T0 = Date.parse('2026-12-07T09:30:00+07:00')
const started = Date.now()

let browser: Browser
let base: string
let close: () => Promise<void>
let staff: Page
let citizen: Page

beforeAll(async () => {
  const t = await createTestApp({}, () => T0 + (Date.now() - started))
  close = t.close
  await t.services.staff!.accounts.put('lan', 'mat-khau-lan-1', 'officer', 'test')
  await t.app.inject({
    method: 'PUT',
    url: `/api/staff/dossiers/${CODE}`,
    headers: { authorization: `Bearer ${STAFF_TOKEN}` },
    payload: { procedure: 'dang-ky-khai-sinh', applicantName: 'Lê Thị Hoa', phone: '0912000333', receivedAt: '2026-12-07T08:00:00+07:00', status: 2 },
  })
  ;({ base, browser, staff, citizen } = await openDeskAndPhone(t.app))
})

afterAll(async () => {
  await browser?.close()
  await close?.()
})

const shot = screenshotter()
const botText = async (page: Page): Promise<string> => (await page.locator('.msg.bot').allTextContents()).join('\n')
const ask = async (page: Page, text: string): Promise<void> => {
  await page.fill('#text', text)
  await page.press('#text', 'Enter')
}

describe('the staff inbox in a real browser', () => {
  it('a citizen asks for a person in the web chat and is told when an officer will answer', async () => {
    await citizen.goto(base)
    await expect.poll(() => botText(citizen), { timeout: 10_000 }).toContain('Xin chào')
    await ask(citizen, 'làm giấy khai sinh cho con')
    await expect.poll(() => botText(citizen), { timeout: 10_000 }).toContain('ĐĂNG KÝ KHAI SINH')
    await ask(citizen, CODE)
    await expect.poll(() => botText(citizen), { timeout: 10_000 }).toContain('Được tiếp nhận')
    await ask(citizen, 'cho tôi gặp cán bộ')
    await expect.poll(() => botText(citizen), { timeout: 10_000 }).toContain('dự kiến trả lời Anh/Chị trước 13:30 hôm nay')
    await ask(citizen, 'con tôi sinh ở bệnh viện tỉnh khác thì làm ở đâu ạ')
    await expect.poll(() => botText(citizen), { timeout: 10_000 }).toContain('đã chuyển tin nhắn cho cán bộ')
  })

  it('the officer sees the ticket with the conversation, the card and the dossier, claims and replies; the citizen gets the answer', async () => {
    await signIn(staff, base, 'lan', 'mat-khau-lan-1')
    await expect.poll(() => staff.locator('#inbox-count').textContent()).toBe('1')
    await staff.goto(`${base}/staff#inbox`)
    const item = staff.locator('#tickets a').first()
    await item.waitFor()
    expect(await item.textContent()).toContain('Chờ nhận')
    await item.click()
    await staff.locator('#messages .line').first().waitFor()
    expect(await staff.locator('#messages').textContent()).toContain('con tôi sinh ở bệnh viện tỉnh khác')
    expect(await staff.locator('#ticket-procedure').textContent()).toContain('ĐĂNG KÝ KHAI SINH')
    expect(await staff.locator('#ticket-dossier').textContent()).toContain(CODE)
    await staff.click('#claim')
    await expect.poll(() => staff.locator('#ticket-status').textContent()).toContain('lan đang xử lý')
    await staff.fill('#reply-text', 'Dạ, Anh/Chị đăng ký khai sinh tại UBND xã nơi cư trú của cha hoặc mẹ, không cần về tỉnh nơi sinh.')
    await staff.click('#reply-send')
    await expect.poll(() => staff.locator('#messages').textContent()).toContain('không cần về tỉnh nơi sinh')
    await shot(staff, '9-hoi-can-bo')
    await expect.poll(() => botText(citizen), { timeout: 15_000, interval: 500 }).toContain('không cần về tỉnh nơi sinh')
    await shot(citizen, '10-chat-can-bo-tra-loi')
  })

  it('sends the dossier status with one click, closes; the citizen is asked whether it saved a trip; the statistics page counts it', async () => {
    await staff.click('#send-dossier')
    await expect.poll(() => staff.locator('#messages').textContent()).toContain('đã gửi tình trạng hồ sơ')
    await staff.click('#close')
    await expect.poll(() => staff.locator('#ticket-status').textContent()).toContain('Đã kết thúc')
    await expect.poll(() => botText(citizen), { timeout: 15_000, interval: 500 }).toContain('không phải đi lại')
    await citizen.locator('.buttons button', { hasText: '👍' }).last().click()
    await expect.poll(() => botText(citizen), { timeout: 10_000 }).toContain('em cảm ơn Anh/Chị')
    await staff.goto(`${base}/staff#stats`)
    const row = staff.locator('#stats tbody tr').first()
    await row.waitFor()
    expect(await row.textContent()).toContain('Tuần từ 07/12/2026')
    expect(await row.textContent()).toContain('👍 1')
    expect(await staff.locator('#stats-procedures').textContent()).toMatch(/khai sinh/i)
    await shot(staff, '11-thong-ke')
  })
})
