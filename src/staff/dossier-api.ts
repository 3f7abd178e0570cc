import type { FastifyInstance } from 'fastify'
import type { Catalogue } from '../catalogue/load.ts'
import { fold } from '../catalogue/normalize.ts'
import type { ProcedureSearch } from '../catalogue/types.ts'
import type { WorkingCalendar } from '../dossiers/calendar.ts'
import { normalizeDossierCode } from '../dossiers/code.ts'
import { timeLimitOf } from '../dossiers/records.ts'
import type { DossierStore } from '../dossiers/store.ts'
import { localDateKey, parseVnDateTime, toVnIso } from '../dossiers/time.ts'
import { STATUS_LABELS, WAITING_STATUSES, CLOSED_STATUSES, type Dossier } from '../dossiers/types.ts'
import type { Outbox } from '../outbox/types.ts'
import type { PluginOptions } from '../services.ts'
import { reasonText } from './notifications-api.ts'

/** What the staff dossier API reads. */
export interface StaffDossierDeps {
  store: DossierStore
  catalogue: Catalogue
  calendar: WorkingCalendar
  search: ProcedureSearch
  outbox: Outbox
  now: () => number
}

/** One row of the "Hôm nay" list. */
export interface DossierRow {
  code: string
  procedure: { id: string, title: string }
  applicantName: string
  phone: string
  receivedAt: string
  dueAt: string
  status: number
  statusLabel: string
  overdue: boolean
  lookupCode: string
}

/** The next working day after the local day of `t` (same time of day). */
function nextWorkingDay (calendar: WorkingCalendar, t: Date): Date {
  let d = new Date(t.getTime() + 86_400_000)
  for (let i = 0; i < 30 && !calendar.isWorkingDay(d); i++) d = new Date(d.getTime() + 86_400_000)
  return d
}

/** Effective due date: the apology's new date when there is one. */
const dueOf = (d: Dossier): string => d.apology?.newDueAt ?? d.dueAt

/**
 * Staff reads behind `staffAuth`: `GET /api/staff/dossiers?q=&status=&due=today|tomorrow|overdue&received=today`,
 * `GET /api/staff/dossiers/:code` (everything staff may see, lookup code and notification problems included),
 * `GET /api/staff/procedures?q=` (the bot's search engine, or a national code) and
 * `GET /api/staff/due?procedure=&receivedAt=` (the due date the calendar proposes).
 */
