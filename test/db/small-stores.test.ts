import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { sql } from 'kysely'
import { beforeEach, expect, it } from 'vitest'
import { openCatalogueOverlay, OVERLAY_FILE } from '../../src/catalogue/overlay.ts'
import { STATE_TTL_MS } from '../../src/conversation/state.ts'
import { createAttemptStore } from '../../src/db/attempt-store.ts'
import { createConversationStateStore, createUnansweredStore } from '../../src/db/conversation-store.ts'
import { createSeenIdsStore } from '../../src/db/seen-store.ts'
import { createStaffStore } from '../../src/db/staff-store.ts'
import { createZaloTokenStore, createZaloUserStore } from '../../src/db/zalo-store.ts'
import { openDatabase } from '../../src/db/connect.ts'
import { describeEachEngine, TEST_DATABASE_URL, type TestDb } from '../helpers/db.ts'

const T0 = Date.UTC(2026, 2, 2, 2, 0, 0)

describeEachEngine('conversation state store', ({ open }) => {
  let t: TestDb
  let now = T0
  beforeEach(async () => { t = await open(); now = T0 })

  it('keeps state per (channel, user) across a reopen and forgets idle conversations', async () => {
    const store = createConversationStateStore(t.db, () => now)
    await store.set('telegram', '42', { procedureId: 'dang-ky-khai-sinh', choices: ['a', 'b'], updatedAt: now })
    await store.set('zalo', '42', { dossierCode: 'X', updatedAt: now })
    await store.set('telegram', '42', { procedureId: 'dang-ky-ket-hon', updatedAt: now })
    const again = createConversationStateStore(await t.reopen(), () => now)
    expect(await again.get('telegram', '42')).toEqual({ procedureId: 'dang-ky-ket-hon', updatedAt: T0 })
    expect(await again.get('zalo', '42')).toEqual({ dossierCode: 'X', updatedAt: T0 })
    expect(await again.get('web', '42')).toBeUndefined()
    now += STATE_TTL_MS + 1
    expect(await again.get('telegram', '42')).toBeUndefined()
    expect(await again.prune()).toBe(2)
  })
})

describeEachEngine('unanswered store', ({ open }) => {
  let t: TestDb
  beforeEach(async () => { t = await open() })

  it('keeps redacted questions as typed, newest first, with the most frequent (tone marks or not) on top', async () => {
    const log = createUnansweredStore(t.db, () => T0)
    await log.record('nghe nhạc số 0912345678', 'zalo')
    await log.record('xem bóng đá', 'web', { reason: 'not-found' })
    await log.record('xem bong da', 'telegram', { reason: 'no-info', procedureId: 'dang-ky-khai-sinh' })
    await log.record('   ', 'web')
    await log.flush()
    const list = await createUnansweredStore(await t.reopen()).list(2)
    expect(list.total).toBe(3)
    expect(list.items).toEqual([
      { text: 'xem bong da', channel: 'telegram', at: new Date(T0).toISOString(), reason: 'no-info', procedureId: 'dang-ky-khai-sinh' },
      { text: 'xem bóng đá', channel: 'web', at: new Date(T0).toISOString(), reason: 'not-found' },
    ])
    expect(list.top[0]).toEqual({ text: 'xem bóng đá', count: 2 })
    expect(JSON.stringify([list.items.map((i) => i.text), list.top])).not.toMatch(/\d{4}/)
  })
})

describeEachEngine('unanswered store, off the reply path', ({ engine, open }) => {
  let t: TestDb
  beforeEach(async () => { t = await open() })

  it('record resolves while the table is locked by another writer; the question is written once the lock is gone', async () => {
    const log = createUnansweredStore(t.db, () => T0)
    const outcome = await t.db.kysely.transaction().execute(async (tx) => {
      // SQLite: the transaction holds the only connection; PostgreSQL: an explicit table lock.
      if (engine === 'postgres') await sql`LOCK TABLE unanswered IN EXCLUSIVE MODE`.execute(tx)
      return await Promise.race([
        log.record('xem bóng đá', 'web').then(() => 'resolved'),
        new Promise((resolve) => setTimeout(() => resolve('waited for the lock'), 1000)),
      ])
    })
    expect(outcome).toBe('resolved')
    expect((await log.list()).items.map((i) => i.text)).toEqual(['xem bóng đá'])
  })

  it('a failed write is reported with the number of questions lost, and record still resolves', async () => {
    const failures: number[] = []
    const log = createUnansweredStore(t.db, () => T0, { onError: (_err, lost) => { failures.push(lost) } })
    await t.reopen() // closes the database this log writes to
    await log.record('xem bóng đá', 'web')
    await log.record('nghe nhạc', 'web')
    await log.flush()
    expect(failures.reduce((a, b) => a + b, 0)).toBe(2)
  })
})

