// Storage benchmark, both engines: `npx tsx bench/storage.ts [--quick]` (or part of `npm run bench`, quick).
// Per engine and size: bulk-load dossiers (batched inserts in one transaction), then a fresh child process
// opens the store (start-up), measures lookups (service.publicView) and status updates (service.updateStatus,
// each committed) and reports its peak RSS. Outbox: enqueue→sent throughput with a no-op sender, and
// Telegram webhook latency (real app, fake Bot API) before and after 100,000 sent messages in the table.
// PostgreSQL: BENCH_DATABASE_URL or TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test), one fresh schema per run.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import pg from 'pg'
import { buildApp } from '../src/app.ts'
import { loadCatalogue } from '../src/catalogue/load.ts'
import { createServices } from '../src/compose.ts'
import { loadConfig } from '../src/config.ts'
import { openDatabase, type Engine } from '../src/db/connect.ts'
import { createAuditStore, createDossierStore } from '../src/db/dossier-store.ts'
import { createOutboxStore, type OutboxRow } from '../src/db/outbox-store.ts'
import { createCalendar } from '../src/dossiers/calendar.ts'
import { loadHolidays } from '../src/dossiers/holidays.ts'
import { createDossierService } from '../src/dossiers/service.ts'
import type { Dossier } from '../src/dossiers/types.ts'
import { createOutbox } from '../src/outbox/outbox.ts'
import { startFakeTelegram, telegramUpdates } from '../test/helpers/fake-telegram.ts'

const PG_URL = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
const LOOKUPS = 20_000
const UPDATES = 500
const PROCEDURES = ['dang-ky-tam-tru', 'dang-ky-khai-sinh', 'dang-ky-thuong-tru', 'chung-thuc-ban-sao']
const code = (i: number): string => `000.00.${String(10 + (i % 80)).padStart(2, '0')}.H13-26${String(1 + (i % 12)).padStart(2, '0')}${String(1 + (i % 28)).padStart(2, '0')}-${String(i).padStart(7, '0')}`

function sample (i: number): Dossier {
  const at = '2026-03-02T09:00:00+07:00'
  return {
    code: code(i),
    procedureId: PROCEDURES[i % PROCEDURES.length] ?? 'dang-ky-tam-tru',
    applicantName: 'Nguyễn Thị Thu Hương',
    phone: `09${String(10_000_000 + i).slice(-8)}`,
    receivedAt: at,
    dueAt: '2026-03-05T09:00:00+07:00',
    status: 4,
    history: [{ at, status: 1 }, { at, status: 2, label: 'Đã tiếp nhận' }, { at, status: 4, note: 'Đang thẩm định hồ sơ' }],
    missingDocuments: [],
    lookupCode: 'K7M2QX',
    subscribers: [{ channel: 'zalo', userId: String(1_000_000_000 + i) }],
    updatedAt: at,
  }
}

