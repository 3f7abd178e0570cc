import Fastify, { type FastifyInstance } from 'fastify'
import rateLimit from '@fastify/rate-limit'
import { afterEach, beforeEach, expect, it } from 'vitest'
import { openDatabase } from '../../src/db/connect.ts'
import { createRateLimitStore } from '../../src/db/rate-limit-store.ts'
import type { Db } from '../../src/db/connect.ts'
import { describeEachEngine, TEST_DATABASE_URL, type TestDb } from '../helpers/db.ts'

/** A minimal instance: one route limited to 3 requests a minute per client, counters in `db`. */
async function instance (db: Db, now: () => number): Promise<FastifyInstance> {
  const app = Fastify()
  await app.register(rateLimit, { global: false, store: createRateLimitStore(db, now) })
  app.get('/x', { config: { rateLimit: { max: 3, timeWindow: 60_000 } } }, async () => ({ ok: true }))
  await app.ready()
  return app
}

describeEachEngine('rate-limit store', ({ engine, open }) => {
  let t: TestDb
  let now = Date.UTC(2026, 2, 2, 2, 0)
  const apps: FastifyInstance[] = []
  const extra: Db[] = []
  beforeEach(async () => { t = await open(); now = Date.UTC(2026, 2, 2, 2, 0) })
  afterEach(async () => {
    for (const a of apps.splice(0)) await a.close()
    for (const d of extra.splice(0)) await d.close()
  })
  const hit = async (app: FastifyInstance): Promise<number> => (await app.inject({ url: '/x' })).statusCode

  it('counts per window, answers 429 past the limit, and starts afresh in the next window', async () => {
    const app = await instance(t.db, () => now)
    apps.push(app)
    expect([await hit(app), await hit(app), await hit(app), await hit(app)]).toEqual([200, 200, 200, 429])
    const res = await app.inject({ url: '/x' })
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0)
    now += 60_001
    expect(await hit(app)).toBe(200)
  })

  it('keeps the counters across a restart', async () => {
    const first = await instance(t.db, () => now)
    for (let i = 0; i < 3; i++) await hit(first)
    await first.close()
    const second = await instance(await t.reopen(), () => now)
    apps.push(second)
    expect(await hit(second)).toBe(429)
  })

  it('shares the counters between two instances (on PostgreSQL each with its own connection pool)', async () => {
    let other = t.db
    if (engine === 'postgres') {
      other = await openDatabase({ dataDir: t.dataDir, databaseUrl: TEST_DATABASE_URL, pgSchema: t.schema })
      extra.push(other)
    }
    const a = await instance(t.db, () => now)
    const b = await instance(other, () => now)
    apps.push(a, b)
    expect([await hit(a), await hit(b), await hit(a), await hit(b)]).toEqual([200, 200, 200, 429])
  })

  it('forgets the counters of windows older than a day, after answering the request that triggers it', async () => {
    const app = await instance(t.db, () => now)
    apps.push(app)
    expect((await app.inject({ url: '/x', remoteAddress: '10.0.0.1' })).statusCode).toBe(200)
    now += 25 * 60 * 60_000
    expect((await app.inject({ url: '/x', remoteAddress: '10.0.0.2' })).statusCode).toBe(200)
    const keys = async (): Promise<string[]> => (await t.db.kysely.selectFrom('rate_limits').select('key').execute()).map((r) => r.key)
    for (let i = 0; i < 100 && (await keys()).length > 1; i++) await new Promise((resolve) => setTimeout(resolve, 20))
    expect(await keys()).toEqual([expect.stringContaining('10.0.0.2')])
  })
})
