import type { FastifyInstance } from 'fastify'
import type { Catalogue } from '../catalogue/load.ts'
import { fold } from '../catalogue/normalize.ts'
import type { UnansweredLog } from '../conversation/unanswered.ts'
import type { StaffStore } from '../db/staff-store.ts'
import type { AuditLog } from '../dossiers/audit.ts'
import { toVnIso } from '../dossiers/time.ts'
import type { PluginOptions } from '../services.ts'
import type { AliasSync } from './live-search.ts'

/** What teaching the bot needs. */
export interface TeachDeps {
  store: StaffStore
  catalogue: Catalogue
  unanswered: UnansweredLog
  audit: AuditLog
  aliases: AliasSync
  now: () => number
}

/** Phrase rules: 2–120 characters with at least two letters, no redaction marks. */
function checkPhrase (raw: unknown): string | { message: string } {
  if (typeof raw !== 'string') return { message: 'phrase must be a string' }
  const phrase = raw.normalize('NFC').replace(/\s+/g, ' ').trim()
  if (phrase.length < 2 || phrase.length > 120) return { message: 'phrase must be 2–120 characters' }
  if ((phrase.match(/\p{L}/gu) ?? []).length < 2) return { message: 'phrase must contain words' }
  if (/[[\]<>{}]/.test(phrase)) return { message: 'phrase must not contain brackets (redacted personal data)' }
  return phrase
}

/**
 * Teaching the bot: `GET /api/staff/unanswered/groups` (unanswered questions grouped by their
 * tone-mark-free text, most frequent first, without those already handled), `POST /api/staff/unanswered/off-topic`
 * `{ text }`, and the staff aliases: `GET /api/staff/aliases`, `POST /api/staff/aliases` `{ procedure, phrase }`,
 * `DELETE /api/staff/aliases/:id`. An alias change rebuilds the search engine at once (and on other instances
 * within their polling interval).
 */
export function teachRoutes (deps: TeachDeps) {
  const audit = (staff: string, action: string, details: Record<string, unknown>): Promise<void> =>
    deps.audit.append({ at: toVnIso(new Date(deps.now())), staff, action, code: '', details })
  return async function register (app: FastifyInstance, opts: PluginOptions): Promise<void> {
    const auth = { preHandler: opts.staffAuth }

    app.get('/api/staff/unanswered/groups', auth, async () => {
      const [log, verdicts] = await Promise.all([deps.unanswered.list(5000), deps.store.verdicts()])
      const groups = new Map<string, { key: string, text: string, count: number, reason?: string, procedureId?: string, lastAt: string }>()
      for (const e of log.items) {
        const key = fold(e.text)
        if (verdicts.has(key)) continue
        const g = groups.get(key)
        if (g === undefined) groups.set(key, { key, text: e.text, count: 1, lastAt: e.at, ...(e.reason !== undefined ? { reason: e.reason } : {}), ...(e.procedureId !== undefined ? { procedureId: e.procedureId } : {}) })
        else {
          g.count++
          // Show the question as typed with tone marks when any variant has them.
          if (g.text === key && e.text !== key) g.text = e.text
        }
      }
      return { items: [...groups.values()].sort((a, b) => b.count - a.count || b.lastAt.localeCompare(a.lastAt)) }
    })

    app.post<{ Body: { text?: unknown } }>('/api/staff/unanswered/off-topic', auth, async (request, reply) => {
      if (typeof request.body?.text !== 'string' || request.body.text.trim() === '') return reply.code(400).send({ error: 'validation', field: 'text', message: 'text required' })
      await deps.store.setVerdict(fold(request.body.text), 'off-topic', request.staffName ?? 'unknown', deps.now())
      await audit(request.staffName ?? 'unknown', 'unanswered-off-topic', {})
      return { ok: true }
    })

    const view = async () => (await deps.store.listAliases()).map((a) => ({
      id: a.id, procedure: a.procedureId, procedureTitle: deps.catalogue.byId.get(a.procedureId)?.title, phrase: a.alias, addedBy: a.addedBy, createdAt: a.createdAt,
    }))
    app.get('/api/staff/aliases', auth, async () => ({ items: await view() }))

    app.post<{ Body: { procedure?: unknown, phrase?: unknown } }>('/api/staff/aliases', auth, async (request, reply) => {
      const procedure = typeof request.body?.procedure === 'string' ? request.body.procedure : ''
      if (!deps.catalogue.byId.has(procedure)) return reply.code(400).send({ error: 'validation', field: 'procedure', message: 'unknown procedure id' })
      const phrase = checkPhrase(request.body?.phrase)
      if (typeof phrase !== 'string') return reply.code(400).send({ error: 'validation', field: 'phrase', message: phrase.message })
      const staff = request.staffName ?? 'unknown'
      const added = await deps.store.addAlias({ procedureId: procedure, alias: phrase, addedBy: staff, createdAt: deps.now() })
      if (!added) return reply.code(409).send({ error: 'exists', message: 'This phrase is already attached to this procedure' })
      await deps.store.setVerdict(fold(phrase), 'taught', staff, deps.now())
      await audit(staff, 'alias-add', { procedure, phrase })
      await deps.aliases.refresh()
      const created = (await view()).find((a) => a.procedure === procedure && a.phrase === phrase)
      return reply.code(201).send(created)
    })

    app.delete<{ Params: { id: string } }>('/api/staff/aliases/:id', auth, async (request, reply) => {
      const id = Number(request.params.id)
      const removed = Number.isSafeInteger(id) && id > 0 ? await deps.store.removeAliasById(id) : undefined
      if (removed === undefined) return reply.code(404).send({ error: 'not_found', message: 'No such alias' })
      await audit(request.staffName ?? 'unknown', 'alias-remove', { procedure: removed.procedureId, phrase: removed.alias })
      await deps.aliases.refresh()
      return { ok: true }
    })
  }
}