const p = (sorted: number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0
const ms = (x: number): string => x < 10 ? x.toFixed(3) : x.toFixed(0)
const mb = (x: number): string => (x / 2 ** 20).toFixed(0)

/** A fresh place for one engine: a temp dir, plus a new schema on PostgreSQL. */
async function place (engine: Engine): Promise<{ dataDir: string, databaseUrl?: string, pgSchema?: string, drop: () => Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-storage-'))
  if (engine === 'sqlite') return { dataDir, drop: async () => rmSync(dataDir, { recursive: true, force: true }) }
  const pgSchema = `bench_${process.pid}_${Date.now().toString(36)}`
  return {
    dataDir,
    databaseUrl: PG_URL,
    pgSchema,
    async drop () {
      rmSync(dataDir, { recursive: true, force: true })
      const c = new pg.Client({ connectionString: PG_URL })
      await c.connect()
      try { await c.query(`DROP SCHEMA IF EXISTS ${pgSchema} CASCADE`) } finally { await c.end() }
    },
  }
}

/** Child side: open, look up, update; prints one JSON line. */
async function measure (dataDir: string, databaseUrl: string, pgSchema: string, n: number): Promise<void> {
  const t0 = performance.now()
  const db = await openDatabase({ dataDir, databaseUrl: databaseUrl === '' ? undefined : databaseUrl, pgSchema: pgSchema === '' ? undefined : pgSchema })
  const store = createDossierStore(db)
  const startMs = performance.now() - t0
  const catalogue = loadCatalogue('data')
  const calendar = createCalendar(loadHolidays('data/holidays'))
  const service = createDossierService({ store, catalogue, calendar, audit: createAuditStore(db), now: () => new Date('2026-03-04T10:00:00+07:00') })
  const lookups: number[] = []
  for (let i = 0; i < LOOKUPS; i++) {
    const c = code(Math.floor(Math.random() * n))
    const s = performance.now()
    if (await service.publicView(c) === null) throw new Error(`missing ${c}`)
    lookups.push(performance.now() - s)
  }
  const updates: number[] = []
  for (let i = 0; i < UPDATES; i++) {
    const c = code(Math.floor(Math.random() * n))
    const s = performance.now()
    await service.updateStatus(c, { status: i % 2 === 0 ? 6 : 4 }, 'bench')
    updates.push(performance.now() - s)
  }
  await db.close()
  const rss = process.resourceUsage().maxRSS * 1024
  for (const a of [lookups, updates]) a.sort((x, y) => x - y)
  process.stdout.write(`${JSON.stringify({ startMs, rss, lookupP50: p(lookups, 0.5), lookupP99: p(lookups, 0.99), updateP50: p(updates, 0.5), updateP99: p(updates, 0.99) })}\n`)
}

async function dossierRow (engine: Engine, n: number): Promise<string> {
  const where = await place(engine)
  try {
    const t0 = performance.now()
    const db = await openDatabase(where)
    const store = createDossierStore(db)
    for (let i = 0; i < n; i += 20_000) await store.putMany(Array.from({ length: Math.min(20_000, n - i) }, (_, k) => sample(i + k)))
    await db.close()
    const loadS = (performance.now() - t0) / 1000
    const out = execFileSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--measure', where.dataDir, where.databaseUrl ?? '', where.pgSchema ?? '', String(n)],
      { encoding: 'utf8', maxBuffer: 1 << 20 })
    const r = JSON.parse(out.trim().split('\n').pop() ?? '{}') as Record<string, number>
    const v = (k: string): number => r[k] ?? Number.NaN
    return `| ${engine} | ${n.toLocaleString('en')} | ${ms(v('lookupP50'))} | ${ms(v('lookupP99'))} | ${ms(v('updateP50'))} | ${ms(v('updateP99'))} | ${ms(v('startMs'))} | ${mb(v('rss'))} | ${loadS.toFixed(0)} s |`
  } finally {
    await where.drop()
  }
}

