import { describe, expect, it } from 'vitest'
import { createGroupCommit } from '../../src/db/group-commit.ts'

describe('group commit', () => {
  it('writes the rows added in one turn together, the last row of a key winning, and resolves each add after its write', async () => {
    const writes: string[][] = []
    const g = createGroupCommit<string, string>(async (rows) => { writes.push(rows) })
    const done: string[] = []
    await Promise.all(['a1', 'b1', 'a2', 'c1'].map((row) => g.add(row[0]!, row).then(() => done.push(row))))
    await g.add('d', 'd1')
    expect(writes).toEqual([['b1', 'a2', 'c1'], ['d1']])
    expect(done.sort()).toEqual(['a1', 'a2', 'b1', 'c1'])
  })

  it('a failed write rejects the adds of its batch only; the next batch is written', async () => {
    let fail = true
    const written: string[] = []
    const g = createGroupCommit<string, string>(async (rows) => {
      if (fail) { fail = false; throw new Error('disk full') }
      written.push(...rows)
    })
    const first = await Promise.allSettled([g.add('a', 'a'), g.add('b', 'b')])
    expect(first.map((r) => r.status)).toEqual(['rejected', 'rejected'])
    await g.add('c', 'c')
    await g.flush()
    expect(written).toEqual(['c'])
  })

  it('rows added while a batch is being written go into the next batch', async () => {
    const writes: string[][] = []
    let release!: () => void
    const gate = new Promise<void>((resolve) => { release = resolve })
    const g = createGroupCommit<string, string>(async (rows) => { writes.push(rows); if (writes.length === 1) await gate })
    const first = g.add('a', 'a')
    await new Promise((resolve) => setImmediate(resolve))
    await new Promise((resolve) => setImmediate(resolve))
    const second = g.add('b', 'b')
    release()
    await Promise.all([first, second])
    expect(writes).toEqual([['a'], ['b']])
  })
})
