import { beforeEach, expect, it } from 'vitest'
import { createZaloTemplateStore, type TemplateSendRequest } from '../../src/db/zalo-template-store.ts'
import { describeEachEngine, type TestDb } from '../helpers/db.ts'

const T0 = Date.UTC(2026, 2, 2, 2, 0, 0)
const limits = { dailyLimit: 3, monthlyBudgetVnd: 1000, staleMs: 60_000 }
const send = (key: string, over: Partial<TemplateSendRequest> = {}): TemplateSendRequest => ({
  key, route: 'phone', kind: 'result', templateId: '412345', code: 'X', priceVnd: 300, day: '2026-03-02', month: '2026-03', at: T0, ...over,
})

describeEachEngine('zalo template store', ({ open }) => {
  let t: TestDb
  beforeEach(async () => { t = await open() })

  it('counts a confirmed send against the day and the month, once per key, across a reopen', async () => {
    const store = createZaloTemplateStore(t.db)
    expect(await store.reserve(send('A:1:phone'), limits)).toBe('reserved')
    await store.confirm('A:1:phone', 'msg-1', T0)
    expect(await store.reserve(send('A:1:phone', { at: T0 + 1 }), limits)).toBe('sent')
    const again = createZaloTemplateStore(await t.reopen())
    expect(await again.usage('2026-03', '2026-03-02')).toEqual({ month: '2026-03', count: 1, costVnd: 300, day: '2026-03-02', dayCount: 1 })
    expect(await again.usage('2026-04', '2026-04-01')).toEqual({ month: '2026-04', count: 0, costVnd: 0, day: '2026-04-01', dayCount: 0 })
  })

  it('refuses past the daily limit, and the next day counts afresh', async () => {
    const store = createZaloTemplateStore(t.db)
    for (const k of ['a', 'b', 'c']) expect(await store.reserve(send(k, { priceVnd: 1 }), limits)).toBe('reserved')
    expect(await store.reserve(send('d', { priceVnd: 1 }), limits)).toBe('quota')
    expect(await store.reserve(send('d', { priceVnd: 1, day: '2026-03-03' }), limits)).toBe('reserved')
    expect((await store.usage('2026-03', '2026-03-02')).dayCount).toBe(3)
  })

  it('refuses a send that would pass the monthly budget, without counting it', async () => {
    const store = createZaloTemplateStore(t.db)
    expect(await store.reserve(send('a', { priceVnd: 600 }), limits)).toBe('reserved')
    expect(await store.reserve(send('b', { priceVnd: 600, day: '2026-03-03' }), limits)).toBe('budget')
    expect(await store.reserve(send('c', { priceVnd: 400, day: '2026-03-03' }), limits)).toBe('reserved')
    expect(await store.usage('2026-03', '2026-03-03')).toEqual({ month: '2026-03', count: 2, costVnd: 1000, day: '2026-03-03', dayCount: 1 })
    // The refused key was not kept: it can be tried again when there is room.
    expect(await store.reserve(send('b', { priceVnd: 0, day: '2026-03-03' }), limits)).toBe('reserved')
  })

  it('uncounts a released reservation (the platform refused it, nothing billed)', async () => {
    const store = createZaloTemplateStore(t.db)
    await store.reserve(send('a'), limits)
    await store.release('a')
    expect(await store.usage('2026-03', '2026-03-02')).toMatchObject({ count: 0, costVnd: 0, dayCount: 0 })
    expect(await store.reserve(send('a'), limits)).toBe('reserved')
    await store.confirm('a', undefined, T0)
    await store.release('a')
    expect((await store.usage('2026-03', '2026-03-02')).count).toBe(1)
  })

  it('says busy while another sender holds a fresh reservation, and lets a stale one be taken over', async () => {
    const store = createZaloTemplateStore(t.db)
    expect(await store.reserve(send('a'), limits)).toBe('reserved')
    expect(await store.reserve(send('a', { at: T0 + 1000 }), limits)).toBe('busy')
    expect(await store.reserve(send('a', { at: T0 + 61_000 }), limits)).toBe('reserved')
    expect((await store.usage('2026-03', '2026-03-02')).count).toBe(1)
  })

  it('never passes the daily limit under concurrent reservations', async () => {
    const store = createZaloTemplateStore(t.db)
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => store.reserve(send(`k${i}`, { priceVnd: 10 }), limits)))
    expect(results.filter((r) => r === 'reserved')).toHaveLength(3)
    expect(results.filter((r) => r === 'quota')).toHaveLength(9)
    expect((await store.usage('2026-03', '2026-03-02')).dayCount).toBe(3)
  })

  it('stops the day when Zalo says its quota is used up', async () => {
    const store = createZaloTemplateStore(t.db)
    await store.exhaustDay('2026-03-02', limits.dailyLimit)
    expect(await store.reserve(send('a'), limits)).toBe('quota')
    expect(await store.reserve(send('a', { day: '2026-03-03' }), limits)).toBe('reserved')
  })

  it('prunes send rows and day counters of past months, keeping month totals', async () => {
    const store = createZaloTemplateStore(t.db)
    await store.reserve(send('old', { day: '2026-01-31', month: '2026-01' }), limits)
    await store.reserve(send('new'), limits)
    expect(await store.prune('2026-03')).toBe(2)
    expect(await store.usage('2026-01', '2026-01-31')).toEqual({ month: '2026-01', count: 1, costVnd: 300, day: '2026-01-31', dayCount: 0 })
    expect((await store.usage('2026-03', '2026-03-02')).count).toBe(1)
  })
})
