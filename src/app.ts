import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import type { Config } from './config.ts'
import type { Services } from './services.ts'
import { catalogueRoutes } from './catalogue/routes.ts'
import { createStaffAuth } from './web/staff-auth.ts'
import { registerSecurityHeaders } from './web/security-headers.ts'
import { registerStaffSessions } from './staff/setup.ts'

export { LOG_REDACT, LOG_SERIALIZERS } from './log-privacy.ts'

/**
 * Server timeouts (ms). A request must arrive whole within `request` (headers within `headers`), an idle
 * socket is closed after `connection`, an idle keep-alive connection after `keepAlive`.
 */
export interface ServerTimeouts { request: number, headers: number, connection: number, keepAlive: number }

/** Defaults: generous for a 20 MB CSV import on a slow line, short enough that trickling bodies die. */
export const DEFAULT_TIMEOUTS: ServerTimeouts = { request: 30_000, headers: 10_000, connection: 60_000, keepAlive: 5_000 }

/** Default body limit (bytes) of JSON routes; routes that need more or less set their own. */
export const DEFAULT_BODY_LIMIT = 64 * 1024

/** `TRUST_PROXY=<n>`: the address `n` hops before the socket's peer is the client (as Fastify does for a number). */
const trustHops = (hops: number) => (_address: string, hop: number): boolean => hop < hops

export interface AppOptions {
  logger?: FastifyServerOptions['logger']
  /** Overrides of {@link DEFAULT_TIMEOUTS} (tests). */
  timeouts?: Partial<ServerTimeouts>
}

/**
 * Builds the Fastify application from already-constructed services. The only file that knows every
 * part: routes of the core, the web chat, staff APIs and the channel plugins of bots/.
 */
export async function buildApp (config: Config, services: Services, options: AppOptions = {}): Promise<FastifyInstance> {
  const timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts }
  const app = Fastify({
    ...(options.logger !== undefined ? { logger: options.logger } : { loggerInstance: services.logger }),
    bodyLimit: DEFAULT_BODY_LIMIT,
    // Only configured proxies may set the client address (X-Forwarded-For); per-IP limits key on request.ip.
    trustProxy: typeof config.trustProxy === 'number' ? trustHops(config.trustProxy) : config.trustProxy,
    requestTimeout: timeouts.request,
    connectionTimeout: timeouts.connection,
    keepAliveTimeout: timeouts.keepAlive,
    // Node checks request/header timeouts on this interval (default 30 s, which would double them).
    http: { connectionsCheckingInterval: Math.max(250, Math.min(5_000, Math.floor(timeouts.request / 4))) },
  })
  app.server.headersTimeout = Math.min(timeouts.headers, timeouts.request)
  await registerSecurityHeaders(app, config)

  app.setErrorHandler((err: Error & { statusCode?: number, validation?: unknown }, request, reply) => {
    const status = err.statusCode ?? 500
    if (status >= 500) {
      request.log.error({ err }, 'request failed')
      return reply.code(500).send({ error: 'internal_error', message: 'Internal error' })
    }
    return reply.code(status).send({ error: status === 429 ? 'rate_limited' : status === 404 ? 'not_found' : 'bad_request', message: err.message })
  })
  app.setNotFoundHandler((request, reply) => reply.code(404).send({ error: 'not_found', message: `No route ${request.method} ${request.url.split('?')[0]}` }))

  app.get('/healthz', async () => ({ status: 'ok', procedures: services.catalogue.procedures.length }))

  const sessions = await registerStaffSessions(app, config, services)
  const staffAuth = createStaffAuth(config.staffTokens, sessions)
  await app.register(catalogueRoutes, { services })

  for (const plugin of services.plugins) {
    await app.register(plugin.register, { services, config, staffAuth })
  }
  return app
}
