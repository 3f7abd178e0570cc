import type { FastifyBaseLogger } from 'fastify'
import type { Config } from '../../src/config.ts'
import type { ConversationCore } from '../../src/conversation/types.ts'
import type { ChannelSender, Outbox } from '../../src/outbox/types.ts'
import type { FeaturePlugin } from '../../src/services.ts'
import type { Db } from '../../src/db/connect.ts'
import { createSeenIdsStore } from '../../src/db/seen-store.ts'
import { createZaloTokenStore, createZaloUserStore } from '../../src/db/zalo-store.ts'
import { createZaloClient } from './client.ts'
import { zaloWebhook } from './plugin.ts'
import { createZaloSender } from './sender.ts'
import { createZaloTokens } from './tokens.ts'
import { createZaloUsers, type ZaloUsers } from './users.ts'

/** The Zalo channel: its webhook plugin, its outbox sender, its users store and a shutdown hook. */
export interface ZaloChannel {
  plugin: FeaturePlugin
  sender: ChannelSender
  /** Last interactions and reply windows of Zalo users (for notifications). */
  users: ZaloUsers
  close: () => Promise<void>
}

/** Dependencies of createZaloChannel. */
export interface ZaloChannelDeps {
  core: ConversationCore
  outbox: Outbox
  logger: FastifyBaseLogger
  /** The store: tokens, users' last interactions and event ids already handled. */
  db: Db
  now?: () => number
  /** See ZaloPluginOptions.ackAfterMs. */
  ackAfterMs?: number
}

/** Builds the Zalo OA channel: webhook route, token store, API client and outbox sender. */
export async function createZaloChannel (config: NonNullable<Config['zalo']>, deps: ZaloChannelDeps): Promise<ZaloChannel> {
  const tokens = await createZaloTokens({
    store: createZaloTokenStore(deps.db),
    appId: config.appId,
    appSecret: config.appSecret,
    oauthBase: config.oauthBase,
    seed: { accessToken: config.accessToken, refreshToken: config.refreshToken },
    logger: deps.logger,
    now: deps.now,
  })
  const users = createZaloUsers({ store: createZaloUserStore(deps.db), now: deps.now })
  const seen = createSeenIdsStore(deps.db, 'zalo', { now: deps.now })
  const client = createZaloClient({ apiBase: config.apiBase, tokens })
  const webhook = zaloWebhook({
    appId: config.appId,
    oaSecretKey: config.oaSecretKey,
    core: deps.core,
    outbox: deps.outbox,
    users,
    seen,
    ackAfterMs: deps.ackAfterMs,
  })
  return {
    plugin: webhook.plugin,
    sender: createZaloSender({ client, users, logger: deps.logger, now: deps.now }),
    users,
    async close () {
      await webhook.drain()
    },
  }
}

export { zaloWindow, type ZaloWindow, type ZaloUsers } from './users.ts'
export { zaloSignature } from './signature.ts'
