import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { createTestApp } from '../helpers/app.ts'
import { CONSOLE_SHOTS, openDeskAndPhone, screenshotter } from '../helpers/browser.ts'
import { decodeQrPng } from '../helpers/qr.ts'
import { loadCatalogue } from '../../src/catalogue/load.ts'

const CODE = '000.00.04.H51-261202-0101'
const QUESTION = 'xin giấy chào đời'
const BIRTH = loadCatalogue('data').byId.get('dang-ky-khai-sinh')!.title

let browser: Browser
let base: string
let close: () => Promise<void>
let staff: Page
let citizen: Page

beforeAll(async () => {
  const t = await createTestApp()
  close = t.close
  await t.services.staff!.accounts.put('lan', 'mat-khau-lan-1', 'officer', 'test')
  ;({ base, browser, staff, citizen } = await openDeskAndPhone(t.app))
})

afterAll(async () => {
  await browser?.close()
  await close?.()
})

const shot = screenshotter()

describe('the desk console in a real browser', () => {
  it('signs in', async () => {
    await staff.goto(`${base}/staff`)
    await staff.fill('#username', 'lan')
    await staff.fill('#password', 'sai-mat-khau')
    await staff.click('#login button[type=submit]')
    await expect.poll(() => staff.locator('[role=alert]').textContent()).toContain('không đúng')
    await staff.fill('#password', 'mat-khau-lan-1')
    await staff.click('#login button[type=submit]')
    await expect.poll(() => staff.locator('#who').textContent()).toContain('lan')
    await shot(staff, '1-hom-nay')
  })

  it('registers a dossier with the procedure found by the search engine', async () => {
    await staff.goto(`${base}/staff#receive`)
    await staff.fill('#code', CODE)
    await staff.fill('#procedure-search', 'đăng ký tạm trú')
    const first = staff.locator('#procedures input[type=radio]').first()
    await first.waitFor()
    await first.check()
    await expect.poll(() => staff.inputValue('#due')).not.toBe('')
    await staff.fill('#name', 'Nguyễn Văn An')
    await staff.fill('#phone', '0912345678')
    await shot(staff, '2-tiep-nhan')
    await staff.click('#receive button[type=submit]')
    await expect.poll(() => staff.locator('#lookup').textContent()).toMatch(/^[A-Z0-9]{4,12}$/)
  })

  it('prints the slip whose QR code, decoded from a screenshot, opens the dossier in the web chat', async () => {
    await staff.click('#slip-link')
    const qr = staff.locator('#qr-web')
    await qr.waitFor()
    await shot(staff, '3-phieu-theo-doi')
    const png = await qr.screenshot({ path: join(CONSOLE_SHOTS, '3-qr.png') })
    const link = decodeQrPng(png)
    expect(link).toBe(`${base}/?d=${CODE}`)

    await citizen.goto(link!)
    await expect.poll(async () => (await citizen.locator('.msg.bot').allTextContents()).join('\n'), { timeout: 10_000 }).toContain(CODE)
    const subscribe = citizen.locator('.buttons button', { hasText: 'Nhận thông báo' }).last()
    await subscribe.click()
    await expect.poll(async () => (await citizen.locator('.msg.bot').last().textContent()) ?? '', { timeout: 10_000 }).toContain('Em sẽ nhắn')
    await shot(citizen, '4-chat-ho-so')
  })

  it('changes the status and the open chat page shows the notification', async () => {
    await staff.goto(`${base}/staff#hs/${encodeURIComponent(CODE)}`)
    await staff.locator('#status-form').waitFor()
    await staff.selectOption('#status', '9')
    await staff.fill('#note', 'Mời Anh/Chị mang CCCD đến nhận kết quả.')
    await staff.click('#status-form button[type=submit]')
    await expect.poll(() => staff.locator('#detail-status').textContent()).toContain('Đã xử lý xong')
    await shot(staff, '5-ho-so')
    await expect.poll(() => citizen.locator('.msg.notice').count(), { timeout: 25_000, interval: 500 }).toBe(1)
    expect(await citizen.locator('.msg.notice').textContent()).toContain(CODE)
    await shot(citizen, '6-chat-thong-bao')
  })

  it('uploads a CSV: preview, then import with the lookup codes to download', async () => {
    await staff.goto(`${base}/staff#import`)
    const csv = 'code,procedure,applicantName,phone,receivedAt,dueAt,status\n' +
      '000.00.04.H51-261202-0201,dang-ky-khai-sinh,Trần Thị Bình,0912345679,2026-12-02 09:10,,2\n' +
      '000.00.04.H51-261202-0202,dang-ky-tam-tru,Lê Văn Cường,0912345670,2026-12-02 09:20,,2\n' +
      'sai-ma,dang-ky-tam-tru,Lê Văn Cường,0912345670,2026-12-02 09:20,,2\n'
    await staff.setInputFiles('#csv', { name: 'ho-so.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) })
    await staff.click('#import button.secondary')
    await expect.poll(() => staff.locator('#import-result').textContent()).toContain('Thử: 2 hồ sơ mới')
    expect(await staff.locator('#import-errors').textContent()).toContain('Dòng 4: mã hồ sơ không hợp lệ')
    await staff.click('#import button[type=submit]')
    await expect.poll(() => staff.locator('#import-result').textContent()).toContain('Đã nhập: 2 hồ sơ mới')
    expect(await staff.locator('#download').getAttribute('download')).toBe('ma-tra-cuu.csv')
    await shot(staff, '7-nhap-csv')
  })

  it('attaches an unanswered question to a procedure and the bot answers it', async () => {
    await citizen.goto(base)
    await citizen.fill('#text', QUESTION)
    await citizen.press('#text', 'Enter')
    await expect.poll(async () => (await citizen.locator('.msg.bot').last().textContent()) ?? '', { timeout: 10_000 }).toContain('chưa tìm thấy')
    await staff.goto(`${base}/staff#unanswered`)
    const row = staff.locator('#unanswered tr', { hasText: QUESTION })
    await row.waitFor()
    await row.locator('input[type=search]').fill('khai sinh')
    await row.locator('input[type=search]').press('Enter')
    await expect.poll(() => row.locator('select option').first().getAttribute('value')).toBe('dang-ky-khai-sinh')
    await row.locator('button', { hasText: 'Gắn vào thủ tục' }).click()
    await expect.poll(() => row.textContent()).toContain('Đã gắn')
    await shot(staff, '8-cau-hoi-chua-tra-loi')
    await citizen.fill('#text', QUESTION)
    await citizen.press('#text', 'Enter')
    await expect.poll(async () => (await citizen.locator('.msg.bot').allTextContents()).join('\n'), { timeout: 10_000 }).toContain(BIRTH.toUpperCase().slice(0, 12))
  })
})
