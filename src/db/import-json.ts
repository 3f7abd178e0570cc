import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { AuditEntry } from '../dossiers/audit.ts'
import type { Dossier } from '../dossiers/types.ts'
import type { Db } from './connect.ts'
import { createAuditStore, createDossierStore } from './dossier-store.ts'
import { createOutboxStore, type OutboxRow } from './outbox-store.ts'
import { createSeenIdsStore } from './seen-store.ts'
import { createZaloTokenStore, createZaloUserStore, type ZaloTokenPair } from './zalo-store.ts'

/** What an import found and wrote. */
export interface ImportReport {
  dossiers: number
  audit: number
  outbox: number
  tokens: boolean
  zaloUsers: number
  seenIds: number
  /** Torn last journal lines skipped (a crash mid-append in the old store). */
  tornLines: number
}

const readJson = <T>(file: string): T | undefined => existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) as T : undefined

/** Parses JSON lines; an unreadable last line (torn by a crash) is skipped and counted. */
function readLines<T> (file: string): { records: T[], torn: number } {
  if (!existsSync(file)) return { records: [], torn: 0 }
  const lines = readFileSync(file, 'utf8').split('\n')
  const records: T[] = []
  let torn = 0
  lines.forEach((line, i) => {
    if (line.trim() === '') return
    try {
      records.push(JSON.parse(line) as T)
    } catch (err) {
      if (lines.slice(i + 1).some((l) => l.trim() !== '')) throw new Error(`${file}: unreadable line ${i + 1}: ${(err as Error).message}`)
      torn++
    }
  })
  return { records, torn }
}

/**
 * Imports the JSON/journal files of a DATA_DIR written by earlier versions into `db`: dossiers (snapshot
 * shards + journals), the audit log, the outbox, Zalo tokens and users, seen update ids. Re-running it is
 * safe: dossiers are upserted, outbox items and ids keep their keys, the audit is imported only into an
 * empty audit table, and the stored Zalo token pair is replaced by the file's (the newest refresh token).
 */
export async function importJsonDataDir (db: Db, dir: string): Promise<ImportReport> {
  const report: ImportReport = { dossiers: 0, audit: 0, outbox: 0, tokens: false, zaloUsers: 0, seenIds: 0, tornLines: 0 }
  const dossierDir = join(dir, 'dossiers')

  // Dossiers: shards named by the manifest, then the journals it has not folded in, in order.
  const manifest = readJson<{ version: number, journal: number, shards: number }>(join(dossierDir, 'dossiers.json'))
  const byCode = new Map<string, Dossier>()
  if (existsSync(dossierDir)) {
    for (const f of readdirSync(dossierDir).filter((n) => /^dossiers-\d+\.json$/.test(n)).sort()) {
      for (const d of readJson<{ dossiers: Dossier[] }>(join(dossierDir, f))?.dossiers ?? []) byCode.set(d.code, d)
    }
    const gens = readdirSync(dossierDir).map((n) => /^dossiers\.(\d+)\.jsonl$/.exec(n)?.[1]).filter((g) => g !== undefined).map(Number)
      .filter((g) => g >= (manifest?.journal ?? 0)).sort((a, b) => a - b)
    for (const g of gens) {
      const { records, torn } = readLines<{ op: string, d: Dossier }>(join(dossierDir, `dossiers.${g}.jsonl`))
      report.tornLines += torn
      for (const r of records) if (r.op === 'put') byCode.set(r.d.code, r.d)
    }
  }
  const dossiers = createDossierStore(db)
  await dossiers.putMany([...byCode.values()])
  report.dossiers = byCode.size

  const { records: audit, torn } = readLines<AuditEntry>(join(dossierDir, 'audit.jsonl'))
  report.tornLines += torn
  const hasAudit = await db.kysely.selectFrom('audit').select('id').limit(1).executeTakeFirst()
  if (hasAudit === undefined && audit.length > 0) {
    await createAuditStore(db).appendMany(audit)
    report.audit = audit.length
  }

  type OldItem = Omit<OutboxRow, 'seq' | 'nextAttemptAt'> & { nextAttemptAt?: number }
  const outbox = readJson<{ items: OldItem[] }>(join(dir, 'outbox.json'))?.items ?? []
  await createOutboxStore(db).importRows(outbox.map((i, n) => ({ ...i, seq: n, nextAttemptAt: i.nextAttemptAt ?? 0 })))
  report.outbox = outbox.length

  const tokens = readJson<{ tokens?: ZaloTokenPair }>(join(dir, 'zalo-tokens.json'))?.tokens
  if (tokens !== undefined) {
    await createZaloTokenStore(db).save(tokens)
    report.tokens = true
  }
  const users = readJson<{ lastInteraction: Record<string, number> }>(join(dir, 'zalo-users.json'))?.lastInteraction ?? {}
  const userStore = createZaloUserStore(db)
  for (const [userId, at] of Object.entries(users)) await userStore.touch(userId, at)
  report.zaloUsers = Object.keys(users).length

  for (const [file, source] of [['telegram-updates.json', 'telegram'], ['zalo-events.json', 'zalo']] as const) {
    const ids = readJson<{ ids: string[] }>(join(dir, file))?.ids ?? []
    const seen = createSeenIdsStore(db, source)
    for (const id of ids) { await seen.add(id); await seen.finish(id) }
    report.seenIds += ids.length
  }
  return report
}