describeEachEngine('conversation state store, group commit', ({ open }) => {
  let t: TestDb
  beforeEach(async () => { t = await open() })

  it('sets of one turn are committed before they resolve; the last state of a user wins; reads are copies', async () => {
    const store = createConversationStateStore(t.db, () => T0)
    await Promise.all([
      ...Array.from({ length: 50 }, (_, i) => store.set('web', `session-${i}`, { procedureId: `p-${i}`, updatedAt: T0 })),
      store.set('web', 'session-7', { procedureId: 'last', choices: ['a'], updatedAt: T0 }),
    ])
    const mine = await store.get('web', 'session-7')
    mine!.choices!.push('mutated')
    expect(await store.get('web', 'session-7')).toEqual({ procedureId: 'last', choices: ['a'], updatedAt: T0 })
    const again = createConversationStateStore(await t.reopen(), () => T0)
    expect(await again.get('web', 'session-7')).toEqual({ procedureId: 'last', choices: ['a'], updatedAt: T0 })
    expect(await again.get('web', 'session-49')).toEqual({ procedureId: 'p-49', updatedAt: T0 })
    const rows = await t.db.kysely.selectFrom('conversations').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    expect(Number(rows.n)).toBe(50)
  })
})

describeEachEngine('seen update ids', ({ engine, open }) => {
  let t: TestDb
  beforeEach(async () => { t = await open() })

  it('says true once per id and source, across reopen and concurrent callers', async () => {
    const seen = createSeenIdsStore(t.db, 'telegram')
    expect(await seen.add('1')).toBe(true)
    expect(await seen.add('1')).toBe(false)
    await seen.finish('1')
    expect(await createSeenIdsStore(t.db, 'zalo').add('1')).toBe(true)
    const again = createSeenIdsStore(await t.reopen(), 'telegram')
    expect(await again.add('1')).toBe(false)
    const results = await Promise.all(Array.from({ length: 10 }, () => again.add('2')))
    expect(results.filter(Boolean)).toHaveLength(1)
  })

  it('hands an id recorded but never finished (the process died before queueing its reply) to the next process once', async () => {
    let now = T0
    const dead = createSeenIdsStore(t.db, 'telegram', { now: () => now })
    expect(await dead.add('7')).toBe(true) // … and the process dies before finish('7')
    expect(await dead.add('7')).toBe(false) // the same process never takes its own (it is still handling it)
    const next = createSeenIdsStore(await t.reopen(), 'telegram', { now: () => now })
    const other = createSeenIdsStore(t.db, 'telegram', { now: () => now })
    if (engine === 'postgres') {
      // Several instances: another live one may be handling it, so it is taken over only after 30 s.
      expect(await next.add('7')).toBe(false)
      now += 30_001
    }
    // PostgreSQL: instances receiving it at once take it exactly once. SQLite has one process per data
    // directory (so any other owner is a dead one): the new process takes it once.
    const takers = await Promise.all(engine === 'postgres' ? [next.add('7'), other.add('7'), next.add('7')] : [next.add('7'), next.add('7')])
    expect(takers.filter(Boolean)).toHaveLength(1)
    const winner = takers[1] === true && engine === 'postgres' ? other : next
    await winner.finish('7')
    now += 60_000
    // Finished: a duplicate for everyone from now on.
    expect(await createSeenIdsStore(t.db, 'telegram', { now: () => now }).add('7')).toBe(false)
    expect(await next.add('7')).toBe(false)
  })
})

