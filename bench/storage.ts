// Storage benchmark, both engines: `npx tsx bench/storage.ts [--quick]` (or part of `npm run bench`, quick).
// Per engine and size: bulk-load dossiers (batched inserts in one transaction), then a fresh child process
// opens the store (start-up), counts the statements of one lookup and one update, measures lookups
// (service.publicView) and status updates (service.updateStatus, each committed) after a warm-up, in
// rounds, and reports its peak RSS. Outbox: enqueue→sent throughput with a no-op sender, and Telegram
// webhook latency (real app, fake Bot API) before and after 100,000 sent messages in the table.
// The machine may be shared: besides wall-clock percentiles, every measurement reports the load average
// while it ran, the best round's p99 and the CPU time per call (this process, plus the PostgreSQL
// backends serving it when they run on this host), which waiting for a busy CPU does not inflate.
// PostgreSQL: BENCH_DATABASE_URL or TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test), one fresh schema per run.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { sql } from 'kysely'
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
import { startFakeTelegram, telegramUpdates, type FakeTelegram } from '../test/helpers/fake-telegram.ts'
import { captureStatements } from '../test/helpers/statements.ts'

const PG_URL = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
/** Lookups: not measured first (JIT, connections, caches), then measured in rounds. */
const LOOKUP_WARMUP = 5_000
const LOOKUP_ROUNDS = 10
const LOOKUPS_PER_ROUND = 5_000
/** Status updates (each a durable commit): warm-up, then rounds. */
const UPDATE_WARMUP = 100
const UPDATE_ROUNDS = 4
const UPDATES_PER_ROUND = 250
/** Webhooks per app start: warm-up, then measured rounds. */
const HOOK_WARMUP = 200
const HOOK_ROUNDS = 6
const HOOKS_PER_ROUND = 200
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

