import type { Update } from 'telegraf/types'
import type { FeaturePlugin } from '../../src/services.ts'
import type { SeenIds } from '../../src/db/seen-store.ts'
import { safeEqual } from '../common/safe-equal.ts'
import type { TelegramBot } from './bot.ts'
import { parseTelegramUpdate } from './update-schema.ts'

/** Options of telegramPlugin. */
export interface TelegramPluginOptions {
  bot: TelegramBot
  webhookSecret: string
  /** Recent update ids: a re-delivered update is acknowledged and not handled again. */
  seen: SeenIds
}

const SECRET_HEADER = 'x-telegram-bot-api-secret-token'

/**
 * `POST /webhooks/telegram`: checks the secret token in constant time (401 before the body is read),
 * drops duplicate update ids, hands the update to telegraf and always answers 200 to Telegram (any
 * other status makes Telegram re-deliver).
 */
export function telegramPlugin (options: TelegramPluginOptions): FeaturePlugin {
  const { bot, webhookSecret, seen } = options
  return {
    name: 'telegram',
    async register (app) {
      app.post('/webhooks/telegram', {
        bodyLimit: 256 * 1024,
        async onRequest (request, reply) {
          const header = request.headers[SECRET_HEADER]
          if (!safeEqual(typeof header === 'string' ? header : undefined, webhookSecret)) {
            request.log.warn({ channel: 'telegram', hasHeader: header !== undefined }, 'webhook rejected: bad secret token')
            await reply.code(401).send({ error: 'unauthorized' })
          }
        },
      }, async (request, reply) => {
        const update: Update | undefined = parseTelegramUpdate(request.body)
        if (update === undefined) {
          request.log.warn({ channel: 'telegram' }, 'webhook body is not a well-formed update; ignored')
          return reply.code(200).send({ ok: true })
        }
        const log = request.log.child({ channel: 'telegram', updateId: update.update_id })
        if (!await seen.add(String(update.update_id))) {
          log.info('duplicate update ignored')
          return reply.code(200).send({ ok: true })
        }
        try {
          await bot.handleUpdate(update, log)
          // Handled (its reply is queued): from now on a re-delivery is a duplicate. Until then a crash
          // leaves the id unfinished, and the re-delivery Telegram then makes is handled again.
          await seen.finish(String(update.update_id))
        } catch (err) {
          log.error({ err }, 'telegram update failed')
        }
        return reply.code(200).send({ ok: true })
      })
    },
  }
}
