// Flat hot paths (issue 14): every statement a chat message or a Telegram update runs — seen id, conversation
// state, unanswered log, outbox insert, claim and delivery mark — finds its rows through an index, so its cost
// does not grow with the history kept (conversations, seen ids, sent messages, logged questions). SQLite's
// query plans, read after the tables were filled; the statements are captured from the real stores.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CompiledQuery } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabase, type Db } from '../../src/db/connect.ts'
import { createConversationStateStore, createUnansweredStore } from '../../src/db/conversation-store.ts'
import { createOutboxStore, type OutboxRow } from '../../src/db/outbox-store.ts'
import { createSeenIdsStore } from '../../src/db/seen-store.ts'

const T0 = Date.UTC(2026, 2, 2, 2, 0, 0)
/** Tables that grow with use: a statement on the per-message path must never scan one of them whole. */
const HISTORY = ['conversations', 'seen_updates', 'outbox', 'outbox_chats', 'unanswered']

describe('per-message statements on a database with history [sqlite]', () => {
  let dataDir: string
  let db: Db
  let capture: Map<string, readonly unknown[]> | undefined
  const statements = new Map<string, readonly unknown[]>()

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'tgtt-plans-'))
    db = await openDatabase({ dataDir, onQuery: (q) => { capture?.set(q.sql, q.parameters) } })
    const states = createConversationStateStore(db, () => T0)
    const log = createUnansweredStore(db, () => T0)
    const seen = createSeenIdsStore(db, 'telegram', { now: () => T0 })
    const outbox = createOutboxStore(db)
    // History: thousands of conversations, seen ids, sent messages and logged questions.
    const sent: OutboxRow[] = Array.from({ length: 3000 }, (_, i) => ({
      seq: 0, id: `old-${i}`, channel: 'telegram', userId: String(i), kind: 'reply', replies: [{ text: 'Dạ.' }], status: 'sent', delivered: 1, attempts: 0, createdAt: T0, updatedAt: T0, nextAttemptAt: 0, dedupeKey: `telegram:update:${i}`,
    }))
    await outbox.importRows(sent)
    await Promise.all(Array.from({ length: 3000 }, (_, i) => states.set('telegram', String(i), { procedureId: 'dang-ky-khai-sinh', updatedAt: T0 })))
    for (let i = 0; i < 3000; i++) await seen.add(String(i))
    for (let i = 0; i < 300; i++) await log.record(`câu hỏi số ${i}`, 'telegram')
    await log.flush()

    // One Telegram update's worth, on fresh store objects (nothing cached in memory).
    capture = statements
    const fresh = createConversationStateStore(db, () => T0)
    expect(await seen.add('new-update')).toBe(true)
    expect(await fresh.get('telegram', '1234')).toEqual({ procedureId: 'dang-ky-khai-sinh', updatedAt: T0 })
    await fresh.set('telegram', '1234', { procedureId: 'dang-ky-ket-hon', updatedAt: T0 })
    const freshLog = createUnansweredStore(db, () => T0)
    await freshLog.record('karaoke ở đâu', 'telegram')
    await freshLog.flush()
    await outbox.insert({ id: 'new-item', channel: 'telegram', userId: '1234', kind: 'reply', replies: [{ text: 'Dạ, em gửi Anh/Chị.' }], dedupeKey: 'telegram:update:new-update' }, T0)
    const claimed = await outbox.claim({ channels: ['telegram'], now: T0, owner: 'me', leaseMs: 60_000, paceMs: 1000, limit: 16 })
    expect(claimed.map((r) => r.id)).toEqual(['new-item'])
    expect(await outbox.markDelivered('new-item', 'me', 1, T0, 60_000, true)).toBe(true)
    capture = undefined
  }, 60_000)

  afterAll(async () => {
    await db.close()
    rmSync(dataDir, { recursive: true, force: true })
  })

  it('captured the statements of every store on the path', () => {
    const sqls = [...statements.keys()].join('\n')
    for (const table of HISTORY) expect(sqls).toContain(`"${table}"`)
  })

  it('no statement scans a history table (rows are found by key or through the pending-only indexes)', async () => {
    const scans: string[] = []
    for (const [text, parameters] of statements) {
      if (!/^\s*(select|insert|update|delete|with)\b/i.test(text)) continue
      const plan = await db.kysely.executeQuery(CompiledQuery.raw(`EXPLAIN QUERY PLAN ${text}`, [...parameters]))
      for (const row of plan.rows as Array<{ detail: string }>) {
        const m = /^SCAN (\w+)( USING (COVERING )?INDEX (\w+))?/.exec(row.detail)
        if (m === null || !HISTORY.includes(m[1] ?? '')) continue
        // The outbox's working set: pending items only (partial indexes), however many were sent.
        if ((m[4] ?? '').startsWith('outbox_pending')) continue
        scans.push(`${row.detail} — ${text.slice(0, 100)}`)
      }
    }
    expect(scans).toEqual([])
  })
})