const p = (sorted: ArrayLike<number>, q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0
const ms = (x: number): string => Number.isNaN(x) ? '–' : x < 10 ? x.toFixed(3) : x.toFixed(0)
const mb = (x: number): string => (x / 2 ** 20).toFixed(0)
const us = (x: number): string => x.toFixed(0)
const load = (): number => loadavg()[0] ?? 0

/** Percentiles of every measured call, the best and worst round's p99, CPU per call and the load while measuring. */
interface Measured {
  n: number
  p50: number
  p99: number
  p999: number
  /** Lowest / highest p99 of the rounds: the store's own tail shows in the quietest round. */
  bestP99: number
  worstP99: number
  /** CPU time per call in microseconds: this process, and the PostgreSQL backends serving it (null for SQLite or when not readable). */
  cpuUs: number
  serverCpuUs: number | null
  /** 1-minute load average at the start and the end of the measurement. */
  loadFrom: number
  loadTo: number
}

/**
 * CPU milliseconds used so far by each PostgreSQL backend of `appName` (pid → ms), read from /proc (same
 * host only); undefined when not readable. A backend that closes during a round takes its last share along.
 */
async function backendCpu (appName: string): Promise<Map<number, number> | undefined> {
  const c = new pg.Client({ connectionString: PG_URL })
  await c.connect()
  let pids: number[]
  try {
    pids = (await c.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE application_name = $1', [appName])).rows.map((r) => r.pid)
  } finally { await c.end() }
  const tick = 1000 / 100 // USER_HZ is 100 on Linux
  const cpu = new Map<number, number>()
  for (const pid of pids) {
    let stat: string
    try { stat = readFileSync(`/proc/${pid}/stat`, 'utf8') } catch { continue }
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    cpu.set(pid, (Number(f[11]) + Number(f[12])) * tick)
  }
  return cpu.size === 0 ? undefined : cpu
}

/** Collects measured rounds of calls: latency of every call, CPU per round, load while measuring. */
function recorder (appName?: string): { round (call: () => Promise<unknown>, n: number): Promise<void>, result (): Measured } {
  const rounds: Float64Array[] = []
  let loadFrom: number | undefined
  let cpu = 0
  let server: number | undefined = appName === undefined ? undefined : 0
  return {
    async round (call, n) {
      loadFrom ??= load()
      const s0 = appName === undefined ? undefined : await backendCpu(appName)
      const c0 = process.cpuUsage()
      const lat = new Float64Array(n)
      for (let i = 0; i < n; i++) {
        const s = performance.now()
        await call()
        lat[i] = performance.now() - s
      }
      const c = process.cpuUsage(c0)
      cpu += c.user + c.system
      const s1 = appName === undefined ? undefined : await backendCpu(appName)
      if (server !== undefined && s0 !== undefined && s1 !== undefined) {
        for (const [pid, ms] of s1) server += (ms - (s0.get(pid) ?? 0)) * 1000
      } else server = undefined
      rounds.push(lat)
    },
    result () {
      const all = new Float64Array(rounds.reduce((a, r) => a + r.length, 0))
      let at = 0
      for (const r of rounds) { all.set(r, at); at += r.length }
      const roundP99 = rounds.map((r) => p(Float64Array.from(r).sort(), 0.99))
      all.sort()
      return {
        n: all.length,
        p50: p(all, 0.5),
        p99: p(all, 0.99),
        p999: p(all, 0.999),
        bestP99: Math.min(...roundP99),
        worstP99: Math.max(...roundP99),
        cpuUs: cpu / all.length,
        serverCpuUs: server === undefined ? null : server / all.length,
        loadFrom: loadFrom ?? load(),
        loadTo: load(),
      }
    },
  }
}

/**
 * Runs `call` and its `baseline` `warmup` times unmeasured, then `rounds` × `perRound` times each, in
 * alternating rounds: the baseline (the least the same layer can do: a `SELECT 1`, a bare one-row commit)
 * meets the same machine, so what `call` adds to it is the store's own. `appName`: the PostgreSQL
 * application_name of the pool serving the calls (for the backends' CPU time).
 */
async function measurePaired (call: () => Promise<unknown>, baseline: () => Promise<unknown>, o: { warmup: number, rounds: number, perRound: number, appName?: string }): Promise<{ m: Measured, base: Measured }> {
  for (let i = 0; i < o.warmup; i++) {
    await call()
    await baseline()
  }
  const m = recorder(o.appName)
  const base = recorder(o.appName)
  for (let i = 0; i < o.rounds; i++) {
    await m.round(call, o.perRound)
    await base.round(baseline, o.perRound)
  }
  return { m: m.result(), base: base.result() }
}

/** Statements sent to the database while `fn` runs (on PostgreSQL each is one round trip). */
const countStatements = async (fn: () => Promise<unknown>): Promise<number> => (await captureStatements(fn)).length

/** Where a benchmark's database lives. */
interface Place { dataDir: string, databaseUrl?: string, pgSchema?: string, drop: () => Promise<void> }

let places = 0
/** A fresh place for one engine: a temp dir, plus a new schema on PostgreSQL. */
async function place (engine: Engine): Promise<Place> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-storage-'))
  if (engine === 'sqlite') return { dataDir, drop: async () => rmSync(dataDir, { recursive: true, force: true }) }
  const pgSchema = `bench_${process.pid}_${Date.now().toString(36)}_${places++}`
  const c = new pg.Client({ connectionString: PG_URL })
  await c.connect()
  try { await c.query(`CREATE SCHEMA ${pgSchema}`) } finally { await c.end() }
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

/**
 * After a bulk load, lets PostgreSQL do what autovacuum and checkpoints do in service over days (statistics,
 * visibility map, dirty pages written), so the measurement that follows is not charged for the load itself.
 * SQLite needs nothing: closing the loading connection checkpointed its WAL into the database file.
 */
async function settle (where: Place, table: 'dossiers' | 'outbox'): Promise<void> {
  if (where.databaseUrl === undefined) return
  const db = await openDatabase({ ...where, migrate: false })
  try {
    await sql.raw(`VACUUM ANALYZE ${table}`).execute(db.kysely)
    await sql.raw('CHECKPOINT').execute(db.kysely)
  } finally { await db.close() }
}

/** `url` with an application_name, so the bench can find the backends serving it. */
function named (url: string, appName: string): string {
  const u = new URL(url)
  u.searchParams.set('application_name', appName)
  return u.toString()
}

/** Child side: open, count statements, look up, update; prints one JSON line. */
async function measure (dataDir: string, databaseUrl: string, pgSchema: string, n: number): Promise<void> {
  const appName = `bench-${process.pid}`
  const onPg = databaseUrl !== ''
  const t0 = performance.now()
  const db = await openDatabase({ dataDir, databaseUrl: onPg ? named(databaseUrl, appName) : undefined, pgSchema: pgSchema === '' ? undefined : pgSchema })
  const store = createDossierStore(db)
  const startMs = performance.now() - t0
  const catalogue = loadCatalogue('data')
  const calendar = createCalendar(loadHolidays('data/holidays'))
  const service = createDossierService({ store, catalogue, calendar, audit: createAuditStore(db), now: () => new Date('2026-03-04T10:00:00+07:00') })
  // Pseudo-random but repeatable codes: a cheap LCG, so the measuring loop allocates little of its own.
  let seed = 12345
  const pick = (): string => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return code(seed % n) }
  const lookup = async (): Promise<void> => { if (await service.publicView(pick()) === null) throw new Error('missing dossier') }
  // Every update commits: a new status or, when the status is already that, a new note (both change the history).
  let updates = 0
  const update = async (): Promise<void> => {
    const i = updates++
    await service.updateStatus(pick(), { status: i % 2 === 0 ? 6 : 4, note: `Bước ${i}` }, 'bench')
  }

  // Baselines: a prepared `SELECT 1` (one round trip on PostgreSQL) and a bare durable one-row commit.
  const selectOne = db.prepare(db.kysely.selectNoFrom(sql.lit(1).as('one')))
  const bareCommit = (): Promise<unknown> => db.kysely.insertInto('rate_limits').values({ key: 'bench', window_start: 0, count: 1 })
    .onConflict((oc) => oc.column('key').doUpdateSet((eb) => ({ count: eb('rate_limits.count', '+', 1) }))).execute()

  // Cold: the first 1,000 lookups after start (JIT, connections, caches), reported apart.
  const cold = new Float64Array(1000)
  for (let i = 0; i < cold.length; i++) {
    const s = performance.now()
    await lookup()
    cold[i] = performance.now() - s
  }
  const lookupStatements = await countStatements(async () => { for (let i = 0; i < 100; i++) await lookup() }) / 100
  const updateStatements = await countStatements(async () => { for (let i = 0; i < 20; i++) await update() }) / 20
  const lookups = await measurePaired(lookup, () => selectOne([]), { warmup: LOOKUP_WARMUP, rounds: LOOKUP_ROUNDS, perRound: LOOKUPS_PER_ROUND, appName: onPg ? appName : undefined })
  const updated = await measurePaired(update, bareCommit, { warmup: UPDATE_WARMUP, rounds: UPDATE_ROUNDS, perRound: UPDATES_PER_ROUND, appName: onPg ? appName : undefined })
  await db.close()
  const rss = process.resourceUsage().maxRSS * 1024
  const result: DossierResult = { startMs, rss, coldP99: p(cold.sort(), 0.99), lookupStatements, updateStatements, lookups: lookups.m, selectOne: lookups.base, updates: updated.m, bareCommit: updated.base }
  process.stdout.write(`${JSON.stringify(result)}\n`)
}

interface DossierResult {
  startMs: number
  rss: number
  coldP99: number
  lookupStatements: number
  updateStatements: number
  lookups: Measured
  selectOne: Measured
  updates: Measured
  bareCommit: Measured
}
const loads = (m: Measured): string => `${m.loadFrom.toFixed(1)}–${m.loadTo.toFixed(1)}`
const cpuOf = (m: Measured): string => m.serverCpuUs === null ? us(m.cpuUs) : `${us(m.cpuUs)} + ${us(m.serverCpuUs)}`

async function dossierRow (engine: Engine, n: number): Promise<{ lookup: string, update: string }> {
  const where = await place(engine)
  try {
    const t0 = performance.now()
    const db = await openDatabase(where)
    const store = createDossierStore(db)
    for (let i = 0; i < n; i += 20_000) await store.putMany(Array.from({ length: Math.min(20_000, n - i) }, (_, k) => sample(i + k)))
    await db.close()
    const loadS = (performance.now() - t0) / 1000
    await settle(where, 'dossiers')
    const out = execFileSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--measure', where.dataDir, where.databaseUrl ?? '', where.pgSchema ?? '', String(n)],
      { encoding: 'utf8', maxBuffer: 1 << 20 })
    const r = JSON.parse(out.trim().split('\n').pop() ?? '{}') as DossierResult
    const l = r.lookups
    const u = r.updates
    const size = n.toLocaleString('en')
    return {
      lookup: `| ${engine} | ${size} | ${r.lookupStatements} | ${ms(l.p50)} | ${ms(l.p99)} | ${ms(l.p999)} | ${ms(l.bestP99)} | ${ms(r.selectOne.p99)} | ${cpuOf(l)} | ${ms(r.coldP99)} | ${loads(l)} |`,
      update: `| ${engine} | ${size} | ${r.updateStatements} | ${ms(u.p50)} | ${ms(u.p99)} | ${ms(u.bestP99)} | ${ms(r.bareCommit.p99)} | ${cpuOf(u)} | ${loads(u)} | ${ms(r.startMs)} | ${mb(r.rss)} | ${loadS.toFixed(0)} s |`,
    }
  } finally {
    await where.drop()
  }
}