describeEachEngine('attempt store', ({ open }) => {
  let t: TestDb
  beforeEach(async () => { t = await open() })

  it('counts failures per key inside the window (at - windowMs, at], across a reopen, and clears', async () => {
    const a = createAttemptStore(t.db)
    expect(await a.recordFailure('code:X', T0, 1000)).toBe(1)
    expect(await a.recordFailure('code:X', T0 + 500, 1000)).toBe(2)
    expect(await a.recordFailure('code:Y', T0 + 500, 1000)).toBe(1)
    const b = createAttemptStore(await t.reopen())
    expect(await b.countFailures('code:X', T0 + 999, 1000)).toBe(2)
    expect(await b.countFailures('code:X', T0 + 1000, 1000)).toBe(1) // T0 is now outside (at - window, at]
    expect(await b.countFailures('code:X', T0 - 1, 1000)).toBe(0) // nothing after `at` counts
    await b.clear('code:X')
    expect(await b.countFailures('code:X', T0 + 600, 1000)).toBe(0)
    expect(await b.countFailures('code:Y', T0 + 600, 1000)).toBe(1)
  })
})

describeEachEngine('zalo stores', ({ engine, open }) => {
  let t: TestDb
  beforeEach(async () => { t = await open() })

  it('seeds the token pair only once, then saves replacements', async () => {
    const s = createZaloTokenStore(t.db)
    await s.seed({ accessToken: 'a1', refreshToken: 'r1' })
    await s.seed({ accessToken: 'env', refreshToken: 'env' })
    expect(await s.get()).toEqual({ accessToken: 'a1', refreshToken: 'r1' })
    await s.save({ accessToken: 'a2', refreshToken: 'r2', expiresAt: T0, refreshedAt: T0 })
    expect(await createZaloTokenStore(await t.reopen()).get()).toEqual({ accessToken: 'a2', refreshToken: 'r2', expiresAt: T0, refreshedAt: T0 })
  })

  it('runs exclusive sections one at a time, also from a second connection pool (instance)', async () => {
    const other = engine === 'postgres' ? await openTestDbSharing(t) : undefined
    const stores = [createZaloTokenStore(t.db), createZaloTokenStore(other?.db ?? t.db)]
    let inside = 0
    let maxInside = 0
    await Promise.all(Array.from({ length: 6 }, (_, i) => stores[i % 2]!.exclusive(async () => {
      inside++
      maxInside = Math.max(maxInside, inside)
      await new Promise((resolve) => setTimeout(resolve, 20))
      inside--
    })))
    expect(maxInside).toBe(1)
    await other?.db.close()
  })

  it('keeps users\' last interactions', async () => {
    const u = createZaloUserStore(t.db)
    await u.touch('u1', T0)
    await u.touch('u1', T0 + 5)
    const again = createZaloUserStore(await t.reopen())
    expect(await again.lastInteraction('u1')).toBe(T0 + 5)
    expect(await again.lastInteraction('nobody')).toBeUndefined()
  })
})

/** A second pool on the same PostgreSQL schema (another "instance"). */
async function openTestDbSharing (t: TestDb): Promise<{ db: TestDb['db'] }> {
  return { db: await openDatabase({ dataDir: t.dataDir, databaseUrl: TEST_DATABASE_URL, pgSchema: t.schema }) }
}

