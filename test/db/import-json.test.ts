import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { createAuditStore, createDossierStore } from '../../src/db/dossier-store.ts'
import { importJsonDataDir } from '../../src/db/import-json.ts'
import { createOutboxStore } from '../../src/db/outbox-store.ts'
import { createSeenIdsStore } from '../../src/db/seen-store.ts'
import { createZaloTokenStore, createZaloUserStore } from '../../src/db/zalo-store.ts'
import type { Dossier } from '../../src/dossiers/types.ts'
import { describeEachEngine } from '../helpers/db.ts'
import { dossierCode as code, storedDossier } from '../helpers/dossier-fixture.ts'

const dossier = (i: number, status: Dossier['status'] = 2): Dossier => storedDossier(code(i), status, [{ channel: 'zalo', userId: 'u1' }])

/** A DATA_DIR as the previous version left it: shards + journals (one already folded, one torn), audit, outbox, tokens. */
function oldDataDir (): string {
  const dir = mkdtempSync(join(tmpdir(), 'old-data-'))
  const d = join(dir, 'dossiers')
  mkdirSync(d)
  writeFileSync(join(d, 'dossiers.json'), JSON.stringify({ version: 2, journal: 3, shards: 2 }))
  writeFileSync(join(d, 'dossiers-000.json'), JSON.stringify({ dossiers: [dossier(1), dossier(2)] }))
  writeFileSync(join(d, 'dossiers-001.json'), JSON.stringify({ dossiers: [dossier(3)] }))
  writeFileSync(join(d, 'dossiers.2.jsonl'), `${JSON.stringify({ op: 'put', d: dossier(9, 10) })}\n`) // older than the manifest: ignored
  writeFileSync(join(d, 'dossiers.3.jsonl'), `${JSON.stringify({ op: 'put', d: dossier(2, 4) })}\n${JSON.stringify({ op: 'put', d: dossier(4) })}\n{"op":"put","d":{"co`)
  writeFileSync(join(d, 'audit.jsonl'), [
    { at: '2026-03-02T09:00:00+07:00', staff: 'lan', action: 'create', code: code(1), details: {} },
    { at: '2026-03-02T09:05:00+07:00', staff: 'hung', action: 'status', code: code(2), details: { status: 4 } },
  ].map((e) => JSON.stringify(e)).join('\n') + '\n')
  const base = { channel: 'telegram', userId: '42', kind: 'notification', attempts: 0, createdAt: 1, updatedAt: 1 }
  writeFileSync(join(dir, 'outbox.json'), JSON.stringify({
    version: 1,
    items: [
      { ...base, id: 'a', replies: [{ text: 'một' }], status: 'sent', delivered: 1, dedupeKey: 'k1' },
      { ...base, id: 'b', replies: [{ text: 'hai' }, { text: 'ba' }], status: 'pending', delivered: 1, nextAttemptAt: 5 },
      { ...base, id: 'c', replies: [{ text: 'bốn' }], status: 'undeliverable', delivered: 0, reason: 'blocked-by-user' },
    ],
  }))
  writeFileSync(join(dir, 'zalo-tokens.json'), JSON.stringify({ tokens: { accessToken: 'acc-7', refreshToken: 'ref-7', expiresAt: 99 } }))
  writeFileSync(join(dir, 'zalo-users.json'), JSON.stringify({ lastInteraction: { u1: 1234 } }))
  writeFileSync(join(dir, 'telegram-updates.json'), JSON.stringify({ ids: ['100', '101'] }))
  return dir
}

describeEachEngine('db:import-json', ({ open }) => {
  it('imports dossiers (snapshot + journal, torn tail skipped), audit, outbox, tokens, users and seen ids; twice is harmless', async () => {
    const t = await open()
    const old = oldDataDir()
    const report = await importJsonDataDir(t.db, old)
    expect(report).toEqual({ dossiers: 4, audit: 2, outbox: 3, tokens: true, zaloUsers: 1, seenIds: 2, tornLines: 1 })
    expect(await importJsonDataDir(t.db, old)).toMatchObject({ dossiers: 4, audit: 0 })

    const dossiers = createDossierStore(t.db)
    expect(await dossiers.size()).toBe(4)
    expect((await dossiers.get(code(2)))?.status).toBe(4)
    expect(await dossiers.get(code(9))).toBeUndefined()
    expect((await createAuditStore(t.db).recent()).map((e) => e.staff)).toEqual(['hung', 'lan'])
    const outbox = await createOutboxStore(t.db).list()
    expect(outbox.map((i) => [i.id, i.status, i.delivered])).toEqual([['a', 'sent', 1], ['b', 'pending', 1], ['c', 'undeliverable', 0]])
    expect(await createOutboxStore(t.db).insert({ id: 'z', channel: 'telegram', userId: '1', replies: [], kind: 'reply', dedupeKey: 'k1' }, 2)).toEqual({ id: 'a', duplicate: true })
    expect(await createZaloTokenStore(t.db).get()).toEqual({ accessToken: 'acc-7', refreshToken: 'ref-7', expiresAt: 99 })
    expect(await createZaloUserStore(t.db).lastInteraction('u1')).toBe(1234)
    expect(await createSeenIdsStore(t.db, 'telegram').add('100')).toBe(false)
  })
})

it('npm run db:import-json -- <dir> imports into the configured DATA_DIR', () => {
  const target = mkdtempSync(join(tmpdir(), 'new-data-'))
  const out = execFileSync('npx', ['tsx', 'scripts/db-import-json.ts', oldDataDir()], { encoding: 'utf8', env: { ...process.env, DATA_DIR: target, DATABASE_URL: '' } })
  expect(out).toMatch(/"dossiers":4/)
}, 60_000)