/** Sent messages added to the outbox table, as they accumulate in service (one table, thousands of chats). */
async function addHistory (where: Place, history: number): Promise<void> {
  const db = await openDatabase(where)
  const store = createOutboxStore(db)
  const rows: OutboxRow[] = []
  const now = Date.now()
  for (let i = 0; i < history; i++) {
    rows.push({ seq: 0, id: `hist-${i}`, channel: 'telegram', userId: String(i % 5000), kind: 'reply', replies: [{ text: 'Dạ, em gửi Anh/Chị thông tin thủ tục.' }], status: 'sent', delivered: 1, attempts: 0, createdAt: now, updatedAt: now, nextAttemptAt: 0, dedupeKey: `hist:${i}` })
    if (rows.length === 10_000) await store.importRows(rows.splice(0))
  }
  await db.close()
  await settle(where, 'outbox')
}

/** Enqueue → sent through the real outbox (no-op sender, no pacing, 8 producers, 200 chats): messages per second. */
async function throughput (where: Place, messages: number): Promise<number> {
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
  return perSecond
}

/** The real app on `where` with Telegram pointed at the fake Bot API; `webhook()` posts one text update. */
async function hookApp (engine: Engine, where: Place, tg: FakeTelegram, appName: string): Promise<{ webhook (): Promise<void>, idle (): Promise<void>, close (): Promise<void> }> {
  const url = new URL(named(PG_URL, appName))
  if (where.pgSchema !== undefined) url.searchParams.set('options', `-c search_path=${where.pgSchema}`)
  const config = loadConfig({
    DATA_DIR: where.dataDir,
    LOG_LEVEL: 'silent',
    TELEGRAM_BOT_TOKEN: tg.token,
    TELEGRAM_WEBHOOK_SECRET: 'bench_secret',
    TELEGRAM_API_ROOT: tg.url,
    ...(engine === 'postgres' ? { DATABASE_URL: url.toString() } : {}),
  })
  const services = await createServices(config)
  const app = await buildApp(config, services, { logger: false })
  await app.ready()
  let updateId = 1
  return {
    async webhook () {
      const id = updateId++
      const res = await app.inject({ method: 'POST', url: '/webhooks/telegram', headers: { 'x-telegram-bot-api-secret-token': 'bench_secret' }, payload: telegramUpdates.text('đăng ký tạm trú', { updateId: id, chatId: 7000 + (id % 300) }) })
      if (res.statusCode !== 200) throw new Error(`webhook ${res.statusCode}`)
    },
    idle: () => services.outbox.idle(),
    async close () {
      await services.outbox.idle()
      await app.close()
      for (const c of [...services.closers].reverse()) await c()
    },
  }
}

