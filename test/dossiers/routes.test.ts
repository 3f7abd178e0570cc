import Fastify, { type FastifyInstance } from 'fastify'
import { afterEach, describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config.ts'
import { createDossierPlugin } from '../../src/dossiers/routes.ts'
import type { PluginOptions } from '../../src/services.ts'
import { createStaffAuth } from '../../src/web/staff-auth.ts'
import { CODE, dossierBody, makeService, type TestService } from './helpers.ts'

const TOKEN = 'lan-token-0123456789'
const auth = { authorization: `Bearer ${TOKEN}` }
let app: FastifyInstance | undefined
afterEach(async () => { await app?.close(); app = undefined })

async function build (t: TestService = makeService()): Promise<{ app: FastifyInstance, t: TestService }> {
  const config = loadConfig({ STAFF_TOKENS: `lan:${TOKEN}` })
  app = Fastify({ logger: false })
  const opts = { services: {} as PluginOptions['services'], config, staffAuth: createStaffAuth(config.staffTokens) }
  await app.register(createDossierPlugin(t.service).register, opts)
  return { app, t }
}
async function withDossier () {
  const b = await build()
  await b.app.inject({ method: 'PUT', url: `/api/staff/dossiers/${CODE}`, headers: auth, payload: dossierBody() })
  return b
}

describe('public lookup', () => {
  it('answers the anonymous view with the name masked and no phone', async () => {
    const { app } = await withDossier()
    const res = await app.inject({ url: `/api/dossiers/${CODE}` })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({
      code: CODE,
      procedure: { id: 'dang-ky-tam-tru', title: expect.any(String) },
      receivedAt: '2026-03-02T09:00:00+07:00',
      dueAt: '2026-03-05T09:00:00+07:00',
      status: 2,
      statusLabel: 'Được tiếp nhận',
      overdue: false,
      dueSoon: false,
      nextStep: expect.stringContaining('Hồ sơ đã được tiếp nhận'),
      applicant: 'N*** V*** A',
    })
    expect(res.body).not.toMatch(/0912|345678|Nguyễn|K7M2QX/)
  })

  it('adds history and documents to add with the second factor', async () => {
    const { app } = await withDossier()
    await app.inject({ method: 'POST', url: `/api/staff/dossiers/${CODE}/status`, headers: auth, payload: { status: 5, missingDocuments: ['Sổ hộ khẩu'] } })
    const res = await app.inject({ url: `/api/dossiers/${encodeURIComponent(CODE.toLowerCase())}?verify=5678` })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ history: [{ status: 2 }, { status: 5 }], missingDocuments: ['Sổ hộ khẩu'] })
  })

  it('answers 404 for an unknown code', async () => {
    const { app } = await build()
    expect((await app.inject({ url: `/api/dossiers/${CODE}` })).statusCode).toBe(404)
  })

  it('answers 403 to wrong factors, then 429 + Retry-After to that client', async () => {
    const { app } = await withDossier()
    const codes = []
    for (let i = 0; i < 6; i++) codes.push((await app.inject({ url: `/api/dossiers/${CODE}?verify=ZZZZZZ` })).statusCode)
    expect(codes).toEqual([403, 403, 403, 403, 429, 429])
    const locked = await app.inject({ url: `/api/dossiers/${CODE}?verify=K7M2QX` })
    expect(locked.statusCode).toBe(429)
    expect(Number(locked.headers['retry-after'])).toBe(900)
    // another client (the owner) is not blocked by those failures
    expect((await app.inject({ url: `/api/dossiers/${CODE}?verify=K7M2QX`, remoteAddress: '10.9.9.9' })).statusCode).toBe(200)
  })

  it('sets a verified-session cookie whose holder is not delayed by failures from its own address', async () => {
    const { app } = await withDossier()
    const ok = await app.inject({ url: `/api/dossiers/${CODE}?verify=5678`, remoteAddress: '10.1.1.1' })
    expect(ok.statusCode).toBe(200)
    const setCookie = String(ok.headers['set-cookie'])
    expect(setCookie).toMatch(/^dossier_session=[^;]+; Path=\/api\/dossiers\/000\.00\.04\.H51-260302-0001; Max-Age=3600; HttpOnly; SameSite=Strict$/)
    const session = setCookie.split(';')[0] as string
    // someone else behind the same office address guesses wrong five times
    for (let i = 0; i < 5; i++) await app.inject({ url: `/api/dossiers/${CODE}?verify=ZZZZZZ`, remoteAddress: '10.1.1.1' })
    expect((await app.inject({ url: `/api/dossiers/${CODE}?verify=5678`, remoteAddress: '10.1.1.1' })).statusCode).toBe(429)
    expect((await app.inject({ url: `/api/dossiers/${CODE}?verify=5678`, remoteAddress: '10.1.1.1', headers: { cookie: `theme=big; ${session}` } })).statusCode).toBe(200)
  })

  it('allows 60 lookups a minute per IP and answers 429 above that', async () => {
    const { app } = await withDossier()
    const get = (ip: string) => app.inject({ url: `/api/dossiers/${CODE}`, remoteAddress: ip }).then((r) => r.statusCode)
    for (let i = 0; i < 60; i++) expect(await get('10.0.0.1')).toBe(200)
    expect(await get('10.0.0.1')).toBe(429)
    expect(await get('10.0.0.2')).toBe(200)
  })
})

