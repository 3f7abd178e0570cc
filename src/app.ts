import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import type { Config } from './config.ts'
import type { Services } from './services.ts'
import { catalogueRoutes } from './catalogue/routes.ts'
import { createStaffAuth } from './web/staff-auth.ts'

/** Paths and header names whose values never reach the logs. */
export const LOG_REDACT = [
  'req.headers.authorization',
  'req.headers["x-telegram-bot-api-secret-token"]',
  'req.headers["x-zevent-signature"]',
  'req.headers.access_token',
]

export interface AppOptions {
  logger?: FastifyServerOptions['logger']
}

/**
 * Builds the Fastify application from already-constructed services. The only file that knows every
 * part: routes of the core, the web chat, staff APIs and the channel plugins of bots/.
 */
export async function buildApp (config: Config, services: Services, options: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    ...(options.logger !== undefined ? { logger: options.logger } : { loggerInstance: services.logger }),
    bodyLimit: 1024 * 1024,
    trustProxy: true,
  })

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

  const staffAuth = createStaffAuth(config.staffTokens)
  await app.register(catalogueRoutes, { services })

  for (const plugin of services.plugins) {
    await app.register(plugin.register, { services, config, staffAuth })
  }
  return app
}