/**
 * Outbox throughput, then webhook latency with an empty outbox table and with `history` sent messages in
 * it: two apps side by side, measured in alternating rounds, so a busy spell of the machine hits both alike.
 */
async function outboxRow (engine: Engine, messages: number, history: number): Promise<string> {
  const empty = await place(engine)
  const full = await place(engine)
  const tg = await startFakeTelegram()
  const apps: Array<Awaited<ReturnType<typeof hookApp>>> = []
  try {
    const perSecond = await throughput(full, messages)
    await addHistory(full, history)
    const names = [`bench-empty-${process.pid}`, `bench-full-${process.pid}`]
    apps.push(await hookApp(engine, empty, tg, names[0] ?? ''), await hookApp(engine, full, tg, names[1] ?? ''))
    const arms = names.map((n) => recorder(engine === 'postgres' ? n : undefined))
    for (const a of apps) {
      for (let i = 0; i < HOOK_WARMUP; i++) await a.webhook()
      await a.idle()
    }
    for (let r = 0; r < HOOK_ROUNDS; r++) {
      for (const k of r % 2 === 0 ? [0, 1] : [1, 0]) {
        const a = apps[k]
        if (a === undefined) continue
        await arms[k]?.round(() => a.webhook(), HOOKS_PER_ROUND)
        await a.idle()
      }
    }
    const [before, after] = arms.map((a) => a.result())
    const cells = (m: Measured | undefined): string => m === undefined ? '' : `${ms(m.p50)} | ${ms(m.p99)} | ${ms(m.bestP99)} | ${cpuOf(m)} | ${loads(m)}`
    return [
      `| ${engine} | ${Math.round(perSecond).toLocaleString('en')} msg/s | empty | ${cells(before)} |`,
      `| ${engine} | | ${history.toLocaleString('en')} sent | ${cells(after)} |`,
    ].join('\n')
  } finally {
    for (const a of apps) await a.close()
    await tg.close()
    await empty.drop()
    await full.drop()
  }
}

