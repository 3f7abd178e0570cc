import { sql } from 'kysely'
import { beforeEach, expect, it } from 'vitest'
import { suffixExpression } from '../../src/db/migrations.ts'
import { createAuditStore, createDossierStore } from '../../src/db/dossier-store.ts'
import type { Dossier } from '../../src/dossiers/types.ts'
import { describeEachEngine, type TestDb } from '../helpers/db.ts'
import { dossierCode, storedDossier } from '../helpers/dossier-fixture.ts'

const code = dossierCode
const dossier = (c: string, status?: Dossier['status']): Dossier => storedDossier(c, status)

describeEachEngine('dossier store', ({ open }) => {
  let t: TestDb
  beforeEach(async () => { t = await open() })

  it('gets what was put, with history and subscribers, and nothing for an unknown code', async () => {
    const store = createDossierStore(t.db)
    const d = { ...dossier(code(1)), subscribers: [{ channel: 'telegram' as const, userId: '42', verified: true }], apology: { reason: 'Thiếu cán bộ', newDueAt: '2026-03-09T17:00:00+07:00' } }
    await store.put(d)
    expect(await store.get(code(1))).toEqual(d)
    expect(await store.get(code(2))).toBeUndefined()
  })

  it('replaces a dossier on put and counts each code once', async () => {
    const store = createDossierStore(t.db)
    await store.put(dossier(code(1), 2))
    await store.put({ ...dossier(code(1), 4), history: [{ at: '2026-03-02T09:00:00+07:00', status: 2 }, { at: '2026-03-03T09:00:00+07:00', status: 4 }] })
    await store.put(dossier(code(2)))
    expect((await store.get(code(1)))?.status).toBe(4)
    expect((await store.get(code(1)))?.history).toHaveLength(2)
    expect(await store.size()).toBe(2)
  })

  it('finds codes by what follows the agency id, through an index', async () => {
    const store = createDossierStore(t.db)
    await store.putMany([dossier('000.00.04.H51-260302-0001'), dossier('000.00.07.H51-260302-0001'), dossier('000.00.04.H51-260302-0002')])
    expect(await store.findBySuffix('260302-0001', 5)).toEqual(['000.00.04.H51-260302-0001', '000.00.07.H51-260302-0001'])
    expect(await store.findBySuffix('260302-0002', 5)).toEqual(['000.00.04.H51-260302-0002'])
    expect(await store.findBySuffix('260302-0009', 5)).toEqual([])
    expect(await store.findBySuffix('260302-0001', 1)).toHaveLength(1)
    // PostgreSQL would rather scan a three-row table; with scans off (in one transaction) it shows the index serves the query.
    const plan = t.db.engine === 'sqlite'
      ? await sql.raw(`EXPLAIN QUERY PLAN SELECT code FROM dossiers WHERE ${suffixExpression('sqlite')} = '260302-0001'`).execute(t.db.kysely)
      : await t.db.kysely.transaction().execute(async (tx) => {
        await sql.raw('SET LOCAL enable_seqscan = off').execute(tx)
        return await sql.raw(`EXPLAIN SELECT code FROM dossiers WHERE ${suffixExpression('postgres')} = '260302-0001'`).execute(tx)
      })
    expect(JSON.stringify(plan.rows)).toContain('dossiers_suffix')
  })

  it('keeps every write across a reopen', async () => {
    const store = createDossierStore(t.db)
    for (let i = 0; i < 50; i++) await store.put(dossier(code(i), 4))
    const again = createDossierStore(await t.reopen())
    expect(await again.size()).toBe(50)
    expect((await again.get(code(49)))?.status).toBe(4)
  })

  it('lists every dossier across pages, and bulk-loads with putMany', async () => {
    const store = createDossierStore(t.db)
    await store.putMany(Array.from({ length: 2100 }, (_, i) => dossier(code(i))))
    const codes: string[] = []
    for await (const d of store.list()) codes.push(d.code)
    expect(codes).toHaveLength(2100)
    expect(new Set(codes).size).toBe(2100)
  })

  it('survives concurrent puts to different codes', async () => {
    const store = createDossierStore(t.db)
    await Promise.all(Array.from({ length: 40 }, (_, i) => store.put(dossier(code(i)))))
    expect(await store.size()).toBe(40)
  })

  it('audit: keeps entries across a reopen, newest first, limited', async () => {
    const audit = createAuditStore(t.db)
    await audit.append({ at: '2026-03-02T09:00:00+07:00', staff: 'lan', action: 'create', code: code(1), details: {} })
    await audit.append({ at: '2026-03-02T09:05:00+07:00', staff: 'hung', action: 'status', code: code(1), details: { status: 4, changed: ['status'] } })
    const again = createAuditStore(await t.reopen())
    expect((await again.recent()).map((e) => e.staff)).toEqual(['hung', 'lan'])
    expect(await again.recent(1)).toEqual([{ at: '2026-03-02T09:05:00+07:00', staff: 'hung', action: 'status', code: code(1), details: { status: 4, changed: ['status'] } }])
  })
})
