import helmet from '@fastify/helmet'
import type { FastifyInstance } from 'fastify'
import type { Config } from '../config.ts'

/**
 * Security headers on every response (`@fastify/helmet`): a CSP that fits the web chat (its own script,
 * stylesheet and `/api/chat` only; no inline code), `frame-ancestors` from `FRAME_ANCESTORS` (a commune
 * site that embeds the chat lists its origin there), nosniff, a strict referrer policy and HSTS.
 * X-Frame-Options is sent only while embedding is limited to the same origin (it cannot list origins).
 */
export async function registerSecurityHeaders (app: FastifyInstance, config: Pick<Config, 'frameAncestors'>): Promise<void> {
  const sameOriginOnly = config.frameAncestors.every((a) => a === "'self'" || a === "'none'")
  await app.register(helmet, {
    global: true,
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: config.frameAncestors,
      },
    },
    frameguard: sameOriginOnly ? { action: config.frameAncestors.includes("'none'") ? 'deny' : 'sameorigin' } : false,
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    hsts: { maxAge: 31_536_000, includeSubDomains: false },
    crossOriginEmbedderPolicy: false,
    crossOriginResourcePolicy: { policy: 'same-origin' },
  })
}
