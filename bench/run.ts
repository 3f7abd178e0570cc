// `npm run bench`: every benchmark in one run on this machine, then one summary table (each number against
// its target, with the load average when it was measured), written into docs/BENCHMARKS.md between the
// `bench:begin`/`bench:end` markers (hand-written notes outside them are kept).
// `npm run bench -- --quick`: a ~1-minute version (shorter phases, fewer updates; storage skipped, search
// asked for its quick mode) that only prints. `-- --full`: storage also at 1,000,000 dossiers.
// Sections return markdown, or { markdown, summary } to add rows to the summary table (bench/summary.ts).
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, totalmem } from 'node:os'
import { benchHttp } from './http.ts'
import { benchSearch } from './search.ts'
import { benchStartup } from './startup.ts'
import { benchStorage } from './storage.ts'
import { benchTelegram } from './telegram.ts'
import { asSection, summaryTable, type Section, type SummaryRow } from './summary.ts'

const quick = process.argv.includes('--quick')
const full = process.argv.includes('--full')
const DOC = 'docs/BENCHMARKS.md'
const BEGIN = '<!-- bench:begin (written by `npm run bench`; edit outside these markers) -->'
const END = '<!-- bench:end -->'

type Bench = (quick: boolean) => Promise<string | Section> | string | Section

/**
 * bench/chat.ts three times, each in a fresh process (its client and server share one heap, which earlier
 * sections fill): every run is shown, the median p99 goes to the summary (a p99 of 1,000 sequential requests
 * follows whatever else the 2 shared cores run at that moment).
 */
const benchChatApart: Bench = (q) => {
  const runs = [0, 1, 2].map(() => JSON.parse(execFileSync(process.execPath,
    [...process.execArgv, 'bench/chat.ts', '--json', ...(q ? ['--quick'] : [])], { encoding: 'utf8', maxBuffer: 1 << 24 }).trim().split('\n').pop() ?? '{}') as Section)
  const rows = runs.map((r) => r.markdown.trim().split('\n').at(-1) ?? '')
  const byP99 = [...runs].sort((a, b) => Number(a.summary[0]?.value) - Number(b.summary[0]?.value))
  const median = byP99[1] ?? runs[0]!
  return {
    summary: median.summary.map((s) => ({ ...s, metric: `${s.metric} (median of 3 runs)` })),
    markdown: [...(runs[0]?.markdown.trim().split('\n').slice(0, -1) ?? []), ...rows].join('\n'),
  }
}
const sections: Array<[string, Bench]> = [
  ['startup', benchStartup],
  ['chat API load', benchHttp],
  ['telegram webhook', benchTelegram],
  ['chat sequential', benchChatApart],
  ['search', benchSearch],
  ...(quick ? [] : [['storage', () => benchStorage(!full)]] as Array<[string, Bench]>),
]

const t0 = performance.now()
const parts: string[] = []
const summary: SummaryRow[] = []
for (const [name, run] of sections) {
  process.stderr.write(`bench: ${name}… (load average ${loadavg()[0]?.toFixed(1)})\n`)
  const s = asSection(await run(quick))
  process.stdout.write(`${s.markdown}\n\n`)
  parts.push(s.markdown)
  summary.push(...s.summary)
}

const minutes = ((performance.now() - t0) / 60_000).toFixed(1)
const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`
const table = [
  `## Summary (${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ${machine}${quick ? ', --quick' : ''}, ${minutes} min)`,
  '',
  'Load average = the 1-minute load of the machine when the number was taken (2 cores: above ~2 other jobs were running,',
  'and times are inflated accordingly).',
  '',
  summaryTable(summary),
].join('\n')
process.stdout.write(`${table}\n`)

if (!quick) {
  const generated = [BEGIN, '', table, '', ...parts.flatMap((p) => [p, '']), END].join('\n')
  mkdirSync('docs', { recursive: true })
  const doc = existsSync(DOC) ? readFileSync(DOC, 'utf8') : '# Benchmarks\n\n'
  const at = doc.indexOf(BEGIN)
  const end = doc.indexOf(END)
  const next = at >= 0 && end > at ? `${doc.slice(0, at)}${generated}${doc.slice(end + END.length)}` : `${doc.trimEnd()}\n\n${generated}\n`
  writeFileSync(DOC, next)
  process.stderr.write(`bench: wrote ${DOC}\n`)
}
