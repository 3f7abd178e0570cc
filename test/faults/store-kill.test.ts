import { spawn } from 'node:child_process'
import { expect, it } from 'vitest'
import { createDossierStore } from '../../src/db/dossier-store.ts'
import { describeEachEngine, TEST_DATABASE_URL } from '../helpers/db.ts'

describeEachEngine('dossier store crash safety', ({ engine, open }) => {
  it('contains every acknowledged write after the writer is killed with SIGKILL', async () => {
    const t = await open()
    await t.db.close()
    const args = ['tsx', 'test/faults/crash-writer.ts', t.dataDir, ...(engine === 'postgres' ? [TEST_DATABASE_URL, t.schema ?? ''] : [])]
    const child = spawn('npx', args, { stdio: ['ignore', 'pipe', 'inherit'] })
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
        if (created.length >= 500 && pid > 1 && pid !== process.pid && !killed) {
          killed = true
          process.kill(pid, 'SIGKILL')
        }
      })
    })
    expect(killed).toBe(true)
    expect(created.length).toBeGreaterThanOrEqual(500)
    const store = createDossierStore(await t.reopen())
    for (const c of created) expect(await store.get(c), c).toBeDefined()
    for (const [c, n] of counters) {
      const note = (await store.get(c))?.history[0]?.note ?? ''
      expect(Number(note.replace('update ', '')), c).toBeGreaterThanOrEqual(n)
    }
  }, 60_000)
})
