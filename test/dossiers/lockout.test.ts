import { describe, expect, it } from 'vitest'
import { createMemoryAttemptStore } from '../../src/dossiers/attempt-store.ts'
import { createDossierService } from '../../src/dossiers/service.ts'
import { createMemoryAuditLog } from '../../src/dossiers/audit.ts'
import { createMemoryDossierStore } from '../../src/dossiers/store.ts'
import { CODE, dossierBody, fakeClock, fakeOutbox, realCalendar, realCatalogue } from './helpers.ts'

/** Phone ends in 5678, lookup code K7M2QX (see helpers). */
const RIGHT = 'K7M2QX'

async function setup (attempts = createMemoryAttemptStore(), clock = fakeClock('2026-03-02T09:00:00+07:00')) {
  const service = createDossierService({
    store: createMemoryDossierStore(), catalogue: realCatalogue(), calendar: realCalendar(), outbox: fakeOutbox(), now: clock.now, audit: createMemoryAuditLog(), attempts,
  })
  await service.upsert(CODE, dossierBody(), 'lan')
  return { service, clock, attempts }
}

describe('lock-out: an attacker cannot lock out the owner (issue 12, hole 2)', () => {
  it('the owner gets in at once although 50 other clients gave 5 wrong factors each', async () => {
    const { service } = await setup()
    for (let ip = 0; ip < 50; ip++) {
      for (let i = 0; i < 5; i++) await service.verify(CODE, `ZZ${i}ZZZ`, `ip:203.0.113.${ip}`)
    }
    expect((await service.verify(CODE, RIGHT, 'ip:198.51.100.1')).result).toBe('ok')
    expect((await service.verify(CODE, '5678', 'telegram:424242')).result).toBe('ok')
  })

  it('under a spread-out attack every client is slowed (1 try per 5 min), never hard-locked', async () => {
    const { service, clock } = await setup()
    for (let ip = 0; ip < 25; ip++) await service.verify(CODE, 'ZZZZZZ', `ip:203.0.113.${ip}`)
    // a new client's first wrong factor now costs it 5 minutes
    expect(await service.verify(CODE, 'YYYYYY', 'ip:198.51.100.2')).toEqual({ result: 'locked', retryAfterSeconds: 300 })
    expect((await service.verify(CODE, RIGHT, 'ip:198.51.100.2')).result).toBe('locked')
    clock.advance(5 * 60_000 + 1000)
    expect((await service.verify(CODE, RIGHT, 'ip:198.51.100.2')).result).toBe('ok')
    // and a client that has not failed may always try
    expect((await service.verify(CODE, RIGHT, 'ip:198.51.100.3')).result).toBe('ok')
  })

  it('a verified session is never delayed by others\' failures (nor by its own typo)', async () => {
    const { service } = await setup()
    const first = await service.verify(CODE, RIGHT, 'ip:198.51.100.9')
    if (first.result !== 'ok') throw new Error(first.result)
    for (let ip = 0; ip < 250; ip++) await service.verify(CODE, 'ZZZZZZ', `ip:203.0.113.${ip % 250}`)
    expect((await service.verify(CODE, 'TYPO00', 'ip:198.51.100.9', first.session)).result).toBe('wrong')
    expect((await service.verify(CODE, RIGHT, 'ip:198.51.100.9', first.session)).result).toBe('ok')
    // the same typo without the session: delayed
    expect((await service.verify(CODE, 'TYPO00', 'ip:198.51.100.10')).result).toBe('locked')
    // a forged or foreign session does not help
    expect((await service.verify(CODE, RIGHT, 'ip:198.51.100.10', `${Date.now() + 3600_000}.AAAA`)).result).toBe('locked')
  })

  it('waits grow with repeated failures from one client (15 min, then 1 h)', async () => {
    const { service, clock } = await setup()
    for (let i = 0; i < 5; i++) await service.verify(CODE, 'ZZZZZZ', 'ip:203.0.113.1')
    clock.advance(15 * 60_000 + 1000)
    const r = []
    for (let i = 0; i < 5; i++) r.push(await service.verify(CODE, 'ZZZZZZ', 'ip:203.0.113.1'))
    expect(r.at(-1)).toEqual({ result: 'locked', retryAfterSeconds: 3600 })
  })

  it('counters live in the attempt store: a restarted service keeps the delay', async () => {
    const attempts = createMemoryAttemptStore()
    const clock = fakeClock('2026-03-02T09:00:00+07:00')
    const a = await setup(attempts, clock)
    for (let i = 0; i < 5; i++) await a.service.verify(CODE, 'ZZZZZZ', 'ip:203.0.113.1')
    const b = await setup(attempts, clock)
    expect((await b.service.verify(CODE, RIGHT, 'ip:203.0.113.1')).result).toBe('locked')
  })
})

describe('memory attempt store', () => {
  it('counts failures in (at - window, at] and forgets a key on clear', async () => {
    const s = createMemoryAttemptStore()
    expect(await s.recordFailure('k', 1000, 500)).toBe(1)
    expect(await s.recordFailure('k', 1400, 500)).toBe(2)
    expect(await s.recordFailure('k', 1500, 500)).toBe(2)
    expect(await s.countFailures('k', 1500, 1000)).toBe(3)
    expect(await s.countFailures('k', 1400, 400)).toBe(1)
    expect(await s.countFailures('other', 1500, 1000)).toBe(0)
    await s.clear('k')
    expect(await s.countFailures('k', 1500, 1000)).toBe(0)
  })

  it('stays bounded per key and in keys', async () => {
    const s = createMemoryAttemptStore({ maxPerKey: 10, maxKeys: 100 })
    for (let i = 0; i < 50; i++) await s.recordFailure('k', i, 1000)
    expect(await s.countFailures('k', 49, 1000)).toBe(10)
    for (let i = 0; i < 500; i++) await s.recordFailure(`k${i}`, 100, 1000)
    expect(await s.countFailures('k499', 100, 1000)).toBe(1)
  })
})
