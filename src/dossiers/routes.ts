import multipart from '@fastify/multipart'
import rateLimit from '@fastify/rate-limit'
import type { FastifyReply } from 'fastify'
import type { FeaturePlugin } from '../services.ts'
import { DossierInputError } from './input.ts'
import type { DossierService } from './service.ts'
import type { DetailView, PublicView } from './types.ts'

/** Options of the HTTP plugin. */
export interface DossierRouteOptions {
  /** Anonymous lookups allowed per IP and minute (default 60); more get 429. */
  lookupsPerMinute?: number
}

const IMPORT_BODY_LIMIT = 20 * 1024 * 1024
/** Cookie holding the verified session of one dossier code (its path is that code's URL). */
export const SESSION_COOKIE = 'dossier_session'

function cookie (header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=')
    if (i > 0 && part.slice(0, i).trim() === name) return part.slice(i + 1).trim()
  }
  return undefined
}

/** The HTTP shape of a public view: what the issue specifies, plus dueSoon and the apology's date. */
function publicBody (v: PublicView) {
  return {
    code: v.code,
    procedure: v.procedure,
    receivedAt: v.receivedAt,
    dueAt: v.dueAt,
    status: v.status,
    statusLabel: v.statusLabel,
    overdue: v.overdue,
    dueSoon: v.dueSoon,
    nextStep: v.nextStep,
    applicant: v.applicant,
    ...(v.apology !== undefined ? { apology: { newDueAt: v.apology.newDueAt } } : {}),
  }
}

function detailBody (v: DetailView) {
  return {
    ...publicBody(v),
    applicantName: v.applicantName,
    history: v.history,
    missingDocuments: v.missingDocuments,
    ...(v.respondBy !== undefined ? { respondBy: v.respondBy } : {}),
    ...(v.apology !== undefined ? { apology: v.apology } : {}),
  }
}

async function invalid (reply: FastifyReply, err: unknown): Promise<FastifyReply> {
  if (err instanceof DossierInputError) {
    return reply.code(400).send({ error: 'validation', field: err.field, message: err.message })
  }
  throw err
}

const FIELD_LABELS: Record<string, string> = Object.fromEntries([
  ['code', 'mã hồ sơ'], ['procedure', 'thủ tục'], ['applicantName', 'họ tên'], ['phone', 'số điện thoại'], ['receivedAt', 'ngày nhận'],
  ['dueAt', 'ngày hẹn trả'], ['status', 'tình trạng'], ['statusLabel', 'tên tình trạng'], ['note', 'ghi chú'], ['lookupCode', 'mã tra cứu'],
])

/** An import error for the console: the field named in Vietnamese, the technical detail kept in brackets. */
export function vietnameseImportError (message: string): string {
  if (/^expected \d+ columns$/.test(message)) return `sai số cột (${message.replace('expected', 'cần')})`
  if (message.startsWith('line ')) {
    return `dòng ${message.slice(5)}`.replace('missing columns', 'thiếu cột').replace('unknown columns', 'cột không nhận ra').replace('; expected', '; cần các cột')
  }
  const m = /^(\w+): (.*)$/.exec(message)
  if (m?.[1] === undefined || m[2] === undefined) return message
  const label = FIELD_LABELS[m[1]]
  if (label === undefined) return message
  return `${label} không hợp lệ (${m[2]})`
}

const notFound = (reply: FastifyReply, code: string) =>
  reply.code(404).send({ error: 'not_found', message: `No dossier ${code}` })

/**
 * Dossier routes: the anonymous lookup (rate-limited per IP; `?verify=<lookup code | last 4 phone
 * digits>` adds history and documents to add; a right factor sets the `dossier_session` cookie, whose
 * holder is never delayed by others' wrong factors; wrong factors delay only their client, 429 +
 * Retry-After) and the staff API behind `staffAuth` (create/update,
 * status, CSV import, audit). Lookups log the code only, never personal data.
 */
