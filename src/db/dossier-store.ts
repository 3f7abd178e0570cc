import { sql, type Kysely, type Transaction } from 'kysely'
import type { AuditEntry, AuditLog } from '../dossiers/audit.ts'
import type { DossierStore } from '../dossiers/store.ts'
import type { Dossier } from '../dossiers/types.ts'
import type { Db } from './connect.ts'
import { suffixExpression } from './migrations.ts'
import type { Database } from './schema.ts'

const dossierRow = (d: Dossier) => ({ code: d.code, procedure_id: d.procedureId, status: d.status, updated_at: d.updatedAt, doc: JSON.stringify(d) })
const auditRow = (e: AuditEntry) => ({ at: e.at, staff: e.staff, action: e.action, code: e.code, details: JSON.stringify(e.details) })

/**
 * Dossiers in the `dossiers` table: one row per code, the record (history and subscribers included) as
 * a JSON document, with its status and procedure as columns; who follows which dossier is mirrored in
 * `dossier_subscriptions` in the same transaction. `put` resolves once committed. `get` (every citizen
 * lookup) is one prepared primary-key read.
 */
export function createDossierStore (db: Db): DossierStore & { putMany (dossiers: readonly Dossier[]): Promise<void> } {
  const k = db.kysely
  const byCode = db.prepare(k.selectFrom('dossiers').select('doc').where('code', '=', ''))
  const upsert = (q: Kysely<Database>, batch: readonly Dossier[]) => q.insertInto('dossiers').values(batch.map(dossierRow))
    .onConflict((oc) => oc.column('code').doUpdateSet((eb) => ({
      procedure_id: eb.ref('excluded.procedure_id'),
      status: eb.ref('excluded.status'),
      updated_at: eb.ref('excluded.updated_at'),
      doc: eb.ref('excluded.doc'),
    })))
  /** Writes a batch of dossiers and rewrites their subscription rows (inside a transaction). */
  async function write (tx: Transaction<Database>, batch: readonly Dossier[]): Promise<void> {
    await upsert(tx, batch).execute()
    await tx.deleteFrom('dossier_subscriptions').where('code', 'in', batch.map((d) => d.code)).execute()
    const subs = batch.flatMap((d) => d.subscribers.map((s) => ({ channel: s.channel, user_id: s.userId, code: d.code })))
    if (subs.length > 0) await tx.insertInto('dossier_subscriptions').values(subs).onConflict((oc) => oc.doNothing()).execute()
  }
  return {
    async get (code) {
      const r = (await byCode([code]))[0]
      return r === undefined ? undefined : JSON.parse(r.doc) as Dossier
    },
    async findBySuffix (suffix, limit) {
      const rows = await k.selectFrom('dossiers').select('code')
        .where(sql.raw(suffixExpression(db.engine)), '=', suffix).orderBy('code').limit(limit).execute()
      return rows.map((r) => r.code)
    },
    async put (dossier, options) {
      if (options?.subscribers === true) await k.transaction().execute((tx) => write(tx, [dossier]))
      else await upsert(k, [dossier]).execute()
    },
    async putAudited (dossier, entry, options) {
      await k.transaction().execute(async (tx) => {
        if (options?.subscribers === true) await write(tx, [dossier])
        else await upsert(tx, [dossier]).execute()
        await tx.insertInto('audit').values(auditRow(entry)).execute()
      })
    },
    /** Bulk load in one transaction (import, bench). */
    async putMany (dossiers) {
      await k.transaction().execute(async (tx) => {
        for (let i = 0; i < dossiers.length; i += 500) await write(tx, dossiers.slice(i, i + 500))
      })
    },
    async subscriptionsOf (channel, userId) {
      const rows = await k.selectFrom('dossier_subscriptions').select('code').where('channel', '=', channel).where('user_id', '=', userId).orderBy('code').execute()
      return rows.map((r) => r.code)
    },
    async size () {
      const r = await k.selectFrom('dossiers').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
      return Number(r.n)
    },
    async * list () {
      let after = ''
      for (;;) {
        const page = await k.selectFrom('dossiers').select(['code', 'doc']).where('code', '>', after).orderBy('code').limit(1000).execute()
        for (const r of page) yield JSON.parse(r.doc) as Dossier
        if (page.length < 1000) return
        after = (page[page.length - 1] as { code: string }).code
      }
    },
    close: async () => {},
  }
}

/** The audit log in the `audit` table (append-only; newest first on read). */
export function createAuditStore (db: Db): AuditLog & { appendMany (entries: readonly AuditEntry[]): Promise<void> } {
  const k = db.kysely
  return {
    async append (e) { await k.insertInto('audit').values(auditRow(e)).execute() },
    async appendMany (entries) {
      await k.transaction().execute(async (tx) => {
        for (let i = 0; i < entries.length; i += 500) await tx.insertInto('audit').values(entries.slice(i, i + 500).map(auditRow)).execute()
      })
    },
    async recent (limit = 100) {
      const rows = await k.selectFrom('audit').selectAll().orderBy('id', 'desc').limit(Math.min(Math.max(1, limit), 1000)).execute()
      return rows.map((r) => ({ at: r.at, staff: r.staff, action: r.action, code: r.code, details: JSON.parse(r.details) as Record<string, unknown> }))
    },
    close: async () => {},
  }
}
