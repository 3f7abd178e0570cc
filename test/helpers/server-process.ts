import { spawn, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'

/** A free TCP port on 127.0.0.1 (bound then released). */
export async function freePort (): Promise<number> {
  return await new Promise((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address()
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0
      s.close(() => resolve(port))
    })
  })
}

/** The real server (`src/main.ts` under tsx, one process so signals reach it) on 127.0.0.1. */
export interface ServerProcess {
  proc: ChildProcess
  url: string
  port: number
  /** stdout + stderr so far. */
  output (): string
  /** Resolves with the exit code (or signal name), or 'timeout' after `ms`. */
  exited (ms: number): Promise<number | string>
}

/** Starts `node --import tsx src/main.ts` with `env` and waits until /healthz answers (at most `readyMs`). */
export async function startServerProcess (env: Record<string, string>, readyMs = 30_000): Promise<ServerProcess> {
  const port = env.PORT !== undefined ? Number(env.PORT) : await freePort()
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'warn', HOST: '127.0.0.1', ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  proc.stdout?.on('data', (d: Buffer) => { out += d.toString() })
  proc.stderr?.on('data', (d: Buffer) => { out += d.toString() })
  let exitValue: number | string | undefined
  const exit = new Promise<number | string>((resolve) => {
    proc.once('exit', (code, signal) => { exitValue = code ?? signal ?? -1; resolve(exitValue) })
  })
  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + readyMs
  for (;;) {
    if (exitValue !== undefined) throw new Error(`server exited (${exitValue}) before ready:\n${out}`)
    try {
      const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1000) })
      if (res.ok) break
    } catch {}
    if (Date.now() > deadline) {
      proc.kill('SIGKILL')
      throw new Error(`server not ready after ${readyMs} ms:\n${out}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  return {
    proc,
    url,
    port,
    output: () => out,
    exited: (ms) => Promise.race([exit, new Promise<string>((resolve) => setTimeout(() => resolve('timeout'), ms))]),
  }
}
