// Process helpers of the HTTP benchmarks: the compiled server as a child process, its memory, the machine's load.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort } from '../test/helpers/server-process.ts'
// @ts-expect-error plain JavaScript module without types (scripts/build.mjs runs before any build exists)
import { build, staleReason } from '../scripts/build.mjs'

export { freePort }

/** Builds dist/ when it is missing or older than the sources (what `npm start` does). */
export function ensureBuilt (): void {
  const reason = (staleReason as () => string | null)()
  if (reason === null) return
  process.stderr.write(`bench: building dist/ (${reason})…\n`)
  ;(build as () => void)()
}

/** Resident set size (bytes) of one process, from /proc (Linux); 0 when it is gone. */
export function rssOf (pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return m === null ? 0 : Number(m[1]) * 1024
  } catch {
    return 0
  }
}

/** CPU time (user + system, ms) a process has used so far, from /proc (Linux); NaN when it is gone. */
export function cpuMsOf (pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return (Number(fields[11]) + Number(fields[12])) * 10 // clock ticks of 10 ms
  } catch {
    return Number.NaN
  }
}

/** Pids of `pid` and all its descendants (from /proc/<pid>/stat parent ids). */
export function processTree (pid: number): number[] {
  const children = new Map<number, number[]>()
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8')
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      children.set(ppid, [...(children.get(ppid) ?? []), Number(name)])
    } catch {}
  }
  const out: number[] = []
  const walk = (p: number): void => { out.push(p); for (const c of children.get(p) ?? []) walk(c) }
  walk(pid)
  return out
}

/** Sum of the resident set sizes of a process tree (bytes). */
export const treeRss = (pid: number): number => processTree(pid).reduce((sum, p) => sum + rssOf(p), 0)

/** The 1-minute load average, for the record beside each number (2 shared cores: above ~2.5 is noisy). */
export const load1 = (): number => loadavg()[0] ?? 0

export const mb = (bytes: number): string => (bytes / 2 ** 20).toFixed(0)
export const fmt = (ms: number): string => ms < 10 ? ms.toFixed(2) : ms.toFixed(0)

/** A server child process on 127.0.0.1. */
export interface Child {
  proc: ChildProcess
  url: string
  pid: number
  output (): string
  stop (): Promise<void>
}

/** Waits until `GET url` answers 200 (polling every `everyMs`); returns the time it took (ms). */
export async function waitHealthy (url: string, child: ChildProcess, timeoutMs = 60_000, everyMs = 10): Promise<number> {
  const t0 = performance.now()
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`process exited (${child.exitCode ?? child.signalCode}) before ${url} answered`)
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) })
      await res.arrayBuffer()
      if (res.ok) return performance.now() - t0
    } catch {}
    if (performance.now() - t0 > timeoutMs) throw new Error(`${url} not healthy after ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, everyMs))
  }
}

/**
 * Starts `node <args>` (cwd: the repository) with `env` on a free port and waits for `healthPath`.
 * With `dataDir`, a fresh temporary DATA_DIR is made and removed on stop.
 */
export async function startChild (args: string[], env: Record<string, string>, healthPath = '/healthz'): Promise<Child> {
  const port = await freePort()
  const dataDir = mkdtempSync(join(tmpdir(), 'tgtt-bench-'))
  const proc = spawn(process.execPath, args, {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', HOST: '127.0.0.1', LOG_LEVEL: 'warn', DATA_DIR: dataDir, ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  proc.stdout?.on('data', (d: Buffer) => { out = (out + d.toString()).slice(-20_000) })
  proc.stderr?.on('data', (d: Buffer) => { out = (out + d.toString()).slice(-20_000) })
  const url = `http://127.0.0.1:${port}`
  const stop = async (): Promise<void> => {
    if (proc.exitCode === null && proc.signalCode === null) {
      const exited = new Promise((resolve) => proc.once('exit', resolve))
      proc.kill('SIGTERM')
      const timer = setTimeout(() => proc.kill('SIGKILL'), 15_000)
      await exited
      clearTimeout(timer)
    }
    rmSync(dataDir, { recursive: true, force: true })
  }
  try {
    await waitHealthy(`${url}${healthPath}`, proc)
  } catch (err) {
    await stop()
    throw new Error(`${(err as Error).message}\n${out}`)
  }
  return { proc, url, pid: proc.pid ?? 0, output: () => out, stop }
}

/**
 * The compiled server (`node dist/src/bundle/main.js`, what `npm start` runs) with `env`. `BENCH_SERVER_NODE_ARGS`
 * adds node options, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile the server under a benchmark.
 */
export async function startServer (env: Record<string, string>, nodeArgs: string[] = []): Promise<Child> {
  ensureBuilt()
  const extra = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter((a) => a !== '')
  return await startChild([...extra, ...nodeArgs, 'dist/src/bundle/main.js'], env)
}
