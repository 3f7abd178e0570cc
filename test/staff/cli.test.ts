import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { openDatabase } from '../../src/db/connect.ts'
import { createAttemptStore } from '../../src/db/attempt-store.ts'
import { createAuditStore } from '../../src/db/dossier-store.ts'
import { createStaffStore } from '../../src/db/staff-store.ts'
import { createStaffAccounts } from '../../src/staff/accounts.ts'

const dirs: string[] = []
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }) })

const run = (dataDir: string, args: string[], input: string) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'scripts/staff-add.ts', ...args], { input, encoding: 'utf8', env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'silent' } })

describe('npm run staff:add', () => {
  it('creates an account from a password on stdin, resets it on a second run, refuses bad input', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tgtt-staff-cli-'))
    dirs.push(dataDir)
    const first = run(dataDir, ['Lan', '--role', 'admin'], 'mat-khau-dai-1\n')
    expect(first.status, first.stderr).toBe(0)
    expect(first.stdout).toContain('Created admin account lan')
    const second = run(dataDir, ['lan'], 'mat-khau-moi-2\n')
    expect(second.stdout).toContain('Reset officer account lan')
    expect(run(dataDir, ['lan'], 'ngan\n').status).toBe(1)
    expect(run(dataDir, ['lan', '--role', 'boss'], 'mat-khau-dai-1\n').status).toBe(2)
    const db = await openDatabase({ dataDir })
    try {
      const accounts = createStaffAccounts({ store: createStaffStore(db), attempts: createAttemptStore(db), audit: createAuditStore(db) })
      expect((await accounts.login('lan', 'mat-khau-dai-1')).result).toBe('wrong')
      const ok = await accounts.login('lan', 'mat-khau-moi-2')
      expect(ok.result === 'ok' && ok.principal).toEqual({ username: 'lan', role: 'officer' })
    } finally {
      await db.close()
    }
  })
})