/** Runs the benchmark; returns a markdown section. `quick`: 50,000 dossiers only. */
export async function benchStorage (quick = true): Promise<string> {
  const sizes = quick ? [50_000] : [50_000, 1_000_000]
  const lookupRows: string[] = []
  const updateRows: string[] = []
  const outboxRows: string[] = []
  for (const engine of ['sqlite', 'postgres'] as const) {
    for (const n of sizes) {
      process.stderr.write(`bench storage: ${engine} ${n} dossiers…\n`)
      const r = await dossierRow(engine, n)
      lookupRows.push(r.lookup)
      updateRows.push(r.update)
    }
    process.stderr.write(`bench storage: ${engine} outbox…\n`)
    outboxRows.push(await outboxRow(engine, quick ? 2000 : 5000, 100_000))
  }
  const lookups = LOOKUP_ROUNDS * LOOKUPS_PER_ROUND
  return [
    '## Storage (dossiers and outbox, both engines)',
    '',
    'Dossiers: bulk-loaded (PostgreSQL then vacuumed, analysed and checkpointed, as autovacuum would), then in a fresh',
    `process: ${LOOKUP_WARMUP.toLocaleString('en')} random lookups (\`publicView\`) not measured, then ${lookups.toLocaleString('en')} in ${LOOKUP_ROUNDS} rounds; ${UPDATE_WARMUP} status updates`,
    '(`updateStatus`: read, then the dossier and its audit entry in one commit; SQLite WAL + synchronous=FULL, PostgreSQL',
    `default fsync; each update changes the history) not measured, then ${(UPDATE_ROUNDS * UPDATES_PER_ROUND).toLocaleString('en')} in ${UPDATE_ROUNDS} rounds. Times in ms.`,
    '*Statements*: sent to the database per call (on PostgreSQL each is one round trip; BEGIN and COMMIT count).',
    '*Best p99*: the quietest round\'s. *`SELECT 1` p99* / *bare commit p99*: the least the same layer can do (a',
    'prepared `SELECT 1`; a one-row upsert, committed), measured in rounds alternating with the calls\': what the machine',
    'alone costs. *CPU*: µs per call in the Node process (SQLite runs inside it) + in the PostgreSQL backends serving it',
    '(from /proc); waiting for a busy CPU does not count, so it holds on a loaded machine. *First 1,000*: p99 of the',
    'first lookups after start, before the warm-up. *Load*: 1-minute load average at the start and the end of the',
    'measurement (2 cores, shared with other jobs).',
    'Targets: lookup p99 ≤ 1 ms, update p99 ≤ 10 ms (SQLite) / ≤ 20 ms (PostgreSQL), RSS ≤ 300 MB at 1,000,000 dossiers.',
    '',
    '| engine | dossiers | statements | lookup p50 | p99 | p999 | best p99 | `SELECT 1` p99 | CPU µs | first 1,000 p99 | load |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...lookupRows,
    '',
    '| engine | dossiers | statements | update p50 | p99 | best p99 | bare commit p99 | CPU µs | load | start | peak RSS (MB) | bulk load |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...updateRows,
    '',
    'Start = opening the database and migrating (nothing is loaded into memory). Peak RSS is the child process maximum.',
    '',
    'Outbox: enqueue→sent throughput with a no-op sender (8 concurrent producers, 200 chats, no pacing). Webhook:',
    'sequential Telegram updates (`POST /webhooks/telegram` on the real app with a fake Bot API: seen-id insert,',
    'conversation, enqueue; the outbox delivers meanwhile) on two apps side by side, one on an empty outbox table and',
    `one on a table holding the sent messages, ${HOOK_WARMUP} unmeasured each, then ${HOOK_ROUNDS} alternating rounds of ${HOOKS_PER_ROUND} (target: flat).`,
    'CPU per webhook includes delivering its reply and the in-process fake Bot API.',
    'Every statement of this path reads through an index with the history in place (test/db/query-plans.test.ts).',
    '',
    '| engine | enqueue→sent | outbox table | webhook p50 | p99 | best p99 | CPU µs | load |',
    '|---|---:|---|---:|---:|---:|---:|---:|',
    ...outboxRows,
  ].join('\n')
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (process.argv[2] === '--measure') await measure(process.argv[3] ?? '', process.argv[4] ?? '', process.argv[5] ?? '', Number(process.argv[6]))
  else process.stdout.write(`${await benchStorage(process.argv.includes('--quick'))}\n`)
}
