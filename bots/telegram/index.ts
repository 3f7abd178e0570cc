import { join } from 'node:path'
import type { FastifyBaseLogger } from 'fastify'
import type { Config } from '../../src/config.ts'
import type { ConversationCore } from '../../src/conversation/types.ts'
import type { ChannelSender, Outbox } from '../../src/outbox/types.ts'
import type { FeaturePlugin } from '../../src/services.ts'
import { createRecentIds } from '../common/recent-ids.ts'
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
  /** Where the recent update ids are kept (`telegram-updates.json`). */
  dataDir: string
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
  const seen = await createRecentIds({ file: join(deps.dataDir, 'telegram-updates.json') })
  return {
    plugin: telegramPlugin({ bot, webhookSecret: config.webhookSecret, seen }),
    sender: createTelegramSender(bot.telegraf.telegram),
    close: () => seen.flush(),
  }
}

export { telegramDeepLink, startPayloadFor, actionFromStartPayload } from './deep-link.ts'
export { setTelegramWebhook, deleteTelegramWebhook, webhookUrlFor } from './admin.ts'
