import { afterEach, describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config.ts'
import { redactUrl, serializeError } from '../../src/log-privacy.ts'
import { createTestApp, STAFF_TOKEN } from '../helpers/app.ts'
import { CODE, dossierBody } from '../dossiers/helpers.ts'

type TestApp = Awaited<ReturnType<typeof createTestApp>>
let t: TestApp | undefined
afterEach(async () => { await t?.close(); t = undefined })

const staff = { authorization: `Bearer ${STAFF_TOKEN}` }
async function withDossier (env: Record<string, string> = {}, captureLogs = false): Promise<TestApp> {
  t = await createTestApp(env, undefined, { captureLogs })
  const res = await t.app.inject({ method: 'PUT', url: `/api/staff/dossiers/${CODE}`, headers: staff, payload: dossierBody() })
  expect(res.statusCode).toBe(201)
  return t
}

describe('TRUST_PROXY (issue 12, hole 1)', () => {
  it('defaults to trusting nobody and accepts a hop count or proxy addresses/CIDRs', () => {
    expect(loadConfig({}).trustProxy).toBe(false)
    expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1)
    expect(loadConfig({ TRUST_PROXY: '127.0.0.1, 10.0.0.0/8,::1,fd00::/8' }).trustProxy).toEqual(['127.0.0.1', '10.0.0.0/8', '::1', 'fd00::/8'])
    expect(loadConfig({ TRUST_PROXY: 'loopback' }).trustProxy).toEqual(['loopback'])
  })

  it('refuses "true" and malformed addresses, naming the variable', () => {
    for (const bad of ['true', '10.0.0.0/33', 'proxy.example', '1.2.3', '99']) {
      expect(() => loadConfig({ TRUST_PROXY: bad }), bad).toThrow(/TRUST_PROXY/)
    }
  })

  it('keeps the dossier lookup limit (60/min per address) against a rotating spoofed X-Forwarded-For', async () => {
    const app = (await withDossier()).app
    const statuses: number[] = []
    for (let i = 0; i < 70; i++) {
      const res = await app.inject({ url: `/api/dossiers/${CODE}`, headers: { 'x-forwarded-for': `203.0.113.${i}` } })
      statuses.push(res.statusCode)
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(60)
    expect(statuses.slice(60).every((s) => s === 429)).toBe(true)
  })

  it('keeps the web chat per-IP limit against a spoofed X-Forwarded-For and fresh session ids', async () => {
    t = await createTestApp({ CHAT_RATE_PER_IP: '5' })
    const statuses: number[] = []
    for (let i = 0; i < 8; i++) {
      const res = await t.app.inject({
        method: 'POST', url: '/api/chat', headers: { 'x-forwarded-for': `198.51.100.${i}` }, payload: { sessionId: `spoof-session-${i}`, text: 'xin chào' },
      })
      statuses.push(res.statusCode)
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429, 429])
  })

  it('behind a trusted proxy, limits key on the forwarded client address', async () => {
    const app = (await withDossier({ TRUST_PROXY: '127.0.0.1' })).app
    for (let i = 0; i < 60; i++) {
      expect((await app.inject({ url: `/api/dossiers/${CODE}`, headers: { 'x-forwarded-for': '203.0.113.7' } })).statusCode).toBe(200)
    }
    expect((await app.inject({ url: `/api/dossiers/${CODE}`, headers: { 'x-forwarded-for': '203.0.113.7' } })).statusCode).toBe(429)
    // another citizen behind the same proxy is not affected
    expect((await app.inject({ url: `/api/dossiers/${CODE}`, headers: { 'x-forwarded-for': '203.0.113.8' } })).statusCode).toBe(200)
  })
})

describe('TRUST_PROXY as a hop count', () => {
  it('takes the address the proxy appended, not the client-supplied left part', async () => {
    const app = (await withDossier({ TRUST_PROXY: '1' })).app
    const get = (left: string) => app.inject({ url: `/api/dossiers/${CODE}`, headers: { 'x-forwarded-for': `${left}, 203.0.113.9` } }).then((r) => r.statusCode)
    for (let i = 0; i < 60; i++) expect(await get(`192.0.2.${i}`)).toBe(200)
    expect(await get('192.0.2.200')).toBe(429)
  })
})

describe('privacy in logs (issue 12, hole 3 and the error-message point)', () => {
  it('never logs the second factor of a dossier lookup', async () => {
    const app = await withDossier({}, true)
    const res = await app.app.inject({ url: `/api/dossiers/${CODE}?verify=Z9Q4T7` })
    expect(res.statusCode).toBe(403)
    const ok = await app.app.inject({ url: `/api/dossiers/${CODE}?verify=QX77KM&token=abc-secret-token` })
    expect([200, 403]).toContain(ok.statusCode)
    const all = app.logs.join('')
    expect(all).toContain(CODE)
    expect(all).toContain('incoming request')
    expect(all).not.toContain('Z9Q4T7')
    expect(all).not.toContain('verify=')
    expect(all).not.toContain('abc-secret-token')
    expect(all).not.toMatch(/[?&]verify|QX77KM/)
  })

  it('does not log citizens\' questions from query strings', async () => {
    t = await createTestApp({}, undefined, { captureLogs: true })
    await t.app.inject({ url: '/?q=con%20toi%20bi%20benh%20tim' })
    await t.app.inject({ url: '/api/procedures/search?q=ly%20hon%20don%20phuong&limit=3' })
    const all = t.logs.join('')
    expect(all).toContain('/api/procedures/search?q=[redacted]&limit=3')
    expect(all).not.toMatch(/benh|don%20phuong|don phuong/)
  })

  it('redacts query strings: all of /api/dossiers, secret-like values elsewhere', () => {
    expect(redactUrl('/api/dossiers/X?verify=1234')).toBe('/api/dossiers/X')
    expect(redactUrl('/api/staff/audit?limit=5&token=x&password=y&secret=z')).toBe('/api/staff/audit?limit=5&token=[redacted]&password=[redacted]&secret=[redacted]')
    expect(redactUrl('/healthz')).toBe('/healthz')
  })

  it('drops the message of engine errors that quote their input', () => {
    let err: unknown
    try { JSON.parse('{"so dien thoai": 0912345678') } catch (e) { err = e }
    let typeErr: unknown
    try { ((() => 'toi can lam so do') as () => any)().x.y = 1 } catch (e) { typeErr = e }
    const inOp = (() => { try { return 'text' in ('xin chao bi mat' as unknown as object) } catch (e) { return e } })()
    for (const e of [err, typeErr, inOp]) {
      const out = JSON.stringify(serializeError(e))
      expect(out).toMatch(/Error message redacted/)
      expect(out).not.toMatch(/0912345678|so do|bi mat/)
    }
    expect(serializeError(new Error('dossier store closed'))).toMatchObject({ message: 'dossier store closed' })
  })
})
