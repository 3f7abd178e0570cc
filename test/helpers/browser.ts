import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import { chromium, type Browser, type Page } from 'playwright-core'
import { expect } from 'vitest'

/** Debian's chromium, or CHROMIUM_PATH. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
// Flags per the machine notes: no sandbox as root, and no background networking on a closed network.
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync']
/** Console screenshots kept as test artifacts (var/ is git-ignored). */
export const CONSOLE_SHOTS = join('var', 'screenshots', 'console')

/** A desk screen and a phone screen, as the browser suites use them. */
export const DESK = { width: 1280, height: 800 }
export const PHONE = { width: 390, height: 844 }

/** Starts the app on a free local port and a headless chromium; `base` is the app's address. */
export async function openInBrowser (app: FastifyInstance): Promise<{ base: string, browser: Browser }> {
  await app.listen({ port: 0, host: '127.0.0.1' })
  const addr = app.server.address()
  if (addr === null || typeof addr === 'string') throw new Error('no address')
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true })
  return { base: `http://127.0.0.1:${addr.port}`, browser }
}

/** The app in a browser with a desk screen (staff) and a phone screen (citizen), as the console suites use it. */
export async function openDeskAndPhone (app: FastifyInstance): Promise<{ base: string, browser: Browser, staff: Page, citizen: Page }> {
  const { base, browser } = await openInBrowser(app)
  return { base, browser, staff: await browser.newPage({ viewport: DESK }), citizen: await browser.newPage({ viewport: PHONE }) }
}

/** Saves a full-page screenshot `<name>.png` under `dir`. */
export function screenshotter (dir = CONSOLE_SHOTS): (page: Page, name: string) => Promise<Buffer> {
  mkdirSync(dir, { recursive: true })
  return (page, name) => page.screenshot({ path: join(dir, `${name}.png`), fullPage: true })
}

/** Signs in to the staff console at `base` and waits until the officer's name shows. */
export async function signIn (page: Page, base: string, user: string, password: string): Promise<void> {
  await page.goto(`${base}/staff`)
  await page.fill('#username', user)
  await page.fill('#password', password)
  await page.click('#login button[type=submit]')
  await expect.poll(() => page.locator('#who').textContent()).toContain(user)
}
