import { sql } from 'kysely'
import { beforeEach, expect, it } from 'vitest'
import { createAuditStore, createDossierStore } from '../../src/db/dossier-store.ts'
import { migrateToLatest, suffixExpression } from '../../src/db/migrations.ts'
import type { Dossier } from '../../src/dossiers/types.ts'
import { createDossierService } from '../../src/dossiers/service.ts'
import { realCalendar, realCatalogue } from '../dossiers/helpers.ts'
import { describeEachEngine, type TestDb } from '../helpers/db.ts'
import { dossierCode, storedDossier } from '../helpers/dossier-fixture.ts'
import { captureStatements } from '../helpers/statements.ts'

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

  it('knows which dossiers a chat user follows, as subscribers come and go (put and putMany)', async () => {
    const store = createDossierStore(t.db)
    const zalo = { channel: 'zalo' as const, userId: '8400001' }
    await store.put(storedDossier(code(1), 2, [zalo, { channel: 'web', userId: 'session-1' }]), { subscribers: true })
    await store.putMany([storedDossier(code(2), 2, [zalo]), storedDossier(code(3), 2, [{ channel: 'telegram', userId: '8400001' }])])
    expect(await store.subscriptionsOf('zalo', '8400001')).toEqual([code(1), code(2)])
    // A write that keeps the subscribers leaves the index as it is.
    await store.put(storedDossier(code(1), 4, [zalo, { channel: 'web', userId: 'session-1' }]))
    expect(await store.subscriptionsOf('zalo', '8400001')).toEqual([code(1), code(2)])
    await store.put(storedDossier(code(1), 4, [{ channel: 'web', userId: 'session-1' }]), { subscribers: true })
    const again = createDossierStore(await t.reopen())
    expect(await again.subscriptionsOf('zalo', '8400001')).toEqual([code(2)])
    expect(await again.subscriptionsOf('web', 'session-1')).toEqual([code(1)])
    expect(await again.subscriptionsOf('telegram', '8400001')).toEqual([code(3)])
  })

  it('migration 0006 indexes the subscribers of dossiers stored before it', async () => {
    const store = createDossierStore(t.db)
    await store.put(storedDossier(code(1), 2, [{ channel: 'zalo', userId: 'z1' }, { channel: 'telegram', userId: 't1' }]))
    await store.put(storedDossier(code(2), 2, [{ channel: 'zalo', userId: 'z1' }]))
    // As if 0006 had never run: its tables and column gone, the dossiers as the older code wrote them.
    const k = t.db.kysely
    for (const table of ['dossier_subscriptions', 'zalo_template_usage', 'zalo_template_sends'] as const) await k.schema.dropTable(table).execute()
    await k.schema.alterTable('outbox').dropColumn('notice').execute()
    await k.schema.alterTable('outbox').dropColumn('lane').execute()
    await k.deleteFrom('schema_migrations' as never).where('name' as never, '=', '0006-zalo-templates' as never).execute()
    expect(await migrateToLatest(k, t.db.engine)).toEqual(['0006-zalo-templates'])
    expect(await store.subscriptionsOf('zalo', 'z1')).toEqual([code(1), code(2)])
    expect(await store.subscriptionsOf('telegram', 't1')).toEqual([code(1)])
  })

  it('audit: keeps entries across a reopen, newest first, limited', async () => {
    const audit = createAuditStore(t.db)
    await audit.append({ at: '2026-03-02T09:00:00+07:00', staff: 'lan', action: 'create', code: code(1), details: {} })
    await audit.append({ at: '2026-03-02T09:05:00+07:00', staff: 'hung', action: 'status', code: code(1), details: { status: 4, changed: ['status'] } })
    const again = createAuditStore(await t.reopen())
    expect((await again.recent()).map((e) => e.staff)).toEqual(['hung', 'lan'])
    expect(await again.recent(1)).toEqual([{ at: '2026-03-02T09:05:00+07:00', staff: 'hung', action: 'status', code: code(1), details: { status: 4, changed: ['status'] } }])
  })

  it('commits a dossier and its audit entry together, and neither when the entry cannot be written', async () => {
    const store = createDossierStore(t.db)
    const audit = createAuditStore(t.db)
    const entry = { at: '2026-03-02T09:05:00+07:00', staff: 'lan', action: 'status', code: code(1), details: { status: 4 } }
    await store.putAudited?.(dossier(code(1), 4), entry)
    expect((await store.get(code(1)))?.status).toBe(4)
    expect(await audit.recent()).toEqual([entry])
    const broken = { ...entry, staff: null as unknown as string }
    await expect(store.putAudited?.(dossier(code(1), 9), broken)).rejects.toThrow()
    expect((await store.get(code(1)))?.status).toBe(4)
    expect(await audit.recent()).toEqual([entry])
  })

  it('a subscription change commits the dossier, its subscription rows and its audit entry together', async () => {
    const store = createDossierStore(t.db)
    const audit = createAuditStore(t.db)
    await store.put(dossier(code(1), 2))
    const entry = { at: '2026-03-02T09:05:00+07:00', staff: 'citizen', action: 'subscribe', code: code(1), details: { channel: 'zalo' } }
    const followed = { ...dossier(code(1), 2), subscribers: [{ channel: 'zalo' as const, userId: 'z9' }] }
    await store.putAudited!(followed, entry, { subscribers: true })
    expect(await store.subscriptionsOf('zalo', 'z9')).toEqual([code(1)])
    expect(await audit.recent()).toEqual([entry])
    // Without the option the subscription rows are left as they were (an ordinary write).
    await store.putAudited!({ ...followed, subscribers: [] }, { ...entry, action: 'status' })
    expect(await store.subscriptionsOf('zalo', 'z9')).toEqual([code(1)])
    await store.putAudited!({ ...followed, subscribers: [] }, { ...entry, action: 'unsubscribe' }, { subscribers: true })
    expect(await store.subscriptionsOf('zalo', 'z9')).toEqual([])
  })

  it('a status update through the service is one commit: the dossier and its audit entry', async () => {
    const store = createDossierStore(t.db)
    const audit = createAuditStore(t.db)
    await store.put(dossier(code(1), 2))
    const service = createDossierService({ store, audit, catalogue: realCatalogue(), calendar: realCalendar(), now: () => new Date('2026-03-03T10:00:00+07:00') })
    const sent = await captureStatements(() => service.updateStatus(code(1), { status: 4 }, 'lan'))
    expect(sent.filter((s) => /^\s*commit/i.test(s.sql))).toHaveLength(1)
    expect((await store.get(code(1)))?.status).toBe(4)
    expect(await audit.recent()).toMatchObject([{ staff: 'lan', action: 'status', code: code(1), details: { status: 4, changed: ['status'] } }])
  })
})
