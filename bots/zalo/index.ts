import { join } from 'node:path'
import type { FastifyBaseLogger } from 'fastify'
import type { Config } from '../../src/config.ts'
import type { ConversationCore } from '../../src/conversation/types.ts'
import type { ChannelSender, Outbox } from '../../src/outbox/types.ts'
import type { FeaturePlugin } from '../../src/services.ts'
import { createRecentIds } from '../common/recent-ids.ts'
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
  /** Holds `zalo-tokens.json`, `zalo-users.json` and `zalo-events.json`. */
  dataDir: string
  now?: () => number
  /** See ZaloPluginOptions.ackAfterMs. */
  ackAfterMs?: number
}

/** Builds the Zalo OA channel: webhook route, token store, API client and outbox sender. */
export async function createZaloChannel (config: NonNullable<Config['zalo']>, deps: ZaloChannelDeps): Promise<ZaloChannel> {
  const tokens = await createZaloTokens({
    file: join(deps.dataDir, 'zalo-tokens.json'),
    appId: config.appId,
    appSecret: config.appSecret,
    oauthBase: config.oauthBase,
    seed: { accessToken: config.accessToken, refreshToken: config.refreshToken },
    logger: deps.logger,
    now: deps.now,
  })
  const users = await createZaloUsers({ file: join(deps.dataDir, 'zalo-users.json'), now: deps.now })
  const seen = await createRecentIds({ file: join(deps.dataDir, 'zalo-events.json') })
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
      await seen.flush()
    },
  }
}

export { zaloWindow, type ZaloWindow, type ZaloUsers } from './users.ts'
export { zaloSignature } from './signature.ts'
