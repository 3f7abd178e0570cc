import type { FastifyBaseLogger } from 'fastify'
import type { Config } from '../../src/config.ts'
import type { ConversationCore } from '../../src/conversation/types.ts'
import type { ChannelSender, Outbox } from '../../src/outbox/types.ts'
import type { FeaturePlugin } from '../../src/services.ts'
import type { Db } from '../../src/db/connect.ts'
import { createSeenIdsStore } from '../../src/db/seen-store.ts'
import { createTelegramBot } from './bot.ts'
import { telegramPlugin } from './plugin.ts'
import { createTelegramSender } from './sender.ts'

/** The Telegram channel: its webhook plugin, its outbox sender and a shutdown hook. */
export interface TelegramChannel {
  plugin: FeaturePlugin
  sender: ChannelSender
  close: () => Promise<void>
}

/** Dependencies of createTelegramChannel. */
export interface TelegramChannelDeps {
  core: ConversationCore
  outbox: Outbox
  logger: FastifyBaseLogger
  /** The store: update ids already handled (`seen_updates`, source `telegram`). */
  db: Db
}

/** Builds the Telegram channel: webhook route, outbox sender and the bot between them. */
export async function createTelegramChannel (config: NonNullable<Config['telegram']>, deps: TelegramChannelDeps): Promise<TelegramChannel> {
  const bot = createTelegramBot({
    token: config.token,
    apiRoot: config.apiRoot,
    botUsername: config.botUsername,
    core: deps.core,
    outbox: deps.outbox,
    logger: deps.logger,
  })
  const seen = createSeenIdsStore(deps.db, 'telegram')
  return {
    plugin: telegramPlugin({ bot, webhookSecret: config.webhookSecret, seen }),
    sender: createTelegramSender(bot.telegraf.telegram),
    close: async () => {},
  }
}

export { telegramDeepLink, startPayloadFor, actionFromStartPayload } from './deep-link.ts'
export { setTelegramWebhook, deleteTelegramWebhook, webhookUrlFor } from './admin.ts'
