import type { FastifyBaseLogger } from 'fastify'
import type { Config } from '../src/config.ts'
import type { ConversationCore } from '../src/conversation/types.ts'
import type { ChannelSender, Outbox } from '../src/outbox/types.ts'
import type { NoticeAudience, TemplateUsageView } from '../src/outbox/notice.ts'
import type { FeaturePlugin } from '../src/services.ts'
import type { ZaloUsers } from './zalo/users.ts'
import type { Db } from '../src/db/connect.ts'

/** What the channels need from the rest of the application. */
export interface ChannelDeps {
  core: ConversationCore
  outbox: Outbox
  /** pino / Fastify logger; channels log ids and lengths only, never tokens or message text. */
  logger: FastifyBaseLogger
  /** The store (seen update ids, Zalo tokens and users). */
  db: Db
  /** Clock in epoch ms (Zalo's reply window, token expiry); default Date.now. */
  now?: () => number
  /** Send-time check of dossier notices (the dossier feature's `service.audience`). */
  noticeAudience?: NoticeAudience
}

/** The enabled channels, ready to be registered on the Fastify app. */
export interface Channels {
  /** Fastify plugins with the webhook routes; register them like any FeaturePlugin. */
  plugins: FeaturePlugin[]
  /** The senders, already registered on the outbox. */
  senders: ChannelSender[]
  /** Flush state and wait for in-flight events; call on shutdown (after app.close()). */
  closers: Array<() => Promise<void>>
  /** Zalo users' last interactions and reply windows, when Zalo is enabled. */
  zaloUsers?: ZaloUsers
  /** Count and cost of Zalo template messages, when templates are configured. */
  templateUsage?: () => Promise<TemplateUsageView>
}

/**
 * Builds the messaging channels enabled in `config` (Telegram when `config.telegram` is set, Zalo when
 * `config.zalo` is set; both are off by default), registers their senders on the outbox and returns
 * their webhook plugins. State lives in `deps.db`.
 */
export async function createChannels (config: Config, deps: ChannelDeps): Promise<Channels> {
  const channels: Channels = { plugins: [], senders: [], closers: [] }
  // Each channel (telegraf, the Zalo client) is loaded only when enabled: start-up pays for what is used.
  if (config.telegram !== undefined) {
    const { createTelegramChannel } = await import('./telegram/index.ts')
    const telegram = await createTelegramChannel(config.telegram, deps)
    channels.plugins.push(telegram.plugin)
    channels.senders.push(telegram.sender)
    channels.closers.push(telegram.close)
  }
  if (config.zalo !== undefined) {
    const { createZaloChannel } = await import('./zalo/index.ts')
    const zalo = await createZaloChannel(config.zalo, deps)
    channels.plugins.push(zalo.plugin)
    channels.senders.push(zalo.sender)
    channels.closers.push(zalo.close)
    channels.zaloUsers = zalo.users
    if (zalo.templateUsage !== undefined) channels.templateUsage = zalo.templateUsage
  }
  for (const sender of channels.senders) deps.outbox.register(sender)
  return channels
}