describeEachEngine('staff store', ({ open }) => {
  let t: TestDb
  beforeEach(async () => { t = await open() })

  it('creates accounts once, updates them, and lists them', async () => {
    const s = createStaffStore(t.db)
    expect(await s.createAccount({ name: 'lan', passwordHash: 'h1', role: 'staff', disabled: false, createdAt: T0 })).toBe(true)
    expect(await s.createAccount({ name: 'lan', passwordHash: 'h2', role: 'admin', disabled: false, createdAt: T0 })).toBe(false)
    expect(await s.updateAccount('lan', { role: 'admin' })).toBe(true)
    expect(await s.updateAccount('nobody', { role: 'admin' })).toBe(false)
    expect(await createStaffStore(await t.reopen()).listAccounts()).toEqual([{ name: 'lan', passwordHash: 'h1', role: 'admin', disabled: false, createdAt: T0 }])
  })

  it('finds live sessions of enabled accounts only, and prunes expired ones', async () => {
    const s = createStaffStore(t.db)
    await s.createAccount({ name: 'lan', passwordHash: 'h', role: 'staff', disabled: false, createdAt: T0 })
    await s.createSession({ tokenHash: 'a', staffName: 'lan', createdAt: T0, expiresAt: T0 + 1000 })
    await s.createSession({ tokenHash: 'b', staffName: 'lan', createdAt: T0, expiresAt: T0 + 10 })
    expect(await s.getSession('a', T0 + 500)).toEqual({ tokenHash: 'a', staffName: 'lan', createdAt: T0, expiresAt: T0 + 1000 })
    expect(await s.getSession('b', T0 + 500)).toBeUndefined()
    expect(await s.pruneSessions(T0 + 500)).toBe(1)
    await s.updateAccount('lan', { disabled: true })
    expect(await s.getSession('a', T0 + 500)).toBeUndefined()
    await s.deleteSession('a')
    await s.updateAccount('lan', { disabled: false })
    expect(await s.getSession('a', T0 + 500)).toBeUndefined()
  })

  it('keeps staff-added aliases unique per procedure', async () => {
    const s = createStaffStore(t.db)
    expect(await s.addAlias({ procedureId: 'p1', alias: 'làm sổ đỏ', addedBy: 'lan', createdAt: T0 })).toBe(true)
    expect(await s.addAlias({ procedureId: 'p1', alias: 'làm sổ đỏ', addedBy: 'hung', createdAt: T0 })).toBe(false)
    expect(await s.addAlias({ procedureId: 'p2', alias: 'làm sổ đỏ', addedBy: 'hung', createdAt: T0 })).toBe(true)
    expect((await s.listAliases('p1')).map((a) => a.alias)).toEqual(['làm sổ đỏ'])
    expect(await s.removeAlias('p1', 'làm sổ đỏ')).toBe(true)
    expect(await s.listAliases()).toEqual([{ procedureId: 'p2', alias: 'làm sổ đỏ', addedBy: 'hung', createdAt: T0, id: expect.any(Number) }])
  })

  it('removes aliases by id and changes the alias version on every add and removal', async () => {
    const s = createStaffStore(t.db)
    const v0 = await s.aliasVersion()
    await s.addAlias({ procedureId: 'p1', alias: 'giấy báo tử', addedBy: 'lan', createdAt: T0 })
    const v1 = await s.aliasVersion()
    expect(v1).not.toBe(v0)
    const [a] = await s.listAliases()
    expect(await s.removeAliasById(a!.id!)).toMatchObject({ procedureId: 'p1', alias: 'giấy báo tử' })
    expect(await s.removeAliasById(a!.id!)).toBeUndefined()
    const v2 = await s.aliasVersion()
    expect(v2).not.toBe(v1)
    await s.addAlias({ procedureId: 'p1', alias: 'giấy báo tử', addedBy: 'lan', createdAt: T0 })
    expect(await s.aliasVersion()).not.toBe(v1)
    await s.setVerdict('hoi gi do', 'off-topic', 'lan', T0)
    await s.setVerdict('hoi gi do', 'taught', 'hung', T0 + 1)
    expect(await s.verdicts()).toEqual(new Map([['hoi gi do', 'taught']]))
  })
})

describeEachEngine('catalogue overlay', ({ engine, open }) => {
  it('is a readable JSON document in DATA_DIR (embedded) or a row seeded from it (PostgreSQL)', async () => {
    const t = await open()
    mkdirSync(t.dataDir, { recursive: true })
    writeFileSync(join(t.dataDir, OVERLAY_FILE), JSON.stringify({ version: 1, aliases: { p1: ['sổ đỏ'] }, phones: {}, fees: {} }))
    const overlay = await openCatalogueOverlay(t.dataDir, t.db)
    expect((await overlay.read()).aliases).toEqual({ p1: ['sổ đỏ'] })
    // A document written before hotlines and hours existed reads with them empty.
    expect((await overlay.read()).hotlines).toEqual({})
    await overlay.write({ version: 1, aliases: {}, phones: { 'ubnd-xa': '0299 123 456' }, hotlines: {}, hours: {}, fees: {} })
    const onDisk = JSON.parse(readFileSync(join(t.dataDir, OVERLAY_FILE), 'utf8')) as { phones: Record<string, string> }
    if (engine === 'sqlite') expect(onDisk.phones).toEqual({ 'ubnd-xa': '0299 123 456' })
    else expect(onDisk.phones).toEqual({})
    expect((await (await openCatalogueOverlay(t.dataDir, await t.reopen())).read()).phones).toEqual({ 'ubnd-xa': '0299 123 456' })
  })
})