async function outboxRow (engine: Engine, messages: number, history: number): Promise<string> {
  const where = await place(engine)
  const tg = await startFakeTelegram()
  try {
    // Enqueue → sent throughput through the real outbox (no-op sender, no pacing), 200 chats.
    const db = await openDatabase(where)
    const silent = { debug () {}, info () {}, warn () {}, error () {} }
    const outbox = await createOutbox({ store: createOutboxStore(db), logger: silent, paceMs: 0, channelRate: {} })
    outbox.register({ channel: 'telegram', send: async () => ({ ok: true }) })
    const t0 = performance.now()
    await Promise.all(Array.from({ length: 8 }, async (_, w) => {
      for (let i = w; i < messages; i += 8) await outbox.enqueue({ channel: 'telegram', userId: String(i % 200), replies: [{ text: 'x' }], kind: 'reply' })
    }))
    for (;;) {
      await outbox.idle()
      if ((await createOutboxStore(db).list(['pending'], 1)).length === 0) break
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    const perSecond = messages / ((performance.now() - t0) / 1000)
    await outbox.close()
    await db.close()

    // Webhook latency on the real app: before and after `history` sent messages in the table.
    const url = new URL(PG_URL)
    if (where.pgSchema !== undefined) url.searchParams.set('options', `-c search_path=${where.pgSchema}`)
    const config = loadConfig({
      DATA_DIR: where.dataDir,
      LOG_LEVEL: 'silent',
      TELEGRAM_BOT_TOKEN: tg.token,
      TELEGRAM_WEBHOOK_SECRET: 'bench_secret',
      TELEGRAM_API_ROOT: tg.url,
      ...(engine === 'postgres' ? { DATABASE_URL: url.toString() } : {}),
    })
    let updateId = 1
    /** Starts the app, sends a warm-up round then a measured round of webhooks, and stops it. */
    const rounds = async (): Promise<number[]> => {
      const services = await createServices(config)
      const app = await buildApp(config, services, { logger: false })
      await app.ready()
      const hook = async (): Promise<number> => {
        const s = performance.now()
        const res = await app.inject({ method: 'POST', url: '/webhooks/telegram', headers: { 'x-telegram-bot-api-secret-token': 'bench_secret' }, payload: telegramUpdates.text('đăng ký tạm trú', { updateId: updateId++, chatId: 7000 + (updateId % 300) }) })
        if (res.statusCode !== 200) throw new Error(`webhook ${res.statusCode}`)
        return performance.now() - s
      }
      const lat: number[] = []
      for (let i = 0; i < 600; i++) {
        const t = await hook()
        if (i >= 300) lat.push(t)
      }
      await services.outbox.idle()
      await app.close()
      for (const c of [...services.closers].reverse()) await c()
      return lat.sort((a, b) => a - b)
    }
    const before = await rounds()
    const hdb = await openDatabase(where)
    const histStore = createOutboxStore(hdb)
    const rows: OutboxRow[] = []
    const now = Date.now()
    for (let i = 0; i < history; i++) {
      rows.push({ seq: 0, id: `hist-${i}`, channel: 'telegram', userId: String(i % 5000), kind: 'reply', replies: [{ text: 'Dạ, em gửi Anh/Chị thông tin thủ tục.' }], status: 'sent', delivered: 1, attempts: 0, createdAt: now, updatedAt: now, nextAttemptAt: 0, dedupeKey: `hist:${i}` })
      if (rows.length === 10_000) await histStore.importRows(rows.splice(0))
    }
    await hdb.close()
    const after = await rounds()
    return `| ${engine} | ${Math.round(perSecond).toLocaleString('en')} msg/s | ${ms(p(before, 0.5))} | ${ms(p(before, 0.99))} | ${history.toLocaleString('en')} | ${ms(p(after, 0.5))} | ${ms(p(after, 0.99))} |`
  } finally {
    await tg.close()
    await where.drop()
  }
}

/** Runs the benchmark; returns a markdown section. `quick`: 50,000 dossiers only. */
export async function benchStorage (quick = true): Promise<string> {
  const sizes = quick ? [50_000] : [50_000, 1_000_000]
  const dossierRows: string[] = []
  const outboxRows: string[] = []
  for (const engine of ['sqlite', 'postgres'] as const) {
    for (const n of sizes) {
      process.stderr.write(`bench storage: ${engine} ${n} dossiers…\n`)
      dossierRows.push(await dossierRow(engine, n))
    }
    process.stderr.write(`bench storage: ${engine} outbox…\n`)
    outboxRows.push(await outboxRow(engine, quick ? 2000 : 5000, 100_000))
  }
  return [
    '## Storage (dossiers and outbox, both engines)',
    '',
    `Dossiers: bulk-loaded, then in a fresh process ${LOOKUPS.toLocaleString('en')} random lookups (\`publicView\`) and ${UPDATES} sequential status`,
    'updates (`updateStatus`: read, write, audit entry, each committed: SQLite WAL + synchronous=FULL, PostgreSQL default fsync).',
    'Start = opening the database and migrating (nothing is loaded into memory). Peak RSS is the child process maximum. Times in ms.',
    'Targets: lookup p99 ≤ 1 ms, update p99 ≤ 10 ms (SQLite) / ≤ 20 ms (PostgreSQL), RSS ≤ 300 MB at 1,000,000 dossiers.',
    '',
    '| engine | dossiers | lookup p50 | lookup p99 | update p50 | update p99 | start | peak RSS (MB) | bulk load |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...dossierRows,
    '',
    'Outbox: enqueue→sent throughput with a no-op sender (8 concurrent producers, 200 chats, no pacing). Webhook: 300 sequential',
    'Telegram updates (`POST /webhooks/telegram` on the real app with a fake Bot API: seen-id insert, conversation, enqueue) before',
    'and after adding sent messages to the outbox table (target: flat).',
    '',
    '| engine | enqueue→sent | webhook p50 | webhook p99 | sent messages added | webhook p50 after | webhook p99 after |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...outboxRows,
  ].join('\n')
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (process.argv[2] === '--measure') await measure(process.argv[3] ?? '', process.argv[4] ?? '', process.argv[5] ?? '', Number(process.argv[6]))
  else process.stdout.write(`${await benchStorage(process.argv.includes('--quick'))}\n`)
}
