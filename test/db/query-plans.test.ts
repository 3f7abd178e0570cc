import SQLite from 'better-sqlite3'
import pg from 'pg'
import { expect, it } from 'vitest'
import { SQLITE_FILE } from '../../src/db/connect.ts'
import { createDossierStore } from '../../src/db/dossier-store.ts'
import { createOutboxStore, type OutboxRow } from '../../src/db/outbox-store.ts'
import { createTestApp, STAFF_TOKEN } from '../helpers/app.ts'
import { describeEachEngine, TEST_DATABASE_URL } from '../helpers/db.ts'
import { dossierCode, storedDossier } from '../helpers/dossier-fixture.ts'
import { startFakeTelegram, telegramUpdates } from '../helpers/fake-telegram.ts'
import { captureStatements, type SentStatement } from '../helpers/statements.ts'

const SENT = 20_000
const SECRET = 'plans_secret_0123456789'
const control = /^\s*(begin|commit|rollback|savepoint|release|set |select pg_advisory|select 1\b)/i

/** Table scans in SQLite's plan of `s` (scans of a WITH table, already narrowed by its own plan, excepted). */
function sqliteScans (raw: SQLite.Database, s: SentStatement): string[] {
  const ctes = [...s.sql.matchAll(/(?:\bwith|,)\s+"(\w+)"\s+as\s+\(/gi)].map((m) => m[1] ?? '')
  const withNames = new Set([...ctes, ...ctes.flatMap((c) => [...s.sql.matchAll(new RegExp(`"${c}"\\s+as\\s+"(\\w+)"`, 'g'))].map((m) => m[1] ?? ''))])
  const plan = raw.prepare(`EXPLAIN QUERY PLAN ${s.sql}`).all(s.parameters) as Array<{ detail: string }>
  return plan.map((r) => r.detail).filter((d) => /^SCAN \w+$/.test(d) && !withNames.has(d.slice(5)))
}

/** Sequential scans in PostgreSQL's plan of `s` when it may use any index it has (enable_seqscan off). */
async function pgScans (client: pg.Client, s: SentStatement): Promise<string[]> {
  await client.query('BEGIN')
  try {
    await client.query('SET LOCAL enable_seqscan = off')
    const r = await client.query<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }>(`EXPLAIN (FORMAT JSON) ${s.sql}`, s.parameters)
    const scans: string[] = []
    const walk = (n: PlanNode): void => {
      if (n['Node Type'] === 'Seq Scan') scans.push(`Seq Scan on ${n['Relation Name'] ?? '?'}`)
      for (const c of n.Plans ?? []) walk(c)
    }
    walk(r.rows[0]!['QUERY PLAN'][0]!.Plan)
    return scans
  } finally {
    await client.query('ROLLBACK')
  }
}
interface PlanNode { 'Node Type': string, 'Relation Name'?: string, Plans?: PlanNode[] }

describeEachEngine('query plans of the hot paths', ({ engine, open }) => {
  it(`a webhook, the delivery of its reply, a dossier lookup and a status update read through indexes only, with ${SENT.toLocaleString('en')} sent messages kept`, async () => {
    const t = await open()
    const now = Date.now()
    const history = Array.from({ length: SENT }, (_, i): OutboxRow => ({ seq: 0, id: `hist-${i}`, channel: 'telegram', userId: String(i % 500), kind: 'reply', replies: [{ text: 'Dạ.' }], status: 'sent', delivered: 1, attempts: 0, createdAt: now, updatedAt: now, nextAttemptAt: 0, dedupeKey: `hist:${i}` }))
    await createOutboxStore(t.db).importRows(history)
    await createDossierStore(t.db).putMany(Array.from({ length: 2000 }, (_, i) => storedDossier(dossierCode(i), 4, [{ channel: 'telegram', userId: '4242' }])))
    if (engine === 'sqlite') await t.db.close()

    const telegram = await startFakeTelegram()
    const url = new URL(TEST_DATABASE_URL)
    url.searchParams.set('options', `-c search_path=${t.schema ?? ''}`)
    const { app, services, close } = await createTestApp({
      DATA_DIR: t.dataDir,
      TELEGRAM_BOT_TOKEN: telegram.token,
      TELEGRAM_WEBHOOK_SECRET: SECRET,
      TELEGRAM_API_ROOT: telegram.url,
      ...(engine === 'postgres' ? { DATABASE_URL: url.toString() } : {}),
    })
    try {
      const sent = await captureStatements(async () => {
        const hook = await app.inject({ method: 'POST', url: '/webhooks/telegram', headers: { 'x-telegram-bot-api-secret-token': SECRET }, payload: telegramUpdates.text('đăng ký tạm trú', { updateId: 9001 }) })
        expect(hook.statusCode).toBe(200)
        const lookup = await app.inject({ url: `/api/dossiers/${encodeURIComponent(dossierCode(7))}` })
        expect(lookup.statusCode).toBe(200)
        const status = await app.inject({ method: 'POST', url: `/api/staff/dossiers/${encodeURIComponent(dossierCode(8))}/status`, headers: { authorization: `Bearer ${STAFF_TOKEN}` }, payload: { status: 9 } })
        expect(status.statusCode).toBe(200)
        await services.outbox.idle()
      })
      expect(telegram.messages().length).toBeGreaterThanOrEqual(2)
      const statements = [...new Map(sent.filter((s) => !control.test(s.sql)).map((s) => [s.sql, s])).values()]
      // The paths above touch the dossier, the outbox and the webhook's own tables.
      for (const table of ['dossiers', 'outbox', 'seen_updates', 'conversations', 'audit']) {
        expect(statements.some((s) => s.sql.includes(`"${table}"`)), table).toBe(true)
      }
      const scans: string[] = []
      if (engine === 'sqlite') {
        const raw = new SQLite(`${t.dataDir}/${SQLITE_FILE}`, { readonly: true })
        try { for (const s of statements) scans.push(...sqliteScans(raw, s).map((d) => `${d}: ${s.sql}`)) } finally { raw.close() }
      } else {
        const client = new pg.Client({ connectionString: url.toString() })
        await client.connect()
        try { for (const s of statements) scans.push(...(await pgScans(client, s)).map((d) => `${d}: ${s.sql}`)) } finally { await client.end() }
      }
      expect(scans).toEqual([])
    } finally {
      await close()
      await telegram.close()
    }
  })
})
