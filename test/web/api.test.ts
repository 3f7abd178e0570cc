import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, STAFF_TOKEN } from '../helpers/app.ts'

let t: Awaited<ReturnType<typeof createTestApp>>
beforeAll(async () => { t = await createTestApp() })
afterAll(async () => { await t.close() })

const chat = (body: unknown, headers: Record<string, string> = {}) => t.app.inject({
  method: 'POST',
  url: '/api/chat',
  headers: { 'content-type': 'application/json', ...headers },
  payload: typeof body === 'string' ? body : JSON.stringify(body),
})

describe('procedure API', () => {
  it('GET /healthz → 200', async () => {
    const res = await t.app.inject('/healthz')
    expect(res.statusCode).toBe(200)
    expect(res.json().status).toBe('ok')
  })

  it('searches with the public result shape', async () => {
    const res = await t.app.inject('/api/procedures/search?q=khai%20sinh&limit=2')
    expect(res.statusCode).toBe(200)
    const body = res.json()
    expect(body.query).toBe('khai sinh')
    expect(body.results.length).toBeLessThanOrEqual(2)
    expect(body.results[0]).toMatchObject({ id: 'dang-ky-khai-sinh', code: '1.001193', title: 'Đăng ký khai sinh' })
  })

  it('rejects a search without q', async () => {
    expect((await t.app.inject('/api/procedures/search')).statusCode).toBe(400)
    expect((await t.app.inject('/api/procedures/search?q=%20')).statusCode).toBe(400)
  })

  it('returns a full record, 404 for an unknown id', async () => {
    const res = await t.app.inject('/api/procedures/dang-ky-khai-sinh')
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ id: 'dang-ky-khai-sinh', field: 'Hộ tịch', documents: { submit: expect.any(Array) } })
    expect((await t.app.inject('/api/procedures/khong-co')).statusCode).toBe(404)
  })

  it('lists by field and counts fields', async () => {
    const fields = (await t.app.inject('/api/fields')).json().fields as Array<{ name: string, count: number }>
    const hoTich = fields.find((f) => f.name === 'Hộ tịch')!
    expect(hoTich.count).toBeGreaterThan(10)
    const list = (await t.app.inject(`/api/procedures?field=${encodeURIComponent('Hộ tịch')}`)).json()
    expect(list.count).toBe(hoTich.count)
    expect(list.procedures.every((p: { field: string }) => p.field === 'Hộ tịch')).toBe(true)
  })
})

describe('POST /api/chat', () => {
  it('answers a question with replies and buttons', async () => {
    const res = await chat({ sessionId: 'session-api-1', text: 'dang ky tam tru' })
    expect(res.statusCode).toBe(200)
    const { replies } = res.json()
    expect(replies[0].text).toContain('ĐĂNG KÝ TẠM TRÚ')
    expect(replies.at(-1).buttons.length).toBeGreaterThan(0)
  })

  it('handles a button action', async () => {
    const res = await chat({ sessionId: 'session-api-1', action: 's:l:dang-ky-tam-tru' })
    expect(res.json().replies[0].text).toContain('Phí, lệ phí')
  })

  it('400 on malformed JSON, missing session, wrong types', async () => {
    expect((await chat('{not json')).statusCode).toBe(400)
    expect((await chat({ text: 'x' })).statusCode).toBe(400)
    expect((await chat({ sessionId: 'short', text: 'x' })).statusCode).toBe(400)
    expect((await chat({ sessionId: 'session-api-2', text: 42 })).statusCode).toBe(400)
    expect((await chat([1, 2])).statusCode).toBe(400)
  })

  it('empty text gets a helpful reply, not an error', async () => {
    const res = await chat({ sessionId: 'session-api-3', text: '' })
    expect(res.statusCode).toBe(200)
    expect(res.json().replies[0].text).toContain('chưa nhập')
  })

  it('cuts text over 2,000 characters with a clear message', async () => {
    const res = await chat({ sessionId: 'session-api-4', text: 'x'.repeat(50_000) })
    expect(res.statusCode).toBe(200)
    expect(res.json().replies[0].text).toContain('hơi dài')
  })

  it('rate-limits one session above 60 messages a minute but allows 30', async () => {
    const codes: number[] = []
    for (let i = 0; i < 62; i++) codes.push((await chat({ sessionId: 'session-flood', text: 'xin chào' })).statusCode)
    expect(codes.slice(0, 30).every((c) => c === 200)).toBe(true)
    expect(codes.at(-1)).toBe(429)
    // Another session from the same address is still served.
    expect((await chat({ sessionId: 'session-other', text: 'xin chào' })).statusCode).toBe(200)
  })
})

describe('staff API', () => {
  it('401 without or with a wrong token', async () => {
    expect((await t.app.inject('/api/staff/unanswered')).statusCode).toBe(401)
    expect((await t.app.inject({ url: '/api/staff/unanswered', headers: { authorization: 'Bearer wrong-token-000000000' } })).statusCode).toBe(401)
  })

  it('lists unanswered questions for staff', async () => {
    await chat({ sessionId: 'session-api-5', text: 'hôm nay ăn gì' })
    const res = await t.app.inject({ url: '/api/staff/unanswered', headers: { authorization: `Bearer ${STAFF_TOKEN}` } })
    expect(res.statusCode).toBe(200)
    expect(res.json().items.some((e: { text: string }) => e.text.includes('ăn gì'))).toBe(true)
  })
})
