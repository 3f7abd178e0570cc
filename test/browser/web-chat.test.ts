import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser } from 'playwright-core'
import { createTestApp } from '../helpers/app.ts'
import { openInBrowser, PHONE } from '../helpers/browser.ts'

let browser: Browser
let base: string
let close: () => Promise<void>

beforeAll(async () => {
  const t = await createTestApp()
  close = t.close
  ;({ base, browser } = await openInBrowser(t.app))
})

afterAll(async () => {
  await browser?.close()
  await close?.()
})

describe('web chat in a real browser', () => {
  it('greets, answers a question typed without tone marks, and opens a card from a button', async () => {
    const page = await browser.newPage({ viewport: PHONE })
    await page.goto(base)
    await expect.poll(() => page.locator('.msg.bot').first().textContent()).toContain('Xin chào')

    await page.fill('#text', 'chung thuc')
    await page.press('#text', 'Enter')
    const choice = page.locator('.buttons button', { hasText: 'bản sao' }).first()
    await choice.waitFor({ timeout: 10_000 })
    await choice.click()
    await expect.poll(async () => (await page.locator('.msg.bot').allTextContents()).join('\n'), { timeout: 10_000 })
      .toMatch(/CHỨNG THỰC BẢN SAO[\s\S]*Lệ phí|CHỨNG THỰC BẢN SAO[\s\S]*Phí, lệ phí/)

    const fee = page.locator('.buttons button', { hasText: 'Lệ phí' }).last()
    await fee.click()
    await expect.poll(async () => (await page.locator('.msg.bot').last().textContent()) ?? '', { timeout: 10_000 }).toContain('2.000')
    await page.screenshot({ path: 'var/web-chat.png' }).catch(() => {})
  })

  it('toggles large text for older citizens', async () => {
    const page = await browser.newPage()
    await page.goto(base)
    const before = await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize))
    await page.click('#big')
    const after = await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize))
    expect(after).toBeGreaterThan(before)
    expect(await page.getAttribute('#big', 'aria-pressed')).toBe('true')
  })

  it('works under its Content-Security-Policy: no violation while chatting', async () => {
    const page = await browser.newPage()
    const violations: string[] = []
    page.on('console', (m) => { if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text()) })
    const res = await page.goto(base)
    expect(res?.headers()['content-security-policy']).toContain("script-src 'self'")
    await expect.poll(() => page.locator('.msg.bot').first().textContent()).toContain('Xin chào')
    await page.fill('#text', 'lam can cuoc')
    await page.press('#text', 'Enter')
    await expect.poll(async () => page.locator('.msg.bot').count(), { timeout: 10_000 }).toBeGreaterThan(1)
    await page.click('#big')
    expect(violations).toEqual([])
  })
})
