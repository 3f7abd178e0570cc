import { beforeEach, expect, it } from 'vitest'
import { createAuditStore, createDossierStore } from '../../src/db/dossier-store.ts'
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
