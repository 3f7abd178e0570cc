// `npm start` on a fresh clone: builds dist/ (tsc, then the esbuild bundle), then runs the bundled server with plain node (no tsx);
// the static pages and the catalogue resolve from dist/. Runs on a copy of the repository's sources in a
// temp dir (node_modules linked), so the working tree's own dist/ is left alone.
import { spawn } from 'node:child_process'
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, utimesSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
// @ts-expect-error plain JavaScript module without types
import { staleReason } from '../../scripts/build.mjs'
import { freePort } from '../helpers/server-process.ts'

const ROOT = join(import.meta.dirname, '..', '..')
const stale = staleReason as (root: string, outDir?: string) => string | null

/** `node scripts/start.mjs` in `dir`, until /healthz answers; then SIGTERM. */
async function start (dir: string): Promise<{ stderr: string, cmdline: string, health: unknown, page: string, console: string, chat: unknown, exitCode: number | null }> {
  const port = await freePort()
  const proc = spawn(process.execPath, ['scripts/start.mjs'], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn', DATA_DIR: join(dir, 'var') },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stderr = ''
  proc.stderr.on('data', (d: Buffer) => { stderr += d.toString() })
  proc.stdout.on('data', () => {})
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)))
  const url = `http://127.0.0.1:${port}`
  try {
    const deadline = Date.now() + 150_000
    for (;;) {
      if (proc.exitCode !== null) throw new Error(`exited ${proc.exitCode}: ${stderr}`)
      const res = await fetch(`${url}/healthz`).catch(() => undefined)
      if (res?.ok === true) break
      if (Date.now() > deadline) throw new Error(`not healthy: ${stderr}`)
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    const cmdline = readFileSync(`/proc/${proc.pid}/cmdline`, 'utf8').split('\0').join(' ')
    const health = await (await fetch(`${url}/healthz`)).json()
    const page = await (await fetch(`${url}/`)).text()
    const consoleCss = await fetch(`${url}/staff/assets/console.css`)
    const consolePage = `${await (await fetch(`${url}/staff`)).text()}\n/* console.css: ${consoleCss.status} ${consoleCss.headers.get('content-type') ?? ''} */`
    const chat = await (await fetch(`${url}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sessionId: 'build-test-1', text: 'đăng ký khai sinh' }) })).json()
    return { stderr, cmdline, health, page, console: consolePage, chat, exitCode: await (proc.kill('SIGTERM'), exited) }
  } finally {
    if (proc.exitCode === null) proc.kill('SIGKILL')
  }
}

describe('production build and start', () => {
  let dir: string
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tgtt-build-'))
    for (const entry of ['src', 'bots', 'data', 'scripts', 'package.json', 'tsconfig.json', 'tsconfig.build.json']) cpSync(join(ROOT, entry), join(dir, entry), { recursive: true })
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir')
  })
  afterAll(() => { rmSync(dir, { recursive: true, force: true }) })

  it('a fresh clone builds on the first start, then serves /healthz, the web chat and the chat API from dist/ with plain node', async () => {
    expect(stale(dir)).toBe('no build yet')
    const first = await start(dir)
    expect(first.stderr).toContain('building dist/ (no build yet)')
    expect(first.cmdline).toMatch(/node scripts\/start\.mjs $/)
    expect(first.cmdline).not.toContain('tsx')
    expect(first.health).toMatchObject({ status: 'ok' })
    expect((first.health as { procedures: number }).procedures).toBeGreaterThan(100)
    expect(first.page).toContain('<html lang="vi">')
    // Both folders of static files resolve from the bundle (dist/src/bundle/ reads dist/src/{web,staff}/public/).
    expect(first.console).toContain('<html')
    expect(first.console).toContain('/staff/assets/')
    expect(first.console).toContain('console.css: 200 text/css')
    expect(JSON.stringify(first.chat)).toContain('KHAI SINH')
    expect(first.exitCode).toBe(0)
    expect(existsSync(join(dir, 'dist', 'src', 'main.js'))).toBe(true)
    expect(existsSync(join(dir, 'dist', 'src', 'bundle', 'main.js'))).toBe(true)
    expect(existsSync(join(dir, 'dist', 'src', 'web', 'public', 'index.html'))).toBe(true)
    expect(existsSync(join(dir, 'dist', 'src', 'main.ts'))).toBe(false)
  }, 180_000)

  it('a second start does not build again; a changed source makes the build stale', async () => {
    expect(stale(dir)).toBeNull()
    const second = await start(dir)
    expect(second.stderr).not.toContain('building')
    expect(second.health).toMatchObject({ status: 'ok' })
    const later = new Date(Date.now() + 60_000)
    utimesSync(join(dir, 'src', 'web', 'public', 'chat.css'), later, later)
    expect(stale(dir)).toBe('sources changed since the last build')
  }, 60_000)
})
