import { timingSafeEqual, createHash } from 'node:crypto'
import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify'
import type { StaffAccounts, StaffPrincipal } from '../staff/accounts.ts'

declare module 'fastify' {
  interface FastifyRequest {
    /** Name of the authenticated staff member (routes under /api/staff only). */
    staffName?: string
    /** Role of the authenticated staff member: `officer`, `admin`, or `integration` for bearer tokens. */
    staffRole?: StaffPrincipal['role']
  }
}

/** Cookie holding a console session token (its hash is what the database keeps). */
export const STAFF_COOKIE = 'staff_session'

const digest = (s: string): Buffer => createHash('sha256').update(s).digest()
const SAFE = new Set(['GET', 'HEAD', 'OPTIONS'])

/** What cookie sessions need: the account service and the app (for `csrfProtection` of @fastify/csrf-protection). */
export interface StaffSessionAuth { accounts: StaffAccounts, app: FastifyInstance }

/**
 * Staff check for staff routes: a `STAFF_TOKENS` bearer token (integrations; compared in constant time,
 * hashing first so the lengths always match, every token compared), or a console session cookie, in
 * which case unsafe methods also need a valid `x-csrf-token` (403 without).
 */
export function createStaffAuth (tokens: ReadonlyArray<{ name: string, token: string }>, sessions?: StaffSessionAuth): preHandlerAsyncHookHandler {
  const known = tokens.map((t) => ({ name: t.name, hash: digest(t.token) }))
  return async function staffAuth (request: FastifyRequest, reply: FastifyReply) {
    const header = request.headers.authorization ?? ''
    const m = /^Bearer\s+(\S+)$/i.exec(header)
    let name: string | undefined
    if (m?.[1] !== undefined) {
      const given = digest(m[1])
      for (const k of known) {
        if (timingSafeEqual(given, k.hash) && name === undefined) name = k.name
      }
      if (name !== undefined) {
        request.staffName = name
        request.staffRole = 'integration'
        return
      }
    }
    const cookie = (request as FastifyRequest & { cookies?: Record<string, string | undefined> }).cookies?.[STAFF_COOKIE]
    if (m === null && sessions !== undefined && cookie !== undefined && cookie !== '') {
      const principal = await sessions.accounts.session(cookie)
      if (principal !== undefined) {
        if (!SAFE.has(request.method)) {
          // csrfProtection (@fastify/csrf-protection) is synchronous: it calls back when the token is valid,
          // otherwise it has already answered 403 itself.
          let passed = false
          sessions.app.csrfProtection(request, reply, () => { passed = true })
          if (!passed) return reply
        }
        request.staffName = principal.username
        request.staffRole = principal.role
        return
      }
    }
    await reply.code(401).header('www-authenticate', 'Bearer').send({ error: 'unauthorized', message: 'Staff token or sign-in required' })
    return reply
  }
}

/** Pre-handler allowing only admins (after {@link createStaffAuth}). */
export const adminOnly: preHandlerAsyncHookHandler = async function adminOnly (request, reply) {
  if (request.staffRole !== 'admin') {
    await reply.code(403).send({ error: 'forbidden', message: 'Admin role required' })
    return reply
  }
}
