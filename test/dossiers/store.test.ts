import { spawn } from 'node:child_process'
import { appendFileSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { openFileAuditLog } from '../../src/dossiers/audit.ts'
import { openFileDossierStore } from '../../src/dossiers/file-store.ts'
import type { Dossier } from '../../src/dossiers/types.ts'

const dirs: string[] = []
const tempDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'dossiers-'))
  dirs.push(d)
  return d
}
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }) })

const dossier = (code: string, status: Dossier['status'] = 2): Dossier => ({
  code,
  procedureId: 'dang-ky-tam-tru',
  applicantName: 'Nguyễn Văn An',
  phone: '0912345678',
  receivedAt: '2026-03-02T09:00:00+07:00',
  dueAt: '2026-03-05T09:00:00+07:00',
  status,
  history: [{ at: '2026-03-02T09:00:00+07:00', status }],
  missingDocuments: [],
  lookupCode: 'K7M2QX',
  subscribers: [],
  updatedAt: '2026-03-02T09:00:00+07:00',
})
const code = (i: number): string => `000.00.04.H51-260302-${String(i).padStart(4, '0')}`

describe('file store', () => {
  it('keeps every write across a restart', async () => {
    const dir = tempDir()
    const a = await openFileDossierStore(dir)
    await Promise.all(Array.from({ length: 50 }, (_, i) => a.put(dossier(code(i)))))
    await a.put(dossier(code(7), 9))
    await a.close()
    const b = await openFileDossierStore(dir)
    expect(await b.size()).toBe(50)
    expect((await b.get(code(7)))?.status).toBe(9)
    await b.close()
  })

  it('compacts into the lowdb snapshot and drops old journals', async () => {
    const dir = tempDir()
    const a = await openFileDossierStore(dir, { compactAfter: 10 })
    for (let i = 0; i < 35; i++) await a.put(dossier(code(i)))
    await a.compact()
    await a.close()
    expect(readdirSync(dir).filter((f) => f.endsWith('.jsonl'))).toHaveLength(1)
    const b = await openFileDossierStore(dir)
    expect(b.loadStats).toMatchObject({ snapshot: 35, replayed: 0 })
    await b.close()
  })

  it('rewrites only the snapshot shards that changed', async () => {
    const dir = tempDir()
    const a = await openFileDossierStore(dir)
    for (let i = 0; i < 100; i++) await a.put(dossier(code(i)))
    await a.compact()
    const shards = (): Map<string, number> => new Map(readdirSync(dir).filter((f) => /^dossiers-\d+\.json$/.test(f)).map((f) => [f, statSync(join(dir, f)).mtimeMs]))
    const before = shards()
    await a.put(dossier(code(5), 9))
    await a.compact()
    const after = shards()
    expect([...after].filter(([f, t]) => before.get(f) !== t)).toHaveLength(1)
    await a.close()
    const b = await openFileDossierStore(dir)
    expect((await b.get(code(5)))?.status).toBe(9)
    await b.close()
  })

  it('tolerates a torn last journal line and keeps appending cleanly', async () => {
    const dir = tempDir()
    const a = await openFileDossierStore(dir)
    await a.put(dossier(code(1)))
    await a.put(dossier(code(2)))
    await a.close()
    const journal = readdirSync(dir).find((f) => f.endsWith('.jsonl')) ?? ''
    appendFileSync(join(dir, journal), '{"op":"put","d":{"code":"000.00.04.H51-26')
    const b = await openFileDossierStore(dir)
    expect(b.loadStats.tornTail).toBe(true)
    expect(await b.size()).toBe(2)
    await b.put(dossier(code(3)))
    await b.close()
    const c = await openFileDossierStore(dir)
    expect(await c.size()).toBe(3)
    await c.close()
  })

  it('refuses to open a journal corrupted before its last line', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'dossiers.0.jsonl'), `garbage\n${JSON.stringify({ op: 'put', d: dossier(code(1)) })}\n`)
    await expect(openFileDossierStore(dir)).rejects.toThrow(/unreadable line/)
  })
})

describe('file audit log', () => {
  it('keeps entries across a restart, newest first', async () => {
    const file = join(tempDir(), 'audit.jsonl')
    const a = await openFileAuditLog(file)
    await a.append({ at: '2026-03-02T09:00:00+07:00', staff: 'lan', action: 'create', code: code(1), details: {} })
    await a.append({ at: '2026-03-02T09:05:00+07:00', staff: 'hung', action: 'status', code: code(1), details: { status: 4 } })
    await a.close()
    const b = await openFileAuditLog(file)
    expect(b.recent().map((e) => e.staff)).toEqual(['hung', 'lan'])
    await b.close()
  })
})

describe('crash safety', () => {
  it('contains every acknowledged write after the writer is killed with SIGKILL', async () => {
    const dir = tempDir()
    const child = spawn('npx', ['tsx', 'test/dossiers/fixtures/crash-writer.ts', dir], { stdio: ['ignore', 'pipe', 'inherit'] })
    const created: string[] = []
    const counters = new Map<string, number>()
    let pid = 0
    let killed = false
    let buffered = ''
    await new Promise<void>((resolve, reject) => {
      child.on('error', reject)
      child.on('exit', () => resolve())
      child.stdout.on('data', (chunk: Buffer) => {
        buffered += chunk.toString()
        const lines = buffered.split('\n')
        buffered = lines.pop() ?? ''
        for (const line of lines) {
          const [kind, c, n] = line.split(' ')
          if (kind === 'pid') pid = Number(c)
          if (kind === 'new' && c !== undefined) created.push(c)
          if (kind === 'upd' && c !== undefined) counters.set(c, Number(n))
        }
        // Kill mid-way, well after several compactions (every 200 journal lines).
        if (created.length >= 1500 && pid > 1 && pid !== process.pid && !killed) {
          killed = true
          process.kill(pid, 'SIGKILL')
        }
      })
    })
    expect(created.length).toBeGreaterThanOrEqual(1500)
    const store = await openFileDossierStore(dir)
    for (const c of created) expect(await store.get(c), c).toBeDefined()
    for (const [c, n] of counters) {
      const note = (await store.get(c))?.history[0]?.note ?? ''
      expect(Number(note.replace('update ', '')), c).toBeGreaterThanOrEqual(n)
    }
    await store.close()
  }, 60_000)
})
