import type { FastifyInstance, FastifyReply } from 'fastify'
import type { Catalogue } from '../catalogue/load.ts'
import { checkPhone, type ContactDirectory, type ContactPatch } from '../catalogue/contacts.ts'
import type { WorkingCalendar } from '../dossiers/calendar.ts'
import type { AuditLog } from '../dossiers/audit.ts'
import type { DossierStore } from '../dossiers/store.ts'
import { toVnIso } from '../dossiers/time.ts'
import type { FeaturePlugin, PluginOptions } from '../services.ts'
import { adminOnly } from '../web/staff-auth.ts'
import type { Feedback } from './feedback.ts'
import type { HandoffService, StaffOutcome } from './service.ts'
import { weeklyStats } from './stats.ts'
import type { HandoffStore } from './types.ts'

/** What the staff routes of the handoff need. */
export interface HandoffRoutesDeps {
  service: HandoffService
  store: HandoffStore
  feedback: Feedback
  contacts: ContactDirectory
  dossiers: DossierStore
  catalogue: Catalogue
  calendar: WorkingCalendar
  audit: AuditLog
  now: () => number
}

const STATUS = { missing: 404, bad_request: 400, closed: 409, taken: 409, outside_window: 409 } as const

function send<T> (reply: FastifyReply, outcome: StaffOutcome<T>): FastifyReply | T {
  if (outcome.ok) return outcome.value
  const { ok: _ok, ...body } = outcome
  return reply.code(STATUS[outcome.error]).send(body)
}

const idOf = (raw: string): number | undefined => /^\d{1,15}$/.test(raw) ? Number(raw) : undefined
const KINDS = new Set(['commune-centre', 'commune-police', 'city-centre'])

/**
 * The staff inbox and statistics (behind staffAuth: console session + CSRF, or a bearer token):
 * `GET /api/staff/tickets`, `GET /api/staff/tickets/:id`, `POST /api/staff/tickets/:id/claim`,
 * `POST /api/staff/tickets/:id/reply` `{ text }`, `POST /api/staff/tickets/:id/send` `{ procedure }` or
 * `{ dossier }`, `POST /api/staff/tickets/:id/close`, `GET /api/staff/stats?weeks=8`, and the offices'
 * contacts `GET /api/staff/contacts`, `PUT /api/staff/contacts/:unit/:kind` `{ phone, hotline, hours }` (admins).
 */
export function handoffPlugin (deps: HandoffRoutesDeps): FeaturePlugin {
  return {
    name: 'handoff',
    async register (app: FastifyInstance, opts: PluginOptions) {
      const auth = { preHandler: opts.staffAuth }
      const staff = (r: { staffName?: string }): string => r.staffName ?? 'unknown'

      app.get('/api/staff/tickets', auth, async () => ({ items: await deps.service.list() }))

      app.get<{ Params: { id: string } }>('/api/staff/tickets/:id', auth, async (request, reply) => {
        const id = idOf(request.params.id)
        const detail = id === undefined ? undefined : await deps.service.detail(id)
        return detail ?? reply.code(404).send({ error: 'missing', message: 'Không có yêu cầu này.' })
      })

      app.post<{ Params: { id: string } }>('/api/staff/tickets/:id/claim', auth, async (request, reply) => {
        const id = idOf(request.params.id)
        if (id === undefined) return reply.code(404).send({ error: 'missing', message: 'Không có yêu cầu này.' })
        return send(reply, await deps.service.claim(id, staff(request)))
      })

      app.post<{ Params: { id: string }, Body: { text?: unknown } }>('/api/staff/tickets/:id/reply', { ...auth, bodyLimit: 16 * 1024 }, async (request, reply) => {
        const id = idOf(request.params.id)
        if (id === undefined) return reply.code(404).send({ error: 'missing', message: 'Không có yêu cầu này.' })
        if (typeof request.body?.text !== 'string') return reply.code(400).send({ error: 'bad_request', message: 'Expected { text }' })
        return send(reply, await deps.service.reply(id, staff(request), request.body.text))
      })

      app.post<{ Params: { id: string }, Body: { procedure?: unknown, dossier?: unknown } }>('/api/staff/tickets/:id/send', auth, async (request, reply) => {
        const id = idOf(request.params.id)
        if (id === undefined) return reply.code(404).send({ error: 'missing', message: 'Không có yêu cầu này.' })
        const { procedure, dossier } = request.body ?? {}
        if (typeof procedure === 'string') return send(reply, await deps.service.send(id, staff(request), { procedureId: procedure }))
        if (typeof dossier === 'string') return send(reply, await deps.service.send(id, staff(request), { dossierCode: dossier }))
        return reply.code(400).send({ error: 'bad_request', message: 'Expected { procedure } or { dossier }' })
      })

      app.post<{ Params: { id: string } }>('/api/staff/tickets/:id/close', auth, async (request, reply) => {
        const id = idOf(request.params.id)
        if (id === undefined) return reply.code(404).send({ error: 'missing', message: 'Không có yêu cầu này.' })
        return send(reply, await deps.service.close(id, staff(request), request.staffRole === 'admin'))
      })

      app.get<{ Querystring: { weeks?: string } }>('/api/staff/stats', auth, async (request) => {
        const weeks = Math.min(Math.max(Number(request.query.weeks ?? 8) || 8, 1), 52)
        // This instance's counted questions first (others flush within seconds).
        await deps.feedback.flush()
        return { weeks: await weeklyStats({ store: deps.store, dossiers: deps.dossiers, catalogue: deps.catalogue, calendar: deps.calendar, now: deps.now(), weeks }) }
      })

      app.get('/api/staff/contacts', auth, async () => ({ items: await deps.contacts.list() }))

      app.put<{ Params: { unit: string, kind: string }, Body: Record<string, unknown> }>('/api/staff/contacts/:unit/:kind', { preHandler: [opts.staffAuth, adminOnly] }, async (request, reply) => {
        const body = request.body ?? {}
        if (!KINDS.has(request.params.kind)) return reply.code(404).send({ error: 'not_found', message: 'unknown office kind' })
        const patch: ContactPatch = {}
        for (const field of ['phone', 'hotline'] as const) {
          const v = body[field]
          if (v === undefined) continue
          if (v === null || v === '') { patch[field] = null; continue }
          const phone = typeof v === 'string' ? checkPhone(v) : null
          if (phone === null) return reply.code(400).send({ error: 'validation', field, message: 'a phone number: digits, spaces or dots, 3–12 digits' })
          patch[field] = phone
        }
        if (body.hours !== undefined) {
          const h = body.hours
          if (h !== null && h !== '' && (typeof h !== 'string' || h.trim().length < 5 || h.length > 200)) return reply.code(400).send({ error: 'validation', field: 'hours', message: 'hours: 5–200 characters' })
          patch.hours = h === null || h === '' ? null : (h as string).trim()
        }
        const key = `${request.params.unit}/${request.params.kind}`
        if (!await deps.contacts.set(key, patch)) return reply.code(404).send({ error: 'not_found', message: `no office ${key}` })
        await deps.audit.append({ at: toVnIso(new Date(deps.now())), staff: staff(request), action: 'contacts', code: '', details: { office: key, fields: Object.keys(patch) } })
        return (await deps.contacts.list()).find((c) => c.key === key)
      })
    },
  }
}
