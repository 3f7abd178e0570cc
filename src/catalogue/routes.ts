import type { FastifyInstance } from 'fastify'
import type { Services } from '../services.ts'

const MAX_QUERY = 500

/** Public read-only procedure API: search, one record, list by field, fields with counts. */
export async function catalogueRoutes (app: FastifyInstance, opts: { services: Services }): Promise<void> {
  const { catalogue, search } = opts.services

  app.get<{ Querystring: { q?: string, limit?: string } }>('/api/procedures/search', async (request, reply) => {
    const q = typeof request.query.q === 'string' ? request.query.q : ''
    if (q.trim() === '') return reply.code(400).send({ error: 'bad_request', message: 'Missing query parameter q' })
    const limitRaw = Number(request.query.limit ?? 5)
    const limit = Number.isFinite(limitRaw) ? Math.min(Math.max(Math.trunc(limitRaw), 1), 50) : 5
    const { confidence, results } = search.query(q.slice(0, MAX_QUERY), { limit })
    return { query: q, confidence, results }
  })

  app.get<{ Params: { id: string } }>('/api/procedures/:id', async (request, reply) => {
    const p = catalogue.byId.get(request.params.id)
    if (p === undefined) return reply.code(404).send({ error: 'not_found', message: 'Unknown procedure id' })
    // `review` is staff-facing (audit notes); staff read it in GET /api/staff/catalogue/report.
    const { review: _review, ...shown } = p
    return shown
  })

  app.get<{ Querystring: { field?: string } }>('/api/procedures', async (request) => {
    const field = request.query.field
    const list = catalogue.procedures
      .filter((p) => field === undefined || field === '' || p.field.toLowerCase() === field.toLowerCase())
      .map((p) => ({ id: p.id, code: p.code, title: p.title, field: p.field }))
    return { field: field ?? null, count: list.length, procedures: list }
  })

  app.get('/api/fields', async () => {
    const counts = new Map<string, number>()
    for (const p of catalogue.procedures) counts.set(p.field, (counts.get(p.field) ?? 0) + 1)
    return { fields: [...counts].map(([name, count]) => ({ name, count })) }
  })
}
