import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { PluginOptions } from '../services.ts'
import { adminOnly, STAFF_COOKIE } from '../web/staff-auth.ts'
import { STAFF_ROLES, type StaffAccounts, type StaffRole } from './accounts.ts'

const LOGIN_BODY_LIMIT = 4 * 1024

const str = (v: unknown, max: number): string | undefined => typeof v === 'string' && v.length <= max ? v : undefined

/** Whether the request came over HTTPS (then the cookie is `Secure`). */
const secure = (request: FastifyRequest): boolean => request.protocol === 'https'

/**
 * Sign-in API of the console: `POST /api/staff/login` `{ username, password }` (sets the httpOnly,
 * SameSite=Strict session cookie; 401 wrong, 429 locked), `POST /api/staff/logout`,
 * `GET /api/staff/session` → `{ username, role, csrfToken }`, and account management for admins
 * (`GET /api/staff/accounts`, `PUT /api/staff/accounts/:username` `{ password, role }`,
 * `POST /api/staff/accounts/:username/disabled` `{ disabled }`).
 */
export function staffSessionRoutes (accounts: StaffAccounts) {
  return async function register (app: FastifyInstance, opts: PluginOptions): Promise<void> {
    const auth = { preHandler: opts.staffAuth }

    app.post<{ Body: { username?: unknown, password?: unknown } }>('/api/staff/login', { bodyLimit: LOGIN_BODY_LIMIT }, async (request, reply) => {
      const username = str(request.body?.username, 64)
      const password = str(request.body?.password, 256)
      if (username === undefined || password === undefined || username === '' || password === '') {
        return reply.code(400).send({ error: 'bad_request', message: 'Expected { username, password }' })
      }
      const r = await accounts.login(username, password)
      if (r.result === 'locked') {
        return reply.code(429).header('retry-after', String(r.retryAfterSeconds))
          .send({ error: 'locked', message: 'Sai mật khẩu quá nhiều lần. Vui lòng thử lại sau 15 phút.', retryAfter: r.retryAfterSeconds })
      }
      if (r.result === 'wrong') return reply.code(401).send({ error: 'wrong_credentials', message: 'Tên đăng nhập hoặc mật khẩu không đúng.' })
      reply.setCookie(STAFF_COOKIE, r.token, {
        path: '/', httpOnly: true, sameSite: 'strict', secure: secure(request), maxAge: Math.floor((r.expiresAt - Date.now()) / 1000),
      })
      const csrfToken = reply.generateCsrf()
      return { username: r.principal.username, role: r.principal.role, csrfToken }
    })

    app.post('/api/staff/logout', auth, async (request, reply) => {
      const token = request.cookies[STAFF_COOKIE]
      if (token !== undefined) await accounts.logout(token)
      reply.clearCookie(STAFF_COOKIE, { path: '/' })
      return { ok: true }
    })

    app.get('/api/staff/session', auth, async (request, reply) => {
      const csrfToken = reply.generateCsrf()
      return { username: request.staffName, role: request.staffRole, csrfToken }
    })

    const admin = { preHandler: [opts.staffAuth, adminOnly] }
    app.get('/api/staff/accounts', admin, async () => accounts.list())

    app.put<{ Params: { username: string }, Body: { password?: unknown, role?: unknown } }>('/api/staff/accounts/:username', admin, async (request, reply) => {
      const password = str(request.body?.password, 256)
      const role = (str(request.body?.role, 16) ?? 'officer') as StaffRole
      if (password === undefined || !STAFF_ROLES.includes(role)) {
        return reply.code(400).send({ error: 'validation', message: 'Expected { password, role: officer|admin }' })
      }
      try {
        const created = await accounts.put(request.params.username, password, role, request.staffName ?? 'unknown')
        return reply.code(created ? 201 : 200).send({ username: request.params.username, role, created })
      } catch (err) {
        return reply.code(400).send({ error: 'validation', message: (err as Error).message })
      }
    })

    app.post<{ Params: { username: string }, Body: { disabled?: unknown } }>('/api/staff/accounts/:username/disabled', admin, async (request, reply) => {
      if (typeof request.body?.disabled !== 'boolean') return reply.code(400).send({ error: 'validation', message: 'Expected { disabled: boolean }' })
      const ok = await accounts.setDisabled(request.params.username, request.body.disabled, request.staffName ?? 'unknown')
      return ok ? { ok } : reply.code(404).send({ error: 'not_found', message: 'No such account' })
    })
  }
}

/** Sends 401 JSON (used by console pages that need a session). */
export const unauthorized = (reply: FastifyReply): FastifyReply =>
  reply.code(401).send({ error: 'unauthorized', message: 'Sign-in required' })
