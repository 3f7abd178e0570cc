import type { Kysely } from 'kysely'
import type { AuditEntry, AuditLog } from '../dossiers/audit.ts'
import type { DossierStore } from '../dossiers/store.ts'
import type { Dossier } from '../dossiers/types.ts'
import type { Db } from './connect.ts'
import type { Database } from './schema.ts'

const dossierRow = (d: Dossier) => ({ code: d.code, procedure_id: d.procedureId, status: d.status, updated_at: d.updatedAt, doc: JSON.stringify(d) })
const auditRow = (e: AuditEntry) => ({ at: e.at, staff: e.staff, action: e.action, code: e.code, details: JSON.stringify(e.details) })

/**
 * Dossiers in the `dossiers` table: one row per code, the record (history and subscribers included) as
 * a JSON document, with its status and procedure as columns. `put` resolves once committed. `get` (every
 * citizen lookup) is one prepared primary-key read.
 */
export function createDossierStore (db: Db): DossierStore & { putMany (dossiers: readonly Dossier[]): Promise<void> } {
  const k = db.kysely
  const byCode = db.prepare(k.selectFrom('dossiers').select('doc').where('code', '=', ''))
  const upsert = (q: Kysely<Database>, dossiers: readonly Dossier[]) => q.insertInto('dossiers').values(dossiers.map(dossierRow))
    .onConflict((oc) => oc.column('code').doUpdateSet((eb) => ({
      procedure_id: eb.ref('excluded.procedure_id'),
      status: eb.ref('excluded.status'),
      updated_at: eb.ref('excluded.updated_at'),
      doc: eb.ref('excluded.doc'),
    })))
  return {
    async get (code) {
      const r = (await byCode([code]))[0]
      return r === undefined ? undefined : JSON.parse(r.doc) as Dossier
    },
    async put (dossier) { await upsert(k, [dossier]).execute() },
    async putAudited (dossier, entry) {
      await k.transaction().execute(async (tx) => {
        await upsert(tx, [dossier]).execute()
        await tx.insertInto('audit').values(auditRow(entry)).execute()
      })
    },
    /** Bulk load in one transaction (import, bench). */
    async putMany (dossiers) {
      await k.transaction().execute(async (tx) => {
        for (let i = 0; i < dossiers.length; i += 500) await upsert(tx, dossiers.slice(i, i + 500)).execute()
      })
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
