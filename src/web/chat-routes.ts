import rateLimit from '@fastify/rate-limit'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { PluginOptions } from '../services.ts'
import { MAX_TEXT_CHARS } from '../conversation/core.ts'

interface ChatBody { sessionId?: unknown, text?: unknown, action?: unknown }

/** A chat message is a few KB (MAX_TEXT_CHARS); longer pastes up to 64 KB still get the polite "too long" answer. */
const CHAT_BODY_LIMIT = 64 * 1024
const SESSION = /^[A-Za-z0-9_-]{8,64}$/

/**
 * `POST /api/chat` for the web chat and kiosk: `{ sessionId, text }` or `{ sessionId, action }` →
 * `{ replies }`. Rate-limited per IP and per session (generous: a whole office may share one address).
 * Also `GET /api/staff/unanswered` for staff.
 */
export async function chatRoutes (app: FastifyInstance, opts: PluginOptions): Promise<void> {
  const { conversation, unanswered } = opts.services
  const store = opts.services.rateLimitStore
  await app.register(rateLimit, { global: false, ...(store !== undefined ? { store } : {}) })
  // Two independent limits (the plugin's route hook runs only one per request, so check both here).
  const perIp = app.createRateLimit({ max: opts.config.chatRate.perIp, timeWindow: 60_000, keyGenerator: (req) => `ip:${req.ip}` })
  const perSession = app.createRateLimit({
    max: opts.config.chatRate.perSession,
    timeWindow: 60_000,
    keyGenerator: (req) => `s:${String((req.body as ChatBody | undefined)?.sessionId ?? req.ip)}`,
  })
  const limit = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    for (const check of [perIp, perSession]) {
      const r = await check(request)
      if (!r.isAllowed && r.isExceeded) {
        return reply.code(429).header('retry-after', String(r.ttlInSeconds))
          .send({ error: 'rate_limited', message: 'Anh/Chị gửi hơi nhanh, vui lòng đợi một chút rồi gửi lại.' })
      }
    }
    return undefined
  }

  app.post<{ Body: ChatBody }>('/api/chat', { preHandler: limit, bodyLimit: CHAT_BODY_LIMIT }, async (request, reply) => {
    const body = request.body
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      return reply.code(400).send({ error: 'bad_request', message: 'Expected a JSON object { sessionId, text } or { sessionId, action }' })
    }
    if (typeof body.sessionId !== 'string' || !SESSION.test(body.sessionId)) {
      return reply.code(400).send({ error: 'bad_request', message: 'sessionId must be 8–64 characters of A-Z a-z 0-9 _ -' })
    }
    const hasAction = typeof body.action === 'string' && body.action !== ''
    if (!hasAction && body.text !== undefined && typeof body.text !== 'string') {
      return reply.code(400).send({ error: 'bad_request', message: 'text must be a string' })
    }
    if (hasAction && Buffer.byteLength(body.action as string) > 64) {
      return reply.code(400).send({ error: 'bad_request', message: 'action too long' })
    }
    const text = typeof body.text === 'string' ? body.text.slice(0, MAX_TEXT_CHARS + 1) : ''
    const replies = await conversation.handle(hasAction
      ? { channel: 'web', userId: body.sessionId, clientAddress: request.ip, action: body.action as string }
      : { channel: 'web', userId: body.sessionId, clientAddress: request.ip, text })
    return { replies }
  })

  app.get<{ Querystring: { limit?: string } }>('/api/staff/unanswered', { preHandler: opts.staffAuth }, async (request) => {
    const limit = Math.min(Math.max(Number(request.query.limit ?? 100) || 100, 1), 1000)
    return unanswered.list(limit)
  })
}
