import { SQLITE_FILE } from '../../src/db/connect.ts'
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { startFakeZalo, type FakeZalo, zaloEnv } from '../helpers/fake-zalo.ts'
import { startServerProcess, type ServerProcess } from '../helpers/server-process.ts'
import { ZALO } from '../bots/harness.ts'

let server: ServerProcess | undefined
let zalo: FakeZalo | undefined
const dirs: string[] = []
afterEach(async () => {
  if (server !== undefined && server.proc.exitCode === null && server.proc.signalCode === null) server.proc.kill('SIGKILL')
  await server?.exited(5000)
  await zalo?.close()
  server = zalo = undefined
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})
const tempDir = (): string => { const d = mkdtempSync(join(tmpdir(), 'tgtt-proc-')); dirs.push(d); return d }

/** Opens a request whose body never finishes: the server cannot close while it is in flight. */
function hangingRequest (port: number): () => void {
  const socket = connect(port, '127.0.0.1')
  socket.on('error', () => {})
  socket.write('POST /api/chat HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{')
  const timer = setInterval(() => { if (!socket.destroyed) socket.write(' ') }, 200)
  return () => { clearInterval(timer); socket.destroy() }
}

describe('graceful shutdown (issue 12, hole 8)', { timeout: 60_000 }, () => {
  it('exits within its deadline even when a request hangs', async () => {
    server = await startServerProcess({ DATA_DIR: join(tempDir(), 'var'), SHUTDOWN_DEADLINE_MS: '1500' })
    const stop = hangingRequest(server.port)
    await new Promise((resolve) => setTimeout(resolve, 300))
    const t0 = Date.now()
    server.proc.kill('SIGTERM')
    const code = await server.exited(10_000)
    stop()
    expect(code).not.toBe('timeout')
    expect(Date.now() - t0).toBeLessThan(6000)
  })

  it('exits at once on a second signal', async () => {
    server = await startServerProcess({ DATA_DIR: join(tempDir(), 'var'), SHUTDOWN_DEADLINE_MS: '60000' })
    const stop = hangingRequest(server.port)
    await new Promise((resolve) => setTimeout(resolve, 300))
    server.proc.kill('SIGTERM')
    await new Promise((resolve) => setTimeout(resolve, 500))
    const t0 = Date.now()
    server.proc.kill('SIGTERM')
    const code = await server.exited(3000)
    stop()
    expect(code).not.toBe('timeout')
    expect(Date.now() - t0).toBeLessThan(2500)
  })
})

describe('file modes (issue 12, minor points)', { timeout: 60_000 }, () => {
  it('creates DATA_DIR 0700 and every data file 0600, the database (Zalo tokens included) too', async () => {
    zalo = await startFakeZalo({ appId: ZALO.appId, appSecret: ZALO.appSecret })
    const dataDir = join(tempDir(), 'var')
    server = await startServerProcess({
      DATA_DIR: dataDir,
      STAFF_TOKENS: 'lan:staff-token-0123456789',
      ...zaloEnv(zalo, ZALO),
    })
    const res = await fetch(`${server.url}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sessionId: 'mode-check-1', text: 'lam khai sinh' }) })
    expect(res.status).toBe(200)
    server.proc.kill('SIGTERM')
    expect(await server.exited(10_000)).toBe(0)
    const entries: Array<{ path: string, mode: number, dir: boolean }> = []
    const walk = (p: string): void => {
      const st = statSync(p)
      entries.push({ path: p, mode: st.mode & 0o777, dir: st.isDirectory() })
      if (st.isDirectory()) for (const f of readdirSync(p)) walk(join(p, f))
    }
    walk(dataDir)
    expect(entries.some((e) => e.path.endsWith(SQLITE_FILE))).toBe(true)
    expect(entries.filter((e) => !e.dir).length).toBeGreaterThanOrEqual(1)
    for (const e of entries) expect(e.mode.toString(8), e.path).toBe(e.dir ? '700' : '600')
  })
})
