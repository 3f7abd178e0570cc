import { describe, expect, it } from 'vitest'
import { maskName, matchesFactor, newLookupCode, normalizePhone } from '../../src/dossiers/privacy.ts'
import { CODE, dossierBody, makeService } from './helpers.ts'

describe('maskName', () => {
  it.each([
    ['Nguyễn Văn An', 'N*** V*** A'],
    ['  trần   thị   bích ngọc ', 'T*** T*** B*** N'],
    ['Thạch Thị Sa Quênh', 'T*** T*** S*** Q'],
    ['Ứng', 'Ứ***'],
    ['', '***'],
  ])('%j → %j', (name, masked) => {
    expect(maskName(name)).toBe(masked)
  })
})

describe('second factor', () => {
  it.each([
    ['K7M2QX', true], ['k7m2qx', true], [' k7m2 qx ', true], ['5678', true],
    ['K7M2QY', false], ['1234', false], ['', false], ['0912345678', false],
  ])('%j matches: %s', (factor, ok) => {
    expect(matchesFactor(factor, 'K7M2QX', '0912345678')).toBe(ok)
  })

  it.each([
    ['0912 345 678', '0912345678'], ['+84 912.345.678', '0912345678'], ['84912345678', '0912345678'], ['12345', null],
  ])('normalizes the phone %j', (raw, expected) => {
    expect(normalizePhone(raw)).toBe(expected)
  })
})

describe('anonymous view and verification', () => {
  it('shows no full name and no phone without the second factor', async () => {
    const { service } = makeService()
    await service.upsert(CODE, dossierBody({ note: 'Ghi chú nội bộ' }), 'lan')
    const view = await service.publicView(CODE)
    expect(view?.applicant).toBe('N*** V*** A')
    const json = JSON.stringify(view)
    expect(json).not.toMatch(/Nguyễn|Văn An|0912|345678|K7M2QX|Ghi chú/)
    expect(view).not.toHaveProperty('history')
  })

  it('gives history, documents to add and the full name with the lookup code or the last 4 phone digits', async () => {
    const { service } = makeService()
    await service.upsert(CODE, dossierBody(), 'lan')
    await service.updateStatus(CODE, { status: 5, missingDocuments: ['Bản sao giấy khai sinh'] }, 'lan')
    for (const factor of ['k7m2qx', '5678']) {
      const r = await service.verify(CODE, factor, 'ip:1.2.3.4')
      if (r.result !== 'ok') throw new Error(`expected ok, got ${r.result}`)
      expect(r.view.applicantName).toBe('Nguyễn Văn An')
      expect(r.view.history.map((h) => h.status)).toEqual([2, 5])
      expect(r.view.missingDocuments).toEqual(['Bản sao giấy khai sinh'])
      expect(JSON.stringify(r.view)).not.toMatch(/0912|345678/)
    }
  })

  it('delays a client for 15 minutes after five wrong factors, whatever the factor then', async () => {
    const { service, clock } = makeService()
    await service.upsert(CODE, dossierBody(), 'lan')
    const results = []
    for (let i = 0; i < 5; i++) results.push(await service.verify(CODE, `WRONG${i}`, 'ip:10.0.0.1'))
    expect(results.map((r) => r.result)).toEqual(['wrong', 'wrong', 'wrong', 'wrong', 'locked'])
    expect(results[0]).toEqual({ result: 'wrong', attemptsLeft: 4 })
    expect(results[4]).toEqual({ result: 'locked', retryAfterSeconds: 900 })
    expect((await service.verify(CODE, 'K7M2QX', 'ip:10.0.0.1')).result).toBe('locked')
    clock.advance(15 * 60_000 + 1000)
    expect((await service.verify(CODE, 'K7M2QX', 'ip:10.0.0.1')).result).toBe('ok')
  })

  it('forgets wrong factors older than the window', async () => {
    const { service, clock } = makeService()
    await service.upsert(CODE, dossierBody(), 'lan')
    for (let i = 0; i < 4; i++) await service.verify(CODE, 'WRONG1', 'ip:1')
    clock.advance(16 * 60_000)
    expect(await service.verify(CODE, 'WRONG1', 'ip:1')).toEqual({ result: 'wrong', attemptsLeft: 4 })
  })

  it('delays only the code that was guessed at, and audit-logs the slow-down', async () => {
    const { service, audit } = makeService()
    const other = '000.00.04.H51-260302-0002'
    await service.upsert(CODE, dossierBody(), 'lan')
    await service.upsert(other, dossierBody(), 'lan')
    for (let i = 0; i < 5; i++) await service.verify(CODE, 'WRONG1', 'ip:1')
    expect((await service.verify(other, 'K7M2QX', 'ip:1')).result).toBe('ok')
    expect((await audit.recent(5)).map((e) => e.action)).toContain('slow-down')
  })

  it('answers not_found for an unknown code', async () => {
    const { service } = makeService()
    expect(await service.verify(CODE, 'K7M2QX', 'ip:1')).toEqual({ result: 'not_found' })
    expect(await service.publicView(CODE)).toBeNull()
  })
})

describe('newLookupCode', () => {
  it('always mixes letters and digits from the unambiguous alphabet (an all-letter code reads as a word in the chat)', () => {
    for (let i = 0; i < 2000; i++) {
      const c = newLookupCode()
      expect(c).toMatch(/^[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{6}$/)
      expect(c).toMatch(/\d/)
      expect(c).toMatch(/[A-Z]/)
    }
  })
})