describe('staff API', () => {
  it.each([
    ['PUT', `/api/staff/dossiers/${CODE}`],
    ['POST', `/api/staff/dossiers/${CODE}/status`],
    ['POST', '/api/staff/dossiers/import'],
    ['GET', '/api/staff/audit'],
  ] as const)('%s %s needs a staff token', async (method, url) => {
    const { app } = await build()
    expect((await app.inject({ method, url, payload: method === 'GET' ? undefined : {} })).statusCode).toBe(401)
  })

  it('creates (201) then updates (200) a dossier', async () => {
    const { app } = await build()
    const put = (body: Record<string, unknown>) => app.inject({ method: 'PUT', url: `/api/staff/dossiers/${CODE}`, headers: auth, payload: body })
    const created = await put(dossierBody())
    expect(created.statusCode).toBe(201)
    expect(created.json()).toEqual({ code: CODE, lookupCode: 'K7M2QX', dueAt: '2026-03-05T09:00:00+07:00', status: 2 })
    const updated = await put(dossierBody({ status: 4, dueAt: '2026-03-06T10:00:00+07:00' }))
    expect(updated.statusCode).toBe(200)
    expect(updated.json()).toMatchObject({ status: 4, dueAt: '2026-03-06T10:00:00+07:00' })
  })

  it.each([
    [{ receivedAt: 'yesterday' }, 'receivedAt'],
    [{ procedure: 'khong-co' }, 'procedure'],
    [{ status: 0 }, 'status'],
  ])('answers 400 naming the field for %j', async (over, field) => {
    const { app } = await build()
    const res = await app.inject({ method: 'PUT', url: `/api/staff/dossiers/${CODE}`, headers: auth, payload: dossierBody(over) })
    expect(res.statusCode).toBe(400)
    expect(res.json()).toMatchObject({ error: 'validation', field })
  })

  it('changes the status and answers the public view; 404 for an unknown code', async () => {
    const { app } = await withDossier()
    const res = await app.inject({ method: 'POST', url: `/api/staff/dossiers/${CODE}/status`, headers: auth, payload: { status: 9, note: 'Đã ký' } })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ code: CODE, status: 9, statusLabel: 'Đã xử lý xong', applicant: 'N*** V*** A' })
    const missing = await app.inject({ method: 'POST', url: '/api/staff/dossiers/000.00.04.H51-260302-0099/status', headers: auth, payload: { status: 4 } })
    expect(missing.statusCode).toBe(404)
  })

  it('imports CSV, with a dry run that writes nothing', async () => {
    const { app, t } = await build()
    const csv = 'code,procedure,applicantName,phone,receivedAt,dueAt,status\n' +
      `${CODE},dang-ky-tam-tru,Nguyễn Văn An,0912345678,2026-03-02T09:00:00+07:00,,2\n` +
      'bad,dang-ky-tam-tru,Nguyễn Văn B,0912345678,2026-03-02T09:00:00+07:00,,2\n'
    const post = (q: string) => app.inject({ method: 'POST', url: `/api/staff/dossiers/import${q}`, headers: { ...auth, 'content-type': 'text/csv' }, payload: csv })
    const dry = await post('?dryRun=1')
    expect(dry.json()).toEqual({ imported: 1, updated: 0, errors: [{ line: 3, message: expect.stringMatching(/^code: /) }] })
    expect(await t.store.size()).toBe(0)
    expect((await post('')).json()).toMatchObject({ imported: 1, updated: 0 })
    expect((await post('')).json()).toMatchObject({ imported: 0, updated: 0 })
    const json = await app.inject({ method: 'POST', url: '/api/staff/dossiers/import', headers: auth, payload: { csv } })
    expect(json.statusCode).toBe(415)
  })

  it('lists recent audit entries with the staff name and no phone numbers', async () => {
    const { app } = await withDossier()
    const res = await app.inject({ url: '/api/staff/audit', headers: auth })
    expect(res.json()).toEqual([{ at: expect.any(String), staff: 'lan', action: 'create', code: CODE, details: expect.any(Object) }])
    expect(res.body).not.toMatch(/0912|345678/)
  })
})
