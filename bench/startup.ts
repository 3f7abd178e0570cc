// Start-up (issue 14): time from spawning to the first 200 from /healthz, and the resident memory of the
// whole process tree at that moment, for `npm start` (npm → sh → node dist/src/main.js), for the compiled
// server run by node directly, and for the development runner (tsx). Fresh DATA_DIR each time; the median of
// several starts. `npx tsx bench/startup.ts [--quick]`.
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ensureBuilt, fmt, freePort, load1, mb, processTree, treeRss, waitHealthy } from './proc.ts'
import type { Section } from './summary.ts'

interface Start { ms: number, rss: number, load: number }

/** Starts `command args` once; returns the time to healthy and the tree's RSS then. */
async function startOnce (command: string, args: string[]): Promise<Start> {
  const port = await freePort()
  const dataDir = mkdtempSync(join(tmpdir(), 'tgtt-bench-start-'))
  const t0 = performance.now()
  const proc = spawn(command, args, {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn', DATA_DIR: dataDir },
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  try {
    await waitHealthy(`http://127.0.0.1:${port}/healthz`, proc, 30_000, 5)
    const ms = performance.now() - t0
    return { ms, rss: treeRss(proc.pid ?? 0), load: load1() }
  } finally {
    const exited = new Promise((resolve) => proc.once('exit', resolve))
    for (const pid of processTree(proc.pid ?? 0).reverse()) { try { process.kill(pid, 'SIGTERM') } catch {} }
    await exited
    rmSync(dataDir, { recursive: true, force: true })
  }
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN

/** Runs the start-up benchmark; returns its section. */
export async function benchStartup (quick = false): Promise<Section> {
  ensureBuilt()
  const runs = quick ? 2 : 7
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
  const variants: Array<[string, string, string[]]> = [
    ['`npm start` (npm → sh → node, compiled)', npm, ['start', '--silent']],
    ['`node scripts/start.mjs` (what `npm start` runs, without npm; see docs/DEPLOY.md)', process.execPath, ['scripts/start.mjs']],
    ...(quick ? [] : [['`node --import tsx src/main.ts` (development; `npm start` before issue 14)', process.execPath, ['--import', 'tsx', 'src/main.ts']]] as Array<[string, string, string[]]>),
  ]
  const rows: string[] = []
  const results: Start[][] = []
  for (const [label, command, args] of variants) {
    process.stderr.write(`bench startup: ${label}…\n`)
    await startOnce(command, args) // warm the file cache
    const starts: Start[] = []
    for (let i = 0; i < runs; i++) starts.push(await startOnce(command, args))
    results.push(starts)
    const ms = starts.map((s) => s.ms)
    rows.push(`| ${label} | ${fmt(median(ms))} | ${fmt(Math.min(...ms))} | ${fmt(Math.max(...ms))} | ${mb(median(starts.map((s) => s.rss)))} | ${median(starts.map((s) => s.load)).toFixed(1)} |`)
  }
  const npmStart = results[0] ?? []
  const startMs = median(npmStart.map((s) => s.ms))
  const startRss = median(npmStart.map((s) => s.rss))
  const load = median(npmStart.map((s) => s.load))
  const direct = results[1] ?? []
  const directMs = median(direct.map((s) => s.ms))
  const directRss = median(direct.map((s) => s.rss))
  return {
    summary: [
      { metric: '`npm start` to healthy ms, tree RSS MB', value: `${fmt(startMs)}, ${mb(startRss)}`, target: '≤ 700, ≤ 120', ok: startMs <= 700 && startRss <= 120 * 2 ** 20, load },
      { metric: '`node scripts/start.mjs` to healthy ms, RSS MB', value: `${fmt(directMs)}, ${mb(directRss)}`, target: '≤ 700, ≤ 120', ok: directMs <= 700 && directRss <= 120 * 2 ** 20, load: median(direct.map((s) => s.load)) },
    ],
    markdown: [
      '### Start-up',
      '',
      'Spawn → first 200 from `GET /healthz` (polled every 5 ms), fresh SQLite DATA_DIR, no channels; RSS of the whole process tree',
      `at that moment. Median of ${runs} starts after one unmeasured start (warm file cache).`,
      '',
      '| command | median ms | min ms | max ms | tree RSS MB | load avg |',
      '|---|---:|---:|---:|---:|---:|',
      ...rows,
    ].join('\n'),
  }
}

if (process.argv[1]?.endsWith('bench/startup.ts') === true) {
  const r = await benchStartup(process.argv.includes('--quick'))
  process.stdout.write(`${r.markdown}\n`)
}
