import { createRequire } from 'node:module'
import { connect } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { createTestApp } from '../helpers/app.ts'

type TestApp = Awaited<ReturnType<typeof createTestApp>>
let t: TestApp | undefined
afterEach(async () => { await t?.close(); t = undefined })

describe('security headers (issue 12, hole 6)', () => {
  it('sends a CSP fitting the web chat, nosniff, a referrer policy, HSTS and same-origin framing by default', async () => {
    t = await createTestApp()
    const res = await t.app.inject({ url: '/' })
    expect(res.statusCode).toBe(200)
    const csp = String(res.headers['content-security-policy'])
    expect(csp).toContain("default-src 'self'")
    expect(csp).toContain("script-src 'self'")
    expect(csp).toContain("connect-src 'self'")
    expect(csp).toContain("object-src 'none'")
    expect(csp).toContain("frame-ancestors 'self'")
    expect(csp).not.toContain('unsafe-inline')
    expect(res.headers['x-content-type-options']).toBe('nosniff')
    expect(res.headers['referrer-policy']).toBe('strict-origin-when-cross-origin')
    expect(res.headers['strict-transport-security']).toMatch(/max-age=31536000/)
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN')
    const api = await t.app.inject({ url: '/api/fields' })
    expect(api.headers['x-content-type-options']).toBe('nosniff')
  })

  it('lets the commune site in FRAME_ANCESTORS embed the chat', async () => {
    t = await createTestApp({ FRAME_ANCESTORS: 'https://xa-hoa-tu.soctrang.gov.vn' })
    const res = await t.app.inject({ url: '/' })
    expect(String(res.headers['content-security-policy'])).toContain('frame-ancestors https://xa-hoa-tu.soctrang.gov.vn')
    expect(res.headers['x-frame-options']).toBeUndefined()
  })

  it('refuses a FRAME_ANCESTORS value that is not an origin', async () => {
    await expect(createTestApp({ FRAME_ANCESTORS: "https://a.vn; script-src 'unsafe-inline'" })).rejects.toThrow(/FRAME_ANCESTORS/)
  })
})

describe('@fastify/static (issue 12, hole 7)', () => {
  it('is at least 10.x (path-traversal advisories fixed)', () => {
    const require = createRequire(import.meta.url)
    const { version } = require('@fastify/static/package.json') as { version: string }
    expect(Number(version.split('.')[0])).toBeGreaterThanOrEqual(10)
  })

  it('does not serve files outside the public folder', async () => {
    t = await createTestApp()
    for (const url of ['/../../../package.json', '/%2e%2e/%2e%2e/%2e%2e/package.json', '/..%2f..%2f..%2fpackage.json', '/%2e%2e%5c%2e%2e%5cpackage.json']) {
      const res = await t.app.inject({ url })
      expect(res.body, url).not.toContain('"tro-giup-than-thien"')
    }
  })
})

describe('server timeouts (issue 12, hole 5)', () => {
  it('closes a connection that trickles its request body', async () => {
    t = await createTestApp({}, undefined, { timeouts: { request: 1000, headers: 1000 } })
    await t.app.listen({ port: 0, host: '127.0.0.1' })
    const addr = t.app.server.address()
    if (addr === null || typeof addr === 'string') throw new Error('no address')
    const socket = connect(addr.port, '127.0.0.1')
    const started = Date.now()
    let received = ''
    socket.on('data', (d) => { received += d.toString() })
    socket.write('POST /api/chat HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{')
    const timer = setInterval(() => { if (!socket.destroyed) socket.write(' ') }, 100)
    const closedAfter = await new Promise<number>((resolve) => {
      socket.on('close', () => resolve(Date.now() - started))
      socket.on('error', () => {})
      setTimeout(() => resolve(-1), 8000)
    })
    clearInterval(timer)
    socket.destroy()
    expect(closedAfter).toBeGreaterThan(0)
    expect(closedAfter).toBeLessThan(4000)
    expect(received === '' || received.startsWith('HTTP/1.1 408')).toBe(true)
  })

  it('has request, header, idle and keep-alive timeouts by default', async () => {
    t = await createTestApp()
    const s = t.app.server
    expect(s.requestTimeout).toBeGreaterThan(0)
    expect(s.requestTimeout).toBeLessThanOrEqual(60_000)
    expect(s.headersTimeout).toBeLessThanOrEqual(s.requestTimeout)
    expect(s.keepAliveTimeout).toBeLessThanOrEqual(10_000)
    expect(s.timeout).toBeGreaterThan(0)
  })

  it('refuses request bodies over the route\'s limit', async () => {
    t = await createTestApp()
    const big = JSON.stringify({ sessionId: 'session-big-1', text: 'x'.repeat(70 * 1024) })
    const res = await t.app.inject({ method: 'POST', url: '/api/chat', headers: { 'content-type': 'application/json' }, payload: big })
    expect(res.statusCode).toBe(413)
    const staff = await t.app.inject({ method: 'PUT', url: '/api/staff/dossiers/000.00.04.H51-260302-0001', headers: { 'content-type': 'application/json' }, payload: big })
    expect(staff.statusCode).toBe(413)
  })
})
