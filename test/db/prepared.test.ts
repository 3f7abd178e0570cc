import { sql } from 'kysely'
import { beforeEach, expect, it } from 'vitest'
import { describeEachEngine, type TestDb } from '../helpers/db.ts'

describeEachEngine('prepared queries', ({ open }) => {
  let t: TestDb
  beforeEach(async () => { t = await open() })

  const row = (code: string, status: number) => ({ code, procedure_id: 'dang-ky-tam-tru', status, updated_at: '2026-03-02T09:00:00+07:00', doc: `{"code":"${code}"}` })

  it('runs a query built once with new parameters, as the builder would, and sees later writes', async () => {
    const k = t.db.kysely
    await k.insertInto('dossiers').values([row('A-1', 2), row('A-2', 4), row('B-1', 4)]).execute()
    const byStatus = t.db.prepare(k.selectFrom('dossiers').select(['code', 'status']).where('status', '=', 0).where('code', '>=', '').orderBy('code'))
    for (const [status, from] of [[4, ''], [4, 'B'], [2, ''], [9, '']] as const) {
      const built = await k.selectFrom('dossiers').select(['code', 'status']).where('status', '=', status).where('code', '>=', from).orderBy('code').execute()
      expect(await byStatus([status, from])).toEqual(built)
    }
    expect((await byStatus([4, ''])).map((r) => r.code)).toEqual(['A-2', 'B-1'])
    await k.insertInto('dossiers').values(row('C-1', 4)).execute()
    expect((await byStatus([4, 'B'])).map((r) => r.code)).toEqual(['B-1', 'C-1'])
  })

  it('refuses a call with a different number of parameters than the query was built with', async () => {
    const byCode = t.db.prepare(t.db.kysely.selectFrom('dossiers').select('doc').where('code', '=', ''))
    await expect(byCode([])).rejects.toThrow(/0 parameters given, 1 expected/)
    await expect(byCode(['A-1', 'A-2'])).rejects.toThrow(/2 parameters given, 1 expected/)
  })

  it('never sees what another caller\'s open transaction wrote and then rolled back', async () => {
    const k = t.db.kysely
    const byCode = t.db.prepare(k.selectFrom('dossiers').select('code').where('code', '=', ''))
    let inserted!: () => void
    const wrote = new Promise<void>((resolve) => { inserted = resolve })
    let finish!: () => void
    const gate = new Promise<void>((resolve) => { finish = resolve })
    const tx = k.transaction().execute(async (trx) => {
      await trx.insertInto('dossiers').values(row('T-1', 2)).execute()
      inserted()
      await gate
      throw new Error('rolled back on purpose')
    })
    await wrote
    const read = byCode(['T-1'])
    finish()
    await expect(tx).rejects.toThrow('rolled back on purpose')
    expect(await read).toEqual([])
    expect(await byCode(['T-1'])).toEqual([])
  })

  it('keeps answering right past the statement cache bound and after the table gains a column (a migration)', async () => {
    const k = t.db.kysely
    await k.insertInto('dossiers').values(row('A-1', 2)).execute()
    const byCode = t.db.prepare(k.selectFrom('dossiers').select(['code', 'status']).where('code', '=', ''))
    expect(await byCode(['A-1'])).toEqual([{ code: 'A-1', status: 2 }])
    expect(await k.selectFrom('dossiers').selectAll().where('code', '=', 'A-1').execute()).toHaveLength(1)
    // More distinct statements than the embedded engine keeps prepared.
    for (let i = 0; i < 260; i++) expect(await k.selectFrom('dossiers').select(sql<number>`${sql.lit(i)}`.as('n')).where('code', '=', 'A-1').execute()).toEqual([{ n: i }])
    await sql`ALTER TABLE dossiers ADD COLUMN extra integer NOT NULL DEFAULT 7`.execute(k)
    const [again] = await k.selectFrom('dossiers').selectAll().where('code', '=', 'A-1').execute()
    expect(again).toMatchObject({ code: 'A-1', status: 2, extra: 7 })
    expect(await byCode(['A-1'])).toEqual([{ code: 'A-1', status: 2 }])
  })
})

describeEachEngine('relaxed commits', ({ engine, open }) => {
  it('run their statements with the relaxed durability and leave every other commit full', async () => {
    const t = await open()
    const level = async (c = t.db.kysely): Promise<string> => engine === 'sqlite'
      ? String((await sql<{ synchronous: number }>`PRAGMA synchronous`.execute(c)).rows[0]?.synchronous)
      : String((await sql<{ synchronous_commit: string }>`SHOW synchronous_commit`.execute(c)).rows[0]?.synchronous_commit)
    const full = engine === 'sqlite' ? '2' : 'on'
    const relaxed = engine === 'sqlite' ? '1' : 'off'
    expect(await level()).toBe(full)
    for (let i = 0; i < 3; i++) {
      expect(await t.db.relaxed(async (c) => await level(c))).toBe(relaxed)
      expect(await level()).toBe(full)
    }
    await expect(t.db.relaxed(async () => { throw new Error('boom') })).rejects.toThrow('boom')
    expect(await level()).toBe(full)
  })
})
