import { afterEach, describe, expect, it } from 'vitest'
import { createTestApp, STAFF_TOKEN } from '../helpers/app.ts'
import { signIn } from './helpers.ts'

const CODE = '000.00.04.H51-260302-0001'
const dossier = { procedure: 'dang-ky-tam-tru', applicantName: 'Nguyễn Văn An', phone: '0912345678', receivedAt: '2026-03-02T09:00:00+07:00', status: 2 }

let close: (() => Promise<void>) | undefined
afterEach(async () => { await close?.(); close = undefined })

async function setup (now?: () => number) {
  const t = await createTestApp({}, now)
  close = t.close
  const accounts = t.services.staff?.accounts
  if (accounts === undefined) throw new Error('no staff console')
  await accounts.put('lan', 'mat-khau-lan-1', 'officer', 'test')
  await accounts.put('admin', 'mat-khau-admin-1', 'admin', 'test')
  return { ...t, accounts }
}

describe('staff sign-in', () => {
  it('sets an httpOnly SameSite cookie; the session answers username, role and a CSRF token', async () => {
    const { app } = await setup()
    const res = await app.inject({ method: 'POST', url: '/api/staff/login', payload: { username: 'Lan', password: 'mat-khau-lan-1' } })
    expect(res.statusCode).toBe(200)
    const cookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith('staff_session='))
    expect(cookie).toMatch(/HttpOnly/i)
    expect(cookie).toMatch(/SameSite=Strict/i)
    const s = await signIn(app, 'lan', 'mat-khau-lan-1')
    const session = await app.inject({ url: '/api/staff/session', headers: s.headers(false) })
    expect(session.json()).toEqual({ username: 'lan', role: 'officer', csrfToken: expect.any(String) })
    expect((await app.inject({ url: '/api/staff/session' })).statusCode).toBe(401)
  })

  it('needs x-csrf-token on unsafe requests made with the cookie (403 without), not with a bearer token', async () => {
    const { app } = await setup()
    const s = await signIn(app, 'lan', 'mat-khau-lan-1')
    const url = `/api/staff/dossiers/${CODE}`
    expect((await app.inject({ method: 'PUT', url, headers: s.headers(false), payload: dossier })).statusCode).toBe(403)
    expect((await app.inject({ method: 'PUT', url, headers: { ...s.headers(false), 'x-csrf-token': 'forged' }, payload: dossier })).statusCode).toBe(403)
    expect((await app.inject({ method: 'PUT', url, headers: s.headers(), payload: dossier })).statusCode).toBe(201)
    const bearer = await app.inject({ method: 'PUT', url, headers: { authorization: `Bearer ${STAFF_TOKEN}` }, payload: { ...dossier, status: 4 } })
    expect(bearer.statusCode).toBe(200)
    const audit = await app.inject({ url: '/api/staff/audit', headers: s.headers(false) })
    expect(audit.json<Array<{ staff: string, action: string }>>().map((e) => `${e.staff}:${e.action}`)).toEqual(expect.arrayContaining(['lan:create', 'tester:update', 'lan:login']))
  })

  it('logout ends the session', async () => {
    const { app } = await setup()
    const s = await signIn(app, 'lan', 'mat-khau-lan-1')
    expect((await app.inject({ method: 'POST', url: '/api/staff/logout', headers: s.headers() })).statusCode).toBe(200)
    expect((await app.inject({ url: '/api/staff/session', headers: s.headers(false) })).statusCode).toBe(401)
  })

  it('locks a username for 15 minutes after five wrong passwords in 15 minutes, counted in the database', async () => {
    let clock = Date.parse('2026-03-02T02:00:00Z')
    const { app, services } = await setup(() => clock)
    const login = (password: string, username = 'lan') => app.inject({ method: 'POST', url: '/api/staff/login', payload: { username, password } })
    for (let i = 0; i < 4; i++) expect((await login('sai-mat-khau')).statusCode).toBe(401)
    const fifth = await login('sai-mat-khau')
    expect(fifth.statusCode).toBe(429)
    expect(Number(fifth.headers['retry-after'])).toBe(900)
    expect((await login('mat-khau-lan-1')).statusCode).toBe(429)
    expect((await login('mat-khau-admin-1', 'admin')).statusCode).toBe(200)
    // The lock is a row in the attempts table: a second service instance on the same database sees it.
    clock += 14 * 60_000
    expect((await services.staff!.accounts.login('lan', 'mat-khau-lan-1')).result).toBe('locked')
    clock += 2 * 60_000
    expect((await login('mat-khau-lan-1')).statusCode).toBe(200)
    const audit = await services.staff!.audit.recent(50)
    expect(audit.filter((e) => e.staff === 'lan' && e.action === 'login-failed')).toHaveLength(5)
    expect(audit.some((e) => e.staff === 'lan' && e.action === 'login-locked')).toBe(true)
    const admin = await app.inject({ method: 'POST', url: '/api/staff/login', payload: { username: 'admin', password: 'mat-khau-admin-1' } })
    const cookie = ([] as string[]).concat(admin.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ')
    const failed = await app.inject({ url: '/api/staff/audit?staff=lan&action=login-failed', headers: { cookie } })
    expect(failed.json<Array<{ staff: string, action: string }>>()).toHaveLength(5)
    expect(failed.json<Array<{ staff: string, action: string }>>().every((e) => e.staff === 'lan' && e.action === 'login-failed')).toBe(true)
  })

  it('spreads wrong passwords over more than 15 minutes without locking', async () => {
    let clock = Date.parse('2026-03-02T02:00:00Z')
    const { accounts } = await setup(() => clock)
    for (let i = 0; i < 8; i++) {
      expect((await accounts.login('lan', 'sai')).result).toBe('wrong')
      clock += 4 * 60_000
    }
  })
})

describe('roles', () => {
  it('only admins manage accounts', async () => {
    const { app } = await setup()
    const officer = await signIn(app, 'lan', 'mat-khau-lan-1')
    const admin = await signIn(app, 'admin', 'mat-khau-admin-1')
    expect((await app.inject({ url: '/api/staff/accounts', headers: officer.headers(false) })).statusCode).toBe(403)
    expect((await app.inject({ method: 'PUT', url: '/api/staff/accounts/binh', headers: officer.headers(), payload: { password: 'mat-khau-binh', role: 'admin' } })).statusCode).toBe(403)
    expect((await app.inject({ url: '/api/staff/accounts', headers: { authorization: `Bearer ${STAFF_TOKEN}` } })).statusCode).toBe(403)
    const created = await app.inject({ method: 'PUT', url: '/api/staff/accounts/binh', headers: admin.headers(), payload: { password: 'mat-khau-binh', role: 'officer' } })
    expect(created.statusCode).toBe(201)
    const list = await app.inject({ url: '/api/staff/accounts', headers: admin.headers(false) })
    expect(list.json<Array<{ username: string }>>().map((a) => a.username)).toEqual(['admin', 'binh', 'lan'])
    await signIn(app, 'binh', 'mat-khau-binh')
    expect((await app.inject({ method: 'POST', url: '/api/staff/accounts/binh/disabled', headers: admin.headers(), payload: { disabled: true } })).statusCode).toBe(200)
    expect((await app.inject({ method: 'POST', url: '/api/staff/login', payload: { username: 'binh', password: 'mat-khau-binh' } })).statusCode).toBe(401)
  })
})