export function staffDossierRoutes (deps: StaffDossierDeps) {
  const { store, catalogue, calendar } = deps
  const row = (d: Dossier, now: Date): DossierRow => ({
    code: d.code,
    procedure: { id: d.procedureId, title: catalogue.byId.get(d.procedureId)?.title ?? d.procedureId },
    applicantName: d.applicantName,
    phone: d.phone,
    receivedAt: d.receivedAt,
    dueAt: dueOf(d),
    status: d.status,
    statusLabel: d.statusLabel ?? STATUS_LABELS[d.status],
    overdue: !CLOSED_STATUSES.has(d.status) && !WAITING_STATUSES.has(d.status) && Date.parse(dueOf(d)) < now.getTime(),
    lookupCode: d.lookupCode,
  })

  return async function register (app: FastifyInstance, opts: PluginOptions): Promise<void> {
    const auth = { preHandler: opts.staffAuth }

    app.get<{ Querystring: { q?: string, status?: string, due?: string, received?: string, limit?: string } }>('/api/staff/dossiers', auth, async (request, reply) => {
      const { q = '', status = '', due = '', received = '' } = request.query
      if (due !== '' && !['today', 'tomorrow', 'overdue'].includes(due)) return reply.code(400).send({ error: 'validation', field: 'due', message: 'due is today, tomorrow or overdue' })
      const statuses = new Set(status.split(',').filter((s) => s.trim() !== '').map(Number))
      const limit = Math.min(Math.max(Number(request.query.limit ?? 200) || 200, 1), 1000)
      const now = new Date(deps.now())
      const today = localDateKey(now)
      const tomorrow = localDateKey(nextWorkingDay(calendar, now))
      const text = fold(q.trim())
      const digits = q.replace(/\D/g, '')
      const code = normalizeDossierCode(q.trim()).toUpperCase()
      const out: DossierRow[] = []
      for await (const d of store.list()) {
        if (statuses.size > 0 && !statuses.has(d.status)) continue
        const r = row(d, now)
        const open = !CLOSED_STATUSES.has(d.status)
        if (due === 'today' && !(open && localDateKey(new Date(r.dueAt)) === today)) continue
        if (due === 'tomorrow' && !(open && localDateKey(new Date(r.dueAt)) === tomorrow)) continue
        if (due === 'overdue' && !r.overdue) continue
        if (received === 'today' && localDateKey(new Date(d.receivedAt)) !== today) continue
        if (text !== '') {
          const hit = d.code.toUpperCase().includes(code) || fold(d.applicantName).includes(text) ||
            (digits.length >= 3 && d.phone.includes(digits))
          if (!hit) continue
        }
        out.push(r)
      }
      out.sort((a, b) => a.dueAt.localeCompare(b.dueAt))
      return { items: out.slice(0, limit), total: out.length }
    })

    app.get<{ Params: { code: string } }>('/api/staff/dossiers/:code', auth, async (request, reply) => {
      const d = await store.get(normalizeDossierCode(request.params.code))
      if (d === undefined) return reply.code(404).send({ error: 'not_found', message: `No dossier ${request.params.code}` })
      const problems = (await deps.outbox.problems())
        .filter((p) => p.dedupeKey?.startsWith(`${d.code}:`) === true)
        .map((p) => ({ channel: p.channel, to: p.channel === 'zalo' && p.userId.startsWith('desk:') ? 'zalo-phone' : p.channel, status: p.status, reason: p.reason, reasonText: reasonText(p.reason, p.status) }))
      return {
        ...row(d, new Date(deps.now())),
        originalDueAt: d.dueAt,
        history: d.history,
        missingDocuments: d.missingDocuments,
        ...(d.respondBy !== undefined ? { respondBy: d.respondBy } : {}),
        ...(d.apology !== undefined ? { apology: d.apology } : {}),
        updatedAt: d.updatedAt,
        notifications: {
          subscribers: d.subscribers.map((s) => ({ channel: s.channel, verified: s.verified === true, ...(s.templateConsent !== undefined ? { templateConsent: s.templateConsent } : {}) })),
          deskConsent: d.deskConsent ?? null,
          undelivered: problems,
        },
      }
    })

    app.get<{ Querystring: { q?: string } }>('/api/staff/procedures', auth, async (request) => {
      const q = (request.query.q ?? '').trim().slice(0, 200)
      if (q === '') return { items: [] }
      const byCode = catalogue.procedures.filter((p) => p.code !== null && p.code.startsWith(q))
      const found = byCode.length > 0 ? byCode.map((p) => ({ id: p.id, code: p.code, title: p.title })) : deps.search.search(q).map((r) => ({ id: r.id, code: r.code, title: r.title }))
      return { items: found.slice(0, 10) }
    })

    app.get<{ Querystring: { procedure?: string, receivedAt?: string } }>('/api/staff/due', auth, async (request, reply) => {
      const p = catalogue.byId.get(request.query.procedure ?? '')
      if (p === undefined) return reply.code(400).send({ error: 'validation', field: 'procedure', message: 'unknown procedure id' })
      const at = request.query.receivedAt === undefined || request.query.receivedAt === '' ? new Date(deps.now()) : parseVnDateTime(request.query.receivedAt)?.at
      if (at === undefined) return reply.code(400).send({ error: 'validation', field: 'receivedAt', message: 'not a date' })
      return { dueAt: toVnIso(calendar.dueDate(at, timeLimitOf(p))) }
    })
  }
}
