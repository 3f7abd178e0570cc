// Dossier store benchmark: `npx tsx bench/dossiers.ts` (or part of `npm run bench`).
// For each size, dossiers are written through the real file store into a temp dir and compacted;
// then a fresh child process opens the store (start-up time), measures lookups (service.publicView)
// and status updates (service.updateStatus, each fsync'd), and reports its RSS.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { loadCatalogue } from '../src/catalogue/load.ts'
import { createMemoryAuditLog } from '../src/dossiers/audit.ts'
import { createCalendar } from '../src/dossiers/calendar.ts'
import { openDatabase, type Db } from '../src/db/connect.ts'
import { createDossierStore } from '../src/db/dossier-store.ts'
import { loadHolidays } from '../src/dossiers/holidays.ts'
import { createDossierService } from '../src/dossiers/service.ts'
import type { Dossier } from '../src/dossiers/types.ts'

const SIZES = [10_000, 50_000, 200_000]
const LOOKUPS = 20_000
const UPDATES = 500
const PROCEDURES = ['dang-ky-tam-tru', 'dang-ky-khai-sinh', 'dang-ky-thuong-tru', 'chung-thuc-ban-sao']

const code = (i: number): string => `000.00.${String(10 + (i % 80)).padStart(2, '0')}.H13-26${String(1 + (i % 12)).padStart(2, '0')}${String(1 + (i % 28)).padStart(2, '0')}-${String(i).padStart(6, '0')}`

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

/** Child side: open, look up, update; prints one JSON line. */
async function measure (dir: string, n: number): Promise<void> {
  const t0 = performance.now()
  const db = await openDatabase({ dataDir: dir })
  const store = createDossierStore(db)
  const startMs = performance.now() - t0
  const rssAfterLoad = process.memoryUsage().rss
  const catalogue = loadCatalogue('data')
  const calendar = createCalendar(loadHolidays('data/holidays'))
  const service = createDossierService({ store, catalogue, calendar, audit: createMemoryAuditLog(), now: () => new Date('2026-03-04T10:00:00+07:00') })
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
  const concurrent: number[] = []
  await Promise.all(Array.from({ length: 16 }, async (_, w) => {
    for (let i = 0; i < UPDATES / 16; i++) {
      const s = performance.now()
      await service.updateStatus(code((w * 997 + i * 31) % n), { status: i % 2 === 0 ? 6 : 4 }, 'bench')
      concurrent.push(performance.now() - s)
    }
  }))
  const compactMs = 0
  await db.close()
  const rss = process.resourceUsage().maxRSS * 1024
  for (const a of [lookups, updates, concurrent]) a.sort((x, y) => x - y)
  process.stdout.write(`${JSON.stringify({ startMs, rssAfterLoad, rss, lookupP50: p(lookups, 0.5), lookupP99: p(lookups, 0.99), updateP50: p(updates, 0.5), updateP99: p(updates, 0.99), concurrentP99: p(concurrent, 0.99), compactMs })}\n`)
}

async function seed (dir: string, n: number): Promise<void> {
  const db: Db = await openDatabase({ dataDir: dir })
  const store = createDossierStore(db)
  for (let i = 0; i < n; i += 10_000) {
    await store.putMany(Array.from({ length: Math.min(10_000, n - i) }, (_, k) => sample(i + k)))
  }
  await db.close()
}

const ms = (x: number): string => x < 10 ? x.toFixed(3) : x.toFixed(0)
const mb = (x: number): string => (x / 2 ** 20).toFixed(0)

/** Runs the benchmark; returns a markdown section. */
export async function benchDossiers (): Promise<string> {
  const rows: string[] = []
  for (const n of SIZES) {
    const dir = mkdtempSync(join(tmpdir(), 'bench-dossiers-'))
    try {
      await seed(dir, n)
      const out = execFileSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--measure', dir, String(n)], { encoding: 'utf8', maxBuffer: 1 << 20 })
      const r = JSON.parse(out.trim().split('\n').pop() ?? '{}') as Record<string, number>
      const v = (k: string): number => r[k] ?? Number.NaN
      rows.push(`| ${n.toLocaleString('en')} | ${ms(v('lookupP50'))} | ${ms(v('lookupP99'))} | ${ms(v('updateP50'))} | ${ms(v('updateP99'))} | ${ms(v('concurrentP99'))} | ${ms(v('startMs'))} | ${mb(v('rssAfterLoad'))} | ${mb(v('rss'))} | ${ms(v('compactMs'))} |`)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }
  return [
    '## Dossiers',
    '',
    `File store (lowdb snapshot + fsync'd journal) through the service; ${LOOKUPS.toLocaleString('en')} random lookups (\`publicView\`),`,
    `${UPDATES} sequential status updates and ${UPDATES} more from 16 concurrent writers (group commit), each in a fresh process.`,
    'Start = opening the store (snapshot + journal replay). Compaction rewrites the snapshot (every 20,000 writes and at',
    'start when the journal is not empty); it blocks the event loop while serialising. Peak RSS is the process maximum.',
    'Targets at 50,000: lookup p99 ≤ 1 ms, update p99 ≤ 20 ms, start ≤ 2 s, RSS ≤ 300 MB. Times in ms.',
    '',
    '| dossiers | lookup p50 | lookup p99 | update p50 | update p99 | update p99 (16 concurrent) | start | RSS after load (MB) | peak RSS incl. compaction (MB) | compaction |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows,
  ].join('\n')
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (process.argv[2] === '--measure') await measure(process.argv[3] ?? '', Number(process.argv[4]))
  else process.stdout.write(`${await benchDossiers()}\n`)
}
