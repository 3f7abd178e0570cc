import { spawn, type ChildProcess } from 'node:child_process'
import { TEST_DATABASE_URL, type TestDb } from '../helpers/db.ts'

/** A real server process (`node --import tsx src/main.ts`). */
export interface ServerProcess {
  url: string
  proc: ChildProcess
  /** Every stdout/stderr line so far. */
  lines: string[]
  exited: Promise<number | null>
  kill (signal?: NodeJS.Signals): Promise<void>
}

export const STAFF = 'fault-staff-token-0123456789'

/** Environment that points a server at the test database `t` (SQLite dir, or its PostgreSQL schema). */
export function dbEnv (t: TestDb): Record<string, string> {
  if (t.schema === undefined) return { DATA_DIR: t.dataDir }
  const url = new URL(TEST_DATABASE_URL)
  url.searchParams.set('options', `-c search_path=${t.schema}`)
  return { DATA_DIR: t.dataDir, DATABASE_URL: url.toString() }
}

/** Starts the server and resolves once it listens (or rejects with its output if it exits first). */
export async function startServer (env: Record<string, string>): Promise<ServerProcess> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { ...process.env, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', STAFF_TOKENS: `fault:${STAFF}`, CI: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const lines: string[] = []
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)))
  const url = await new Promise<string>((resolve, reject) => {
    let buf = ''
    const onData = (chunk: Buffer): void => {
      buf += chunk.toString()
      const parts = buf.split('\n')
      buf = parts.pop() ?? ''
      for (const line of parts) {
        lines.push(line)
        const m = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(line)
        if (m?.[1] !== undefined) resolve(m[1])
      }
    }
    proc.stdout?.on('data', onData)
    proc.stderr?.on('data', onData)
    exited.then((code) => reject(new Error(`server exited with ${String(code)} before listening:\n${lines.join('\n')}${buf}`)), () => {})
    setTimeout(() => reject(new Error(`server did not start in 30 s:\n${lines.join('\n')}`)), 30_000).unref()
  })
  return {
    url,
    proc,
    lines,
    exited,
    async kill (signal = 'SIGKILL') {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal)
      await exited
    },
  }
}
