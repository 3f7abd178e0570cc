// Search benchmark: our index vs plain Fuse.js (default options) over the same records, at 100, 1,000
// and 5,000 records (the real catalogue scaled up synthetically). Run through `npm run bench`.
import Fuse from 'fuse.js'
import { loadCatalogue } from '../src/catalogue/load.ts'
import { loadLexicon } from '../src/catalogue/lexicon.ts'
import { createProcedureSearch } from '../src/catalogue/search.ts'
import type { Procedure } from '../src/catalogue/schema.ts'

const QUERIES = [
  'lam giay khai sanh cho be', 'đăng ký kết hôn', 'sao y cccd', 'làm sổ đỏ', 'cap lai so do bi mat', 'tam tru',
  'giấy phép xây dựng', 'ho ngheo', 'chung thuc chu ky', 'ddawng kys thuowngf tru', 'trợ cấp thất nghiệp',
  'hôm nay ăn gì', 'xin giay xac nhan doc than', 'chuyển mục đích sử dụng đất', 'đổi giấy phép lái xe', 'karaoke',
]
const SUFFIXES = ['tại xã', 'đối với cá nhân', 'trường hợp đặc biệt', 'cho tổ chức', 'theo yêu cầu', 'lần hai', 'bổ sung', 'điện tử']

/** Real records plus synthetic variants (new ids, titles with a suffix), up to `n`. */
export function scaleRecords (real: readonly Procedure[], n: number): Procedure[] {
  const out: Procedure[] = []
  for (let i = 0; out.length < n; i++) {
    const p = real[i % real.length]!
    const round = Math.floor(i / real.length)
    out.push(round === 0 ? p : { ...p, id: `${p.id.slice(0, 40)}-${round}`, code: null, title: `${p.title} ${SUFFIXES[round % SUFFIXES.length]} ${round}` })
  }
  return out
}

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!
}

function time (fn: (q: string) => unknown, rounds: number): number[] {
  const out: number[] = []
  for (let r = 0; r < rounds; r++) {
    for (const q of QUERIES) {
      const t = process.hrtime.bigint()
      fn(q)
      out.push(Number(process.hrtime.bigint() - t) / 1e6)
    }
  }
  return out
}

export async function benchSearch (): Promise<string> {
  const catalogue = loadCatalogue('data')
  const lexicon = loadLexicon('data')
  const rows: string[] = []
  let fuse1000 = 0
  let ours1000 = 0
  for (const n of [100, 1000, 5000]) {
    const records = scaleRecords(catalogue.procedures, n)
    global.gc?.()
    const rss0 = process.memoryUsage().rss
    let t = performance.now()
    const ours = createProcedureSearch(records, lexicon)
    const buildOurs = performance.now() - t
    const rss = process.memoryUsage().rss
    for (let i = 0; i < 3; i++) for (const q of QUERIES) ours.search(q) // warm-up
    const o = time((q) => ours.search(q), n >= 5000 ? 60 : 30)

    t = performance.now()
    const fuse = new Fuse(records, { keys: ['title', 'aliases', 'keywords'] })
    const buildFuse = performance.now() - t
    const f = time((q) => fuse.search(q, { limit: 5 }), n >= 5000 ? 2 : n >= 1000 ? 4 : 10)
    if (n === 1000) { fuse1000 = pct(f, 50); ours1000 = pct(o, 50) }
    rows.push(`| ${n} | ours | ${buildOurs.toFixed(1)} | ${pct(o, 50).toFixed(3)} | ${pct(o, 99).toFixed(3)} | ${(rss / 1e6).toFixed(0)} (+${((rss - rss0) / 1e6).toFixed(0)}) |`)
    rows.push(`| ${n} | plain Fuse.js | ${buildFuse.toFixed(1)} | ${pct(f, 50).toFixed(3)} | ${pct(f, 99).toFixed(3)} | |`)
  }
  return [
    '### Procedure search',
    '',
    `Queries: ${QUERIES.length} citizen-style queries (tone marks, none, Telex, typos, off-topic), repeated; records are the real`,
    'catalogue scaled up with synthetic variants. Fuse.js: default options, keys title/aliases/keywords.',
    '',
    '| records | engine | build ms | p50 ms | p99 ms | RSS MB (index Δ) |',
    '|---|---|---|---|---|---|',
    ...rows,
    '',
    `Median speed-up over plain Fuse.js at 1,000 records: ${(fuse1000 / Math.max(ours1000, 1e-6)).toFixed(0)}×.`,
  ].join('\n')
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(`${await benchSearch()}\n`)
}
