import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { startServer } from './server.ts'

it('a second server on the same embedded DATA_DIR refuses to start with a clear message; after the first stops it starts', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tgtt-lock-'))
  const first = await startServer({ DATA_DIR: dataDir })
  try {
    await expect(startServer({ DATA_DIR: dataDir })).rejects.toThrow(/exited with 1[\s\S]*DATA_DIR .* is in use by another process \(pid \d+\)/)
    expect((await fetch(`${first.url}/healthz`)).status).toBe(200)
  } finally {
    await first.kill('SIGKILL')
  }
  // A lock left by a killed process does not block the next start.
  const next = await startServer({ DATA_DIR: dataDir })
  await next.kill('SIGTERM')
})