export function createDossierPlugin (service: DossierService, options: DossierRouteOptions = {}): FeaturePlugin {
  const max = options.lookupsPerMinute ?? 60
  return {
    name: 'dossiers',
    async register (app, opts) {
      const store = opts.services.rateLimitStore
      await app.register(rateLimit, {
        global: false,
        ...(store !== undefined ? { store } : {}),
        errorResponseBuilder: (_req, ctx) => Object.assign(new Error(`Too many lookups, retry in ${ctx.after}`), { statusCode: 429, code: 'DOSSIER_RATE_LIMITED' }),
      })
      if (!app.hasContentTypeParser('multipart/form-data')) await app.register(multipart)
      if (!app.hasContentTypeParser('text/csv')) {
        app.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: IMPORT_BODY_LIMIT }, (_req, body, done) => { done(null, body) })
      }

      app.get<{ Params: { code: string }, Querystring: { verify?: string } }>('/api/dossiers/:code', {
        config: { rateLimit: { max, timeWindow: 60_000 } },
      }, async (request, reply) => {
        const { code } = request.params
        const factor = request.query.verify
        if (factor === undefined || factor === '') {
          const view = await service.publicView(code)
          request.log.info({ dossier: code, found: view !== null }, 'dossier lookup')
          return view === null ? notFound(reply, code) : publicBody(view)
        }
        const r = await service.verify(code, factor, `ip:${request.ip}`, cookie(request.headers.cookie, SESSION_COOKIE))
        request.log.info({ dossier: code, verification: r.result }, 'dossier verification')
        switch (r.result) {
          case 'ok': {
            const path = `/api/dossiers/${encodeURIComponent(r.view.code)}`
            reply.header('set-cookie', `${SESSION_COOKIE}=${r.session}; Path=${path}; Max-Age=3600; HttpOnly; SameSite=Strict`)
            return detailBody(r.view)
          }
          case 'not_found': return notFound(reply, code)
          case 'wrong': return reply.code(403).send({ error: 'wrong_factor', message: 'Wrong lookup code or phone digits', attemptsLeft: r.attemptsLeft })
          case 'locked': return reply.code(429).header('retry-after', String(r.retryAfterSeconds))
            .send({ error: 'locked', message: 'Too many wrong attempts from this client for this dossier; try again later', retryAfter: r.retryAfterSeconds })
        }
      })

      const staff = { preHandler: opts.staffAuth }
      const who = (name: string | undefined): string => name ?? 'unknown'

      app.put<{ Params: { code: string } }>('/api/staff/dossiers/:code', staff, async (request, reply) => {
        try {
          const r = await service.upsert(request.params.code, request.body, who(request.staffName))
          return reply.code(r.created ? 201 : 200).send({ code: r.code, lookupCode: r.lookupCode, dueAt: r.dueAt, status: r.status })
        } catch (err) { return invalid(reply, err) }
      })

      app.post<{ Params: { code: string } }>('/api/staff/dossiers/:code/status', staff, async (request, reply) => {
        try {
          const view = await service.updateStatus(request.params.code, request.body, who(request.staffName))
          return view === null ? notFound(reply, request.params.code) : publicBody(view)
        } catch (err) { return invalid(reply, err) }
      })

      // The citizen agrees at the desk (or no longer agrees) to notices by Zalo template message at the
      // registered phone. Withdrawing drops the notices queued for that phone.
      app.post<{ Params: { code: string }, Body: { consent?: unknown } }>('/api/staff/dossiers/:code/zalo-consent', staff, async (request, reply) => {
        if (typeof request.body?.consent !== 'boolean') return reply.code(400).send({ error: 'validation', field: 'consent', message: 'expected { consent: true | false }' })
        const r = await service.setDeskConsent(request.params.code, request.body.consent, who(request.staffName))
        return r === null ? notFound(reply, request.params.code) : { code: request.params.code, deskConsent: r ?? null }
      })

      app.post<{ Querystring: { dryRun?: string } }>('/api/staff/dossiers/import', { ...staff, bodyLimit: IMPORT_BODY_LIMIT }, async (request, reply) => {
        if (typeof request.body !== 'string') {
          return reply.code(415).send({ error: 'unsupported_media_type', message: 'Send the CSV file with content-type text/csv' })
        }
        const dryRun = ['1', 'true', 'yes'].includes(request.query.dryRun ?? '')
        try {
          const r = await service.importCsv(request.body, { dryRun }, who(request.staffName))
          return { imported: r.imported, updated: r.updated, errors: r.errors, ...(r.duplicates.length > 0 ? { duplicates: r.duplicates } : {}) }
        } catch (err) { return invalid(reply, err) }
      })

      // The console's upload: the same import from a multipart file (field `file`), with errors in
      // Vietnamese and the code + lookup code of every row (the console offers them as a CSV download).
      app.post<{ Querystring: { dryRun?: string } }>('/api/staff/dossiers/import-file', staff, async (request, reply) => {
        if (!request.isMultipart()) return reply.code(415).send({ error: 'unsupported_media_type', message: 'Send the CSV file as multipart/form-data (field "file")' })
        const file = await request.file({ limits: { fileSize: IMPORT_BODY_LIMIT, files: 1 } })
        if (file === undefined) return reply.code(400).send({ error: 'validation', field: 'file', message: 'Chưa chọn tệp CSV.' })
        const buffer = await file.toBuffer()
        const dryRun = ['1', 'true', 'yes'].includes(request.query.dryRun ?? '')
        try {
          const r = await service.importCsv(buffer.toString('utf8'), { dryRun }, who(request.staffName))
          return { ...r, dryRun, errors: r.errors.map((e) => ({ line: e.line, message: vietnameseImportError(e.message) })) }
        } catch (err) {
          if (err instanceof DossierInputError) return reply.code(400).send({ error: 'validation', field: err.field, message: `Tệp không đọc được: ${vietnameseImportError(err.message)}` })
          throw err
        }
      })

      // Filters (the console's "Nhật ký"): `staff` and `action` (substring), `day` (YYYY-MM-DD, Vietnam time), `code`.
      app.get<{ Querystring: { limit?: string, staff?: string, action?: string, day?: string, code?: string } }>('/api/staff/audit', staff, async (request) => {
        const { staff: by, action, day, code } = request.query
        const limit = Math.min(Math.max(Number(request.query.limit ?? 100) || 100, 1), 1000)
        const filtered = [by, action, day, code].some((f) => f !== undefined && f !== '')
        const entries = await service.recentAudit(filtered ? 1000 : limit)
        if (!filtered) return entries
        return entries.filter((e) => (by === undefined || e.staff.includes(by)) && (action === undefined || e.action.includes(action)) &&
          (day === undefined || e.at.startsWith(day)) && (code === undefined || e.code.includes(code))).slice(0, limit)
      })
    },
  }
}
