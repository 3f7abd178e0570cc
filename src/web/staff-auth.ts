import { timingSafeEqual, createHash } from 'node:crypto'
import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify'

declare module 'fastify' {
  interface FastifyRequest {
    /** Name of the authenticated staff member (routes under /api/staff only). */
    staffName?: string
  }
}

const digest = (s: string): Buffer => createHash('sha256').update(s).digest()

/**
 * Bearer-token check for staff routes. Tokens are compared in constant time (hashing first so the
 * lengths always match); every configured token is compared, so timing does not reveal which matched.
 */
export function createStaffAuth (tokens: ReadonlyArray<{ name: string, token: string }>): preHandlerAsyncHookHandler {
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
    }
    if (name === undefined) {
      await reply.code(401).header('www-authenticate', 'Bearer').send({ error: 'unauthorized', message: 'Staff token required' })
      return reply
    }
    request.staffName = name
  }
}
