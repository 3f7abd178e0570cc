import type { FeaturePlugin } from '../services.ts'
import type { Outbox } from './types.ts'

/**
 * `GET /api/staff/outbox/failed` (staff token): messages given up after the retry budget ('failed') or
 * refused by the platform ('undeliverable'), oldest first, with the reason.
 */
export function outboxPlugin (outbox: Outbox): FeaturePlugin {
  return {
    name: 'outbox',
    async register (app, opts) {
      app.get('/api/staff/outbox/failed', { preHandler: opts.staffAuth }, async () => ({ items: await outbox.problems() }))
    },
  }
}
